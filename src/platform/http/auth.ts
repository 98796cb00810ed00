/** Authentication for routes: web session cookie (+ CSRF on writes) or an API key. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../auth/actor.js";
import { checkApiKey, checkSession, csrfMatches, type SessionCheck } from "../auth/service.js";
import { AppError } from "../errors.js";
import "../auth/errors.js";

export const sessionCookie = "gz_session";
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

function apiKeyOf(req: FastifyRequest): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header !== "") return header;
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  return undefined;
}

/** Returns the actor or throws unauthenticated / session_expired / invalid_api_key / csrf_*. */
export async function authenticate(req: FastifyRequest): Promise<Actor> {
  if (req.actor) return req.actor;
  const { database } = req.server.ctx;
  const key = apiKeyOf(req);
  if (key) {
    const actor = await checkApiKey(database.db, key);
    if (!actor) throw new AppError("invalid_api_key");
    req.actor = actor;
    return actor;
  }
  const token = req.cookies[sessionCookie];
  if (!token) throw new AppError("unauthenticated");
  const check = await checkedSession(req, token);
  if (!check.ok) throw new AppError(check.code);
  if (!safeMethods.has(req.method)) {
    const given = req.headers["x-csrf-token"];
    if (typeof given !== "string" || given === "") throw new AppError("csrf_missing");
    if (!csrfMatches(check.csrfToken, given)) throw new AppError("csrf_invalid");
  }
  // A password an administrator chose opens nothing but changing it (and the session's own routes).
  if (check.actor.mustChangePassword && !req.url.startsWith("/api/auth/")) throw new AppError("password_change_required");
  req.actor = check.actor;
  return check.actor;
}

/** A session check, served from the short-lived cache when possible. */
export async function checkedSession(req: FastifyRequest, token: string): Promise<SessionCheck> {
  const { database, config, sessions } = req.server.ctx;
  const cached = sessions.get(token);
  if (cached) return cached;
  const check = await checkSession(database.db, token, config.sessionIdleMinutes);
  if (check.ok) sessions.set(token, check);
  return check;
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(sessionCookie, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    // The database decides validity (idle expiry slides there); the cookie lives long enough
    // for an expired session to be told apart from no session (session_expired).
    maxAge: 30 * 24 * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, { path: "/" });
}
