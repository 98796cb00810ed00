/** HTTP for user administration (用户与权限, admin.ts) and for changing or resetting one's own password. */
import { Type } from "typebox";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../http/schemas.js";
import { AppError, pickLang } from "../errors.js";
import { roles, type Role } from "../policy/roles.js";
import type { Actor } from "./actor.js";
import {
  changeOwnPassword,
  createStaffUser,
  endUserSessions,
  getUser,
  grantRole,
  isUserAdmin,
  linkPerson,
  listUserSessions,
  listUsers,
  resetPassword,
  revokeGrant,
  setUserDisabled,
  unlockUser,
  useResetLink,
} from "./admin.js";

const RoleRef = Type.Unsafe<Role>(Type.Ref("Role"));

const UserGrant = named("UserGrant", Type.Object({
  id: Type.String(),
  role: RoleRef,
  roleLabel: Type.String(),
  areaId: Nullable(Type.String()),
  areaName: Nullable(Type.String()),
  areaLevel: Nullable(Type.String()),
  orgId: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  revocable: Type.Boolean({ description: "whether you may revoke it" }),
}));

const AdminUser = named("AdminUser", Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  personLinked: Type.Boolean({ description: "linked to a registry person" }),
  orgId: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  failedLogins: Type.Integer(),
  lockedUntil: Nullable(Type.String({ format: "date-time", description: "set while the account is locked" })),
  lastSeenAt: Nullable(Type.String({ format: "date-time" })),
  activeSessions: Type.Integer(),
  createdAt: Type.String({ format: "date-time" }),
  grants: Type.Array(UserGrant),
  abilities: Type.Object({ read: Type.Boolean(), manage: Type.Boolean() }),
}));

const GrantBody = Type.Object(
  {
    role: Type.String({ maxLength: 40 }),
    areaId: Type.Optional(Nullable(Uuid)),
    orgId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);

const UserSession = named("UserSession", Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
  lastSeenAt: Type.String({ format: "date-time" }),
  expiresAt: Type.String({ format: "date-time" }),
  current: Type.Boolean(),
}));

const PasswordReset = named("PasswordReset", Type.Object({
  mode: Type.Union([Type.Literal("temporary"), Type.Literal("link")]),
  temporaryPassword: Nullable(Type.String({ description: "shown once; the user changes it at next login" })),
  resetPath: Nullable(Type.String({ description: "shown once: /reset/<token>, to prefix with the site's address" })),
  expiresAt: Nullable(Type.String({ format: "date-time" })),
}));

const UserGrantParams = Type.Object({ id: Uuid, grantId: Uuid }, { additionalProperties: false });
const UserSessionParams = Type.Object({ id: Uuid, sessionId: Uuid }, { additionalProperties: false });

/** The user list and its actions are administrators' (systemAdmin, streetAdmin); others are refused before anything is read. */
function assertAdmin(actor: Actor): void {
  if (!isUserAdmin(actor)) throw new AppError("forbidden");
}

export async function userAdminRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;
  const lang = (req: { headers: Record<string, string | string[] | undefined> }) => pickLang(req.headers["accept-language"] as string | undefined);
  const forget = (userId: string) => app.ctx.sessions.forgetUser(userId);

  app.get(
    "/api/users",
    {
      schema: {
        tags: ["users"],
        summary: "Users within your reach (system and street administrators), searched and paged",
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 64, description: "part of the username or name" })),
            role: Type.Optional(Type.Unsafe<Role>(Type.Union(roles.map((r) => Type.Literal(r))))),
            areaId: Type.Optional(Uuid),
            orgId: Type.Optional(Uuid),
            disabled: Type.Optional(Type.Boolean()),
            locked: Type.Optional(Type.Boolean()),
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AdminUser), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      assertAdmin(actor);
      return listUsers(db(), actor, req.query, lang(req));
    },
  );

  app.post(
    "/api/users",
    {
      schema: {
        tags: ["users"],
        summary: "Create a staff login with its roles; without a password a temporary one is made and answered once",
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            displayName: Type.String({ minLength: 1, maxLength: 60 }),
            password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
            orgId: Type.Optional(Nullable(Uuid)),
            personId: Type.Optional(Nullable(Uuid)),
            grants: Type.Array(GrantBody, { minItems: 1, maxItems: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ user: AdminUser, temporaryPassword: Nullable(Type.String()) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      assertAdmin(actor);
      const created = await createStaffUser(db(), actor, req.body);
      return reply.status(201).send({ user: await getUser(db(), actor, created.id, lang(req)), temporaryPassword: created.temporaryPassword });
    },
  );

  app.get(
    "/api/users/:id",
    { schema: { tags: ["users"], summary: "A user with their grants, lockout and what you may do", params: IdParams, response: { 200: AdminUser, ...errorResponses(401, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return getUser(db(), actor, req.params.id, lang(req));
    },
  );

  app.post(
    "/api/users/:id/grants",
    {
      schema: {
        tags: ["users"],
        summary: "Grant a role on an area (or a department) within your reach",
        params: IdParams,
        body: GrantBody,
        response: { 201: AdminUser, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await grantRole(db(), actor, req.params.id, req.body);
      forget(req.params.id);
      return reply.status(201).send(await getUser(db(), actor, req.params.id, lang(req)));
    },
  );

  app.delete(
    "/api/users/:id/grants/:grantId",
    { schema: { tags: ["users"], summary: "Revoke a grant you could have granted", params: UserGrantParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } } },
    async (req, reply) => {
      const actor = await authenticate(req);
      await revokeGrant(db(), actor, req.params.id, req.params.grantId);
      forget(req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    "/api/users/:id/person",
    {
      schema: {
        tags: ["users"],
        summary: "Link the login to a registry person in your reach (null unlinks)",
        params: IdParams,
        body: Type.Object({ personId: Nullable(Uuid) }, { additionalProperties: false }),
        response: { 200: AdminUser, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      await linkPerson(db(), actor, req.params.id, req.body.personId);
      forget(req.params.id);
      return getUser(db(), actor, req.params.id, lang(req));
    },
  );

  for (const [verb, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    app.post(
      `/api/users/:id/${verb}`,
      {
        schema: {
          tags: ["users"],
          summary: disabled ? "Disable the account; its sessions end at once" : "Enable a disabled account",
          params: IdParams,
          response: { 200: AdminUser, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (req) => {
        const actor = await authenticate(req);
        await setUserDisabled(db(), actor, req.params.id, disabled);
        forget(req.params.id);
        return getUser(db(), actor, req.params.id, lang(req));
      },
    );
  }

  app.post(
    "/api/users/:id/unlock",
    { schema: { tags: ["users"], summary: "Clear failed logins and the lock", params: IdParams, response: { 200: AdminUser, ...errorResponses(401, 403, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      await unlockUser(db(), actor, req.params.id);
      return getUser(db(), actor, req.params.id, lang(req));
    },
  );

  app.post(
    "/api/users/:id/password-reset",
    {
      schema: {
        tags: ["users"],
        summary: "Reset the password: a temporary password or a one-time link, answered once",
        params: IdParams,
        body: Type.Object({ mode: Type.Union([Type.Literal("temporary"), Type.Literal("link")]) }, { additionalProperties: false }),
        response: { 200: PasswordReset, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const r = await resetPassword(db(), actor, req.params.id, req.body.mode);
      forget(req.params.id);
      void reply.header("cache-control", "no-store");
      return r.mode === "temporary"
        ? { mode: r.mode, temporaryPassword: r.temporaryPassword, resetPath: null, expiresAt: null }
        : { mode: r.mode, temporaryPassword: null, resetPath: `/reset/${r.token}`, expiresAt: r.expiresAt.toISOString() };
    },
  );

  app.get(
    "/api/users/:id/sessions",
    { schema: { tags: ["users"], summary: "The user's open sessions", params: IdParams, response: { 200: Type.Object({ items: Type.Array(UserSession) }), ...errorResponses(401, 403, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listUserSessions(db(), actor, req.params.id) };
    },
  );

  app.delete(
    "/api/users/:id/sessions",
    { schema: { tags: ["users"], summary: "End every session of the user", params: IdParams, response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses(401, 403, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      const ended = await endUserSessions(db(), actor, req.params.id);
      forget(req.params.id);
      return { ended };
    },
  );

  app.delete(
    "/api/users/:id/sessions/:sessionId",
    { schema: { tags: ["users"], summary: "End one session of the user", params: UserSessionParams, response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses(401, 403, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      const ended = await endUserSessions(db(), actor, req.params.id, req.params.sessionId);
      forget(req.params.id);
      return { ended };
    },
  );

  app.post(
    "/api/auth/password",
    {
      schema: {
        tags: ["auth"],
        summary: "Change your own password (the current one and a new one); your other sessions end",
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
      config: { rateLimit: { max: app.ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await changeOwnPassword(db(), actor, req.body);
      forget(actor.userId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/auth/password-reset",
    {
      schema: {
        tags: ["auth"],
        summary: "Set a new password with a one-time reset link's token (no session needed)",
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
      config: { rateLimit: { max: app.ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const userId = await useResetLink(db(), req.body.token, req.body.password);
      forget(userId);
      return reply.status(204).send(null);
    },
  );
}
