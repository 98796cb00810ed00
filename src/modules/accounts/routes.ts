import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate, setSessionCookie } from "../../platform/http/auth.js";
import { abilitiesSchema, errorResponses, IdParams, named, Nullable } from "../../platform/http/schemas.js";
import { login } from "../../platform/auth/service.js";
import { signupPolicy } from "./policy.js";
import { smsSender } from "./sms.js";
import {
  buildingDwellings,
  communityBuildings,
  createInvitations,
  invitationValidDays,
  linkSignup,
  listInvitations,
  listSignups,
  mySignup,
  previewInvitation,
  rejectSignup,
  requestSmsCode,
  revealSignupPhone,
  signupCandidates,
  signUp,
} from "./service.js";

const Uuid = Type.String({ format: "uuid" });
const SignupStatus = Type.Union([Type.Literal("pending"), Type.Literal("linked"), Type.Literal("rejected")], { description: "待核实 / 已核实 / 未通过" });
const Phone = Type.String({ minLength: 1, maxLength: 20, description: "mainland mobile, 11 digits" });

const Signup = named("Signup", Type.Object({
  id: Type.String(),
  name: Type.String({ description: "clear for the community's workers, masked above them" }),
  phone: Type.String({ description: "masked; the clear number behind an audited reveal" }),
  phoneVerified: Type.Boolean({ description: "confirmed by an SMS code" }),
  address: Type.String(),
  communityId: Type.String(),
  communityName: Type.String(),
  status: SignupStatus,
  via: Type.Union([Type.Literal("registry"), Type.Literal("invitation")]),
  personId: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  createdAt: Type.String(),
  decidedAt: Nullable(Type.String()),
  abilities: abilitiesSchema(signupPolicy),
}));

const Candidate = named("SignupCandidate", Type.Object({
  personId: Type.String(),
  name: Type.String(),
  relation: Type.String(),
  birthYear: Type.Integer(),
  householdId: Type.String(),
  address: Type.String(),
  gridName: Type.String(),
  phone: Nullable(Type.String({ description: "masked" })),
  matchedBy: Type.Array(Type.Union([Type.Literal("name"), Type.Literal("phone"), Type.Literal("dwelling")])),
  linked: Type.Boolean({ description: "already linked to another account" }),
}));

const MySignup = named("MySignup", Type.Object({
  status: Type.Union([Type.Literal("none"), SignupStatus]),
  communityId: Nullable(Type.String()),
  communityName: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  householdId: Nullable(Type.String({ description: "the resident's household once linked to the registry" })),
  createdAt: Nullable(Type.String()),
}));

const Invitation = named("Invitation", Type.Object({
  id: Type.String(),
  hint: Type.String({ description: "the code's last two characters" }),
  householdId: Type.String(),
  address: Type.String(),
  communityName: Type.String(),
  status: Type.Union([Type.Literal("unused"), Type.Literal("used"), Type.Literal("expired")]),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  usedAt: Nullable(Type.String()),
}));

const NewInvitation = named("NewInvitation", Type.Object({
  id: Type.String(),
  code: Type.String({ description: "shown once, for printing" }),
  householdId: Type.String(),
  address: Type.String(),
  gridName: Type.String(),
  communityName: Type.String(),
  expiresAt: Type.String(),
}));

export async function accountsRoutes(app: App): Promise<void> {
  const { config } = app.ctx;
  // Per client address, on top of the per-mobile limits kept in the database.
  const smsRate = { rateLimit: { max: 10, timeWindow: 60_000 } };
  const signupRate = { rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } };

  app.get(
    "/api/signup/settings",
    {
      schema: {
        tags: ["accounts"],
        summary: "Whether sign-up asks for an SMS code (GONGZHI_SMS)",
        response: { 200: Type.Object({ smsCode: Type.Boolean() }) },
      },
    },
    async () => ({ smsCode: config.sms !== "off" }),
  );

  app.post(
    "/api/signup/sms-code",
    {
      schema: {
        tags: ["accounts"],
        summary: "Send a 6-digit code to a mobile (10 minutes, 5 tries; limited per mobile and per client)",
        body: Type.Object({ phone: Phone }, { additionalProperties: false }),
        response: { 201: Type.Object({ verificationId: Type.String(), expiresAt: Type.String(), validMinutes: Type.Integer() }), ...errorResponses(400, 429) },
      },
      config: smsRate,
    },
    async (req, reply) => {
      const sender = smsSender(config.sms, req.log);
      return reply.status(201).send(await requestSmsCode(app.ctx.database.db, app.ctx.keyring, sender, { phone: req.body.phone, clientAddress: req.ip }));
    },
  );

  app.get(
    "/api/signup/communities/:id/buildings",
    {
      schema: {
        tags: ["accounts"],
        summary: "The buildings of a community's registry, for the sign-up's address picker",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })) }), ...errorResponses(404) },
      },
    },
    async (req) => ({ items: await communityBuildings(app.ctx.database.db, req.params.id) }),
  );

  app.get(
    "/api/signup/buildings/:id/dwellings",
    {
      schema: {
        tags: ["accounts"],
        summary: "The units and rooms of a building, for the sign-up's address picker (no names)",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), unit: Type.String(), room: Type.String() })) }) },
      },
    },
    async (req) => ({ items: await buildingDwellings(app.ctx.database.db, req.params.id) }),
  );

  app.post(
    "/api/signup/invitation",
    {
      schema: {
        tags: ["accounts"],
        summary: "What an invitation code opens: the community, the household's place, its members (names masked but the first character)",
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            communityName: Type.String(),
            place: Type.String(),
            members: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), relation: Type.String() })),
          }),
          ...errorResponses(400, 409),
        },
      },
      config: smsRate,
    },
    async (req) => previewInvitation(app.ctx.database.db, req.body.code),
  );

  app.post(
    "/api/signup",
    {
      schema: {
        tags: ["accounts"],
        summary: "A resident signs up (with the SMS code when GONGZHI_SMS is on; with an invitation code, linked at once) and is signed in",
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            name: Type.String({ minLength: 1, maxLength: 50 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            phone: Phone,
            communityId: Type.Optional(Uuid),
            address: Type.Optional(Type.String({ maxLength: 200 })),
            dwellingId: Type.Optional(Uuid),
            verificationId: Type.Optional(Uuid),
            smsCode: Type.Optional(Type.String({ pattern: "^[0-9]{6}$" })),
            invitationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
            personId: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ status: Type.Union([Type.Literal("pending"), Type.Literal("linked")]), csrfToken: Type.String() }),
          ...errorResponses(400, 409, 429),
        },
      },
      config: signupRate,
    },
    async (req, reply) => {
      const { database } = app.ctx;
      const result = await signUp(database.db, app.ctx.keyring, config.sms, req.body);
      const session = await login(database.db, { username: req.body.username, password: req.body.password, idleMinutes: config.sessionIdleMinutes });
      setSessionCookie(reply, session.sessionToken, config.https);
      return reply.status(201).send({ status: result.status, csrfToken: session.csrfToken });
    },
  );

  app.get(
    "/api/accounts/me",
    {
      schema: { tags: ["accounts"], summary: "Your own sign-up: pending, linked (with your household) or rejected (with the reason)", response: { 200: MySignup, ...errorResponses(401) } },
    },
    async (req) => mySignup(app.ctx.database.db, await authenticate(req)),
  );

  app.get(
    "/api/accounts/signups",
    {
      schema: {
        tags: ["accounts"],
        summary: "Residents' sign-ups in your communities, pending first (居民账号核实)",
        querystring: Type.Object(
          {
            status: Type.Optional(SignupStatus),
            page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Signup), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...errorResponses(401) },
      },
    },
    async (req) => listSignups(app.ctx.database.db, await authenticate(req), req.query),
  );

  app.get(
    "/api/accounts/signups/:id/candidates",
    {
      schema: {
        tags: ["accounts"],
        summary: "A pending sign-up with the registry persons of its community matching its name, mobile or dwelling",
        params: IdParams,
        response: { 200: Type.Object({ signup: Signup, candidates: Type.Array(Candidate) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => signupCandidates(app.ctx.database.db, await authenticate(req), req.params.id),
  );

  app.post(
    "/api/accounts/signups/:id/link",
    {
      schema: {
        tags: ["accounts"],
        summary: "Link the sign-up's account to a registry person of its community",
        params: IdParams,
        body: Type.Object({ personId: Uuid }, { additionalProperties: false }),
        response: { 200: Signup, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => linkSignup(app.ctx.database.db, await authenticate(req), req.params.id, req.body.personId),
  );

  app.post(
    "/api/accounts/signups/:id/reject",
    {
      schema: {
        tags: ["accounts"],
        summary: "Reject a sign-up with a reason the resident sees",
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Signup, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => rejectSignup(app.ctx.database.db, await authenticate(req), req.params.id, req.body.reason),
  );

  app.post(
    "/api/accounts/signups/:id/reveal-phone",
    {
      schema: {
        tags: ["accounts"],
        summary: "The sign-up's mobile in clear, for a stated purpose (audited)",
        params: IdParams,
        body: Type.Object({ purpose: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ value: Type.String(), expiresAt: Type.String() }), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => revealSignupPhone(app.ctx.database.db, app.ctx.keyring, await authenticate(req), req.params.id, req.body.purpose),
  );

  app.post(
    "/api/accounts/invitations",
    {
      schema: {
        tags: ["accounts"],
        summary: "One-time invitation codes for households of your community (the codes are answered once, for printing)",
        body: Type.Object(
          {
            householdIds: Type.Array(Uuid, { minItems: 1, maxItems: 200 }),
            validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: invitationValidDays.max })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ items: Type.Array(NewInvitation) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send({ items: await createInvitations(app.ctx.database.db, actor, req.body) });
    },
  );

  app.get(
    "/api/accounts/invitations",
    {
      schema: {
        tags: ["accounts"],
        summary: "Invitation codes made for your communities (never the codes), newest first",
        querystring: Type.Object(
          { page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Invitation), total: Type.Integer() }), ...errorResponses(401) },
      },
    },
    async (req) => listInvitations(app.ctx.database.db, await authenticate(req), req.query),
  );

}
