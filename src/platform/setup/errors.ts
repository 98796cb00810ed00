/** The error codes of first-run setup (platform/setup and the setup tool). */
import { defineErrors } from "../errors.js";

export const setupErrors = defineErrors("platform/setup", {
  setup_code_invalid: {
    status: 400,
    zh: "设置码不正确（还可再试 {left} 次）；请查看服务器启动日志中打印的设置码",
    en: "The setup code is wrong ({left} tries left); use the code printed in the server's log at start",
  },
  setup_code_expired: {
    status: 400,
    zh: "设置码已失效（已使用、已过期或错误次数过多）；请重启服务器，日志中会打印新的设置码",
    en: "The setup code is no longer valid (used, expired or tried too often); restart the server to print a new one",
  },
  setup_done: { status: 409, zh: "系统已完成首次设置，请使用管理员账号登录", en: "Setup is already done; log in with the administrator's account" },
});

declare module "../errors.js" {
  interface ErrorCatalogue extends Codes<typeof setupErrors> {}
}
