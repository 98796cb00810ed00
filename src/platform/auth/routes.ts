import { Type } from "typebox";
import type { App } from "../http/server.js";
import { authenticate, checkedSession, clearSessionCookie, sessionCookie, setSessionCookie } from "../http/auth.js";
import { ConsoleSectionsRef, errorResponses, named } from "../http/schemas.js";
import { openSections } from "../console-sections.js";
import { checkSession, login, logout } from "./service.js";
import { actorFace, type Actor } from "./actor.js";
import { faces, roleLabels, roles, type Face, type Role } from "../policy/roles.js";
import { pickLang } from "../errors.js";
import { AppError } from "../errors.js";

/** The role catalogue and the faces, named so clients take them from the document instead of copying them. */
const RoleSchema = named("Role", Type.Unsafe<Role>(Type.Union(roles.map((role) => Type.Literal(role)))));
const FaceSchema = named("Face", Type.Unsafe<Face>(Type.Union(faces.map((face) => Type.Literal(face)))));

const Me = named("SessionUser", Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  locale: Type.String(),
  face: FaceSchema,
  /** An administrator chose the password: the web app asks for a new one before anything else. */
  mustChangePassword: Type.Boolean(),
  grants: Type.Array(
    Type.Object({
      role: RoleSchema,
      roleLabel: Type.String(),
      areaId: Type.Union([Type.String(), Type.Null()]),
      areaName: Type.Union([Type.String(), Type.Null()]),
      areaLevel: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  sections: ConsoleSectionsRef,
}));
const MeResponse = named("Session", Type.Object({ user: Me, csrfToken: Type.String() }));

export function presentMe(actor: Actor, lang: "zh-CN" | "en") {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    locale: actor.locale,
    face: actorFace(actor),
    mustChangePassword: actor.mustChangePassword === true,
    sections: openSections(actor),
    grants: actor.grants.map((g) => ({
      role: g.role,
      roleLabel: lang === "en" ? roleLabels[g.role].en : roleLabels[g.role].zh,
      areaId: g.areaId,
      areaName: g.areaName,
      areaLevel: g.areaLevel,
    })),
  };
}

export async function authRoutes(app: App): Promise<void> {
  app.post(
    "/api/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Log in with username and password (sets the session cookie)",
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 200: MeResponse, ...errorResponses(401, 423, 429) },
      },
      config: { rateLimit: { max: app.ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const { database, config } = app.ctx;
      const result = await login(database.db, { username: req.body.username, password: req.body.password, idleMinutes: config.sessionIdleMinutes });
      setSessionCookie(reply, result.sessionToken, config.https);
      const check = await checkSession(database.db, result.sessionToken, config.sessionIdleMinutes);
      if (!check.ok) throw new AppError("internal_error");
      return { user: presentMe(check.actor, pickLang(req.headers["accept-language"])), csrfToken: result.csrfToken };
    },
  );

  app.get(
    "/api/auth/me",
    { schema: { tags: ["auth"], summary: "The logged-in user, their grants and the CSRF token", response: { 200: MeResponse, ...errorResponses(401) } } },
    async (req) => {
      const token = req.cookies[sessionCookie];
      if (!token) throw new AppError("unauthenticated");
      const check = await checkedSession(req, token);
      if (!check.ok) throw new AppError(check.code);
      return { user: presentMe(check.actor, pickLang(req.headers["accept-language"])), csrfToken: check.csrfToken };
    },
  );

  app.post(
    "/api/auth/logout",
    { schema: { tags: ["auth"], summary: "End the session (needs x-csrf-token)", response: { 204: Type.Null(), ...errorResponses(401, 403) } } },
    async (req, reply) => {
      const actor = await authenticate(req);
      if (actor.sessionId) await logout(app.ctx.database.db, actor.sessionId, actor.userId);
      const token = req.cookies[sessionCookie];
      if (token) app.ctx.sessions.delete(token);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );
}
