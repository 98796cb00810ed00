/**
 * The error codes of resident accounts (sign-ups, invitation codes, SMS codes), added to the one
 * catalogue the server answers with (platform/errors.ts).
 */
import { defineErrors } from "../../platform/errors.js";

export const accountsErrors = defineErrors("accounts", {
  community_unknown: { status: 400, zh: "没有这个社区，请从列表中选择", en: "No such community; pick one from the list" },
  dwelling_not_in_community: { status: 400, zh: "所选房屋不在这个社区", en: "The picked dwelling is not in this community" },
  phone_taken: {
    status: 409,
    zh: "这个手机号已注册过账号，请直接登录，或联系社区",
    en: "This mobile number already has an account; log in, or ask the community",
  },
  sms_code_wrong: { status: 400, zh: "验证码不正确，还可以再试 {left} 次", en: "The code is wrong; {left} tries left" },
  sms_code_expired: {
    status: 400,
    zh: "验证码已失效（超过 10 分钟或错误次数过多），请重新获取",
    en: "The code has expired (10 minutes or too many tries); ask for a new one",
  },
  sms_code_required: { status: 400, zh: "请先获取并填写手机验证码", en: "Ask for the SMS code and enter it first" },
  sms_rate_limited: { status: 429, zh: "获取验证码过于频繁，请 {retry} 秒后再试", en: "Too many codes asked for; try again in {retry} s" },
  sms_unavailable: { status: 400, zh: "本系统未开通短信验证码", en: "SMS codes are not enabled on this system" },
  invitation_invalid: { status: 400, zh: "邀请码不正确，请核对后再输入", en: "The invitation code is not valid; check it and try again" },
  invitation_used: { status: 409, zh: "这个邀请码已经用过了，每个邀请码只能用一次", en: "This invitation code has already been used; each code works once" },
  invitation_expired: { status: 400, zh: "这个邀请码已过期，请向社区重新领取", en: "This invitation code has expired; ask the community for a new one" },
  invitation_member_unknown: { status: 400, zh: "请选择您是这一户中的哪一位", en: "Pick which member of this household you are" },
  // person_already_linked is platform/auth's (one login per registry person), thrown here too.
  person_not_in_community: { status: 400, zh: "该人员不在这个社区的居民登记中", en: "This person is not registered as living in this community" },
  signup_decided: { status: 409, zh: "该注册申请已处理过", en: "This sign-up has already been decided" },
  invitation_household_outside: {
    status: 403,
    zh: "只能为本社区的住户生成邀请码",
    en: "Invitation codes can only be made for households of your community",
  },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof accountsErrors> {}
}
