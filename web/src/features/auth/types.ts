import type { Schema } from "../../api";

/** The server's role catalogue and faces (src/platform/policy/roles.ts, named in the OpenAPI document). */
export type Role = Schema<"Role">;
export type Face = Schema<"Face">;

/** The signed-in person and their grants; a grant's `roleLabel` is in the request's language, as the server names it. */
export type Me = Schema<"SessionUser">;
export type Grant = Me["grants"][number];
export type SessionResponse = Schema<"Session">;

export const faceHome: Record<Face, string> = {
  resident: "/resident",
  worker: "/worker",
  console: "/console",
};
