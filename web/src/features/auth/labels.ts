import type { TFunction } from "i18next";
import type { Grant } from "./types";

/** The role's label in the interface language (the server's label if this client lacks one). */
export function roleLabel(t: TFunction, grant: Grant): string {
  return t(`roles.${grant.role}`, { defaultValue: grant.roleLabel });
}
