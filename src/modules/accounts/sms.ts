/**
 * 短信验证码: the adapter that delivers a mobile's confirmation code. `GONGZHI_SMS` chooses it:
 * `log` (development) writes the code to the server log with the mobile masked — nothing leaves the
 * machine; `off` sends nothing and sign-ups go without a confirmed mobile (the community worker
 * checks by phone). A real provider implements `SmsSender` and is plugged in with `useSmsSender`
 * (README.md, "Plugging in an SMS provider").
 */
import { maskPhone } from "../../platform/mask.js";

/** Delivers a code to a mobile. Throws when it could not be sent (the code is then not kept). */
export interface SmsSender {
  /** Shown in logs and the README: "log", "aliyun", … */
  readonly name: string;
  sendCode(message: { phone: string; code: string; validMinutes: number }): Promise<void>;
}

/** Where the log sender writes: a pino-style logger (the server's). */
export interface SmsLog {
  warn(obj: object, msg: string): void;
}

/** Development: the code goes to the server log (warn, so it shows at the default levels), never the full number. */
export function logSmsSender(log: SmsLog): SmsSender {
  return {
    name: "log",
    sendCode({ phone, code, validMinutes }) {
      log.warn({ sms: "log", to: maskPhone(phone), code, validMinutes }, `SMS not sent (GONGZHI_SMS=log): code ${code} for ${maskPhone(phone)}`);
      return Promise.resolve();
    },
  };
}

let plugged: SmsSender | undefined;

/** Plugs in a provider for `GONGZHI_SMS=log|…` deployments that have one; replaces the log sender. */
export function useSmsSender(sender: SmsSender | undefined): void {
  plugged = sender;
}

/** The sender in use: a plugged provider, else the log sender when `mode` is log, else none (off). */
export function smsSender(mode: "log" | "off", log: SmsLog): SmsSender | undefined {
  if (mode === "off") return undefined;
  return plugged ?? logSmsSender(log);
}
