/**
 * Error codes of user administration (admin.ts) and of changing a password, added to the one
 * catalogue the server answers with (platform/errors.ts).
 */
import { defineErrors, type Codes } from "../errors.js";

export const authAdminErrors = defineErrors("platform/auth", {
  username_taken: { status: 409, zh: "用户名 {username} 已被使用，请换一个", en: "The username {username} is taken; choose another" },
  grant_out_of_scope: {
    status: 403,
    zh: "不能授予这一角色：{detail}",
    en: "You cannot grant this role: {detail}",
  },
  grant_invalid: { status: 400, zh: "授权不完整：{detail}", en: "The grant is incomplete: {detail}" },
  grant_exists: { status: 409, zh: "该用户已有这一授权", en: "The user already holds this grant" },
  person_not_found: { status: 404, zh: "未找到该居民档案，或不在您的管辖范围内", en: "No such person in the registry within your scope" },
  person_already_linked: { status: 409, zh: "该居民档案已关联到另一个账号", en: "This registry person is already linked to another account" },
  cannot_disable_self: { status: 409, zh: "不能停用自己的账号", en: "You cannot disable your own account" },
  wrong_current_password: { status: 400, zh: "当前密码不正确", en: "The current password is wrong" },
  password_unchanged: { status: 400, zh: "新密码不能与当前密码相同", en: "The new password must differ from the current one" },
  password_change_required: {
    status: 403,
    zh: "请先修改管理员为您设置的临时密码",
    en: "Change the temporary password your administrator set before going on",
  },
  reset_link_invalid: {
    status: 400,
    zh: "重置链接无效、已使用或已过期，请联系管理员重新生成",
    en: "The reset link is invalid, used or expired; ask your administrator for a new one",
  },
});

declare module "../errors.js" {
  interface ErrorCatalogue extends Codes<typeof authAdminErrors> {}
}
