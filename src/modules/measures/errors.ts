/**
 * The error codes this module defines (Measures), added to the one catalogue the server answers
 * with (platform/errors.ts). Messages may use {name} placeholders filled from an AppError's params.
 */
import { defineErrors } from "../../platform/errors.js";

export const measureErrors = defineErrors("measures", {
  measure_weights_invalid: { status: 400, zh: "考核权重设置有误：{detail}", en: "The measure weights are invalid: {detail}" },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof measureErrors> {}
}
