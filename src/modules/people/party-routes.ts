import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { abilitiesSchema, errorResponses, IdParams, named, Nullable } from "../../platform/http/schemas.js";
import { partyMemberPolicy, registrationPolicy } from "./policy.js";
import { pickLang } from "../../platform/errors.js";
import { createPartyMember, getPartyMember, getPersonPartyMember, listPartyMembers, updatePartyMember } from "./party.js";
import { redGridCoverageByGrid } from "./red-grid-service.js";
import { confirmRegistration, declineRegistration, getRegistration, listRegistrations, myRegistrations, registerPartyMember, registrationFunnel } from "./party-registrations.js";

const Status = Type.Union([Type.Literal("inService"), Type.Literal("retired"), Type.Literal("floating")], { description: "在职 / 离退休 / 流动" });
const DateOnly = Type.String({ format: "date" });
const Uuid = Type.String({ format: "uuid" });
const ShortText = Type.String({ maxLength: 100 });

const Member = named("PartyMember", Type.Object({
  id: Type.String(),
  personId: Type.String(),
  name: Type.String({ description: "masked in lists; clear on one record for grid and community workers (audited)" }),
  gridId: Nullable(Type.String()),
  gridName: Nullable(Type.String()),
  status: Status,
  joinedOn: Nullable(Type.String()),
  partyOrgId: Nullable(Type.String()),
  partyOrgName: Nullable(Type.String()),
  partyOrgKindLabel: Nullable(Type.String()),
  outsideOrgName: Nullable(Type.String({ description: "the party organization holding the relation when it is outside this tree" })),
  workUnit: Nullable(Type.String()),
  reportInCommunityId: Nullable(Type.String()),
  reportInCommunityName: Nullable(Type.String()),
  reportInConfirmedOn: Nullable(Type.String()),
  abilities: Type.Optional(abilitiesSchema(partyMemberPolicy)),
}));

const MemberFields = {
  status: Type.Optional(Status),
  joinedOn: Type.Optional(Nullable(DateOnly)),
  partyOrgId: Type.Optional(Nullable(Uuid)),
  outsideOrgName: Type.Optional(Nullable(ShortText)),
  workUnit: Type.Optional(Nullable(ShortText)),
  reportInCommunityId: Type.Optional(Nullable(Uuid)),
};

const RegKind = Type.Union([Type.Literal("reportIn"), Type.Literal("floating")], { description: "reportIn 在职党员到居住地社区报到 / floating 流动党员找组织" });
const RegStatus = Type.Union([Type.Literal("registered"), Type.Literal("confirmed"), Type.Literal("declined")]);
const Registration = named("PartyRegistration", Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  communityName: Type.String(),
  kind: RegKind,
  personId: Nullable(Type.String()),
  name: Type.String(),
  phone: Nullable(Type.String({ description: "masked" })),
  orgName: Type.String(),
  workUnit: Nullable(Type.String()),
  skills: Type.Array(Type.String()),
  message: Nullable(Type.String()),
  status: RegStatus,
  decisionNote: Nullable(Type.String()),
  registeredAt: Type.String(),
  decidedAt: Nullable(Type.String()),
  partyMemberId: Nullable(Type.String()),
  foundByWorker: Type.Boolean(),
  abilities: Type.Optional(abilitiesSchema(registrationPolicy)),
}));

const Ratio = Type.Object({ ratio: Nullable(Type.Number()), numerator: Type.Integer(), denominator: Type.Integer(), formula: Type.String(), formulaEn: Type.String() });
const KindCount = Type.Object({ registered: Type.Integer(), confirmed: Type.Integer() });
const Funnel = {
  registered: Type.Integer(),
  pending: Type.Integer(),
  confirmed: Type.Integer(),
  declined: Type.Integer(),
  byKind: Type.Object({ reportIn: KindCount, floating: KindCount }),
  confirmationRate: Ratio,
};

export async function partyRoutes(app: App): Promise<void> {
  const lang = (h: string | undefined) => pickLang(h);

  app.get(
    "/api/party/members",
    {
      schema: {
        tags: ["party"],
        summary: "Party members in your scope (by grid, organization relation or report-in community), names masked, with filters",
        querystring: Type.Object(
          {
            areaId: Type.Optional(Uuid),
            status: Type.Optional(Status),
            reportedIn: Type.Optional(Type.Boolean()),
            relation: Type.Optional(Type.Union([Type.Literal("inside"), Type.Literal("outside"), Type.Literal("none")])),
            notInGrid: Type.Optional(Type.Boolean()),
            page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Member), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listPartyMembers(app.ctx.database.db, actor, req.query, lang(req.headers["accept-language"]));
    },
  );

  app.get(
    "/api/party/members/:id",
    { schema: { tags: ["party"], summary: "One party member", params: IdParams, response: { 200: Member, ...errorResponses(401, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return getPartyMember(app.ctx.database.db, actor, req.params.id, lang(req.headers["accept-language"]));
    },
  );

  app.get(
    "/api/persons/:id/party-member",
    {
      schema: {
        tags: ["party"],
        summary: "The party member record of a person (null when not a member) and whether you may make them one",
        params: IdParams,
        response: { 200: Type.Object({ member: Nullable(Member), canCreate: Type.Boolean() }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getPersonPartyMember(app.ctx.database.db, actor, req.params.id, lang(req.headers["accept-language"]));
    },
  );

  app.post(
    "/api/party/members",
    {
      schema: {
        tags: ["party"],
        summary: "Make a person a party member",
        body: Type.Object({ personId: Uuid, ...MemberFields, status: Status }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const { personId, ...rest } = req.body;
      return reply.status(201).send(await createPartyMember(app.ctx.database.db, actor, personId, rest));
    },
  );

  app.patch(
    "/api/party/members/:id",
    {
      schema: {
        tags: ["party"],
        summary: "Change a member's status, joined date, organization relation (a party organization in your scope, or one outside by name), work unit or report-in community",
        params: IdParams,
        body: Type.Object(MemberFields, { additionalProperties: false, minProperties: 1 }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await updatePartyMember(app.ctx.database.db, actor, req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/party/registrations",
    {
      schema: {
        tags: ["party"],
        summary: "双找: register a party member with a community — yourself (no communityId/personId) or a member you found (workers)",
        body: Type.Object(
          {
            kind: RegKind,
            communityId: Type.Optional(Uuid),
            personId: Type.Optional(Uuid),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
            orgName: Type.String({ minLength: 1, maxLength: 100 }),
            workUnit: Type.Optional(Nullable(ShortText)),
            skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20 })),
            message: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await registerPartyMember(app.ctx.database.db, app.ctx.keyring, actor, req.body));
    },
  );

  app.get(
    "/api/party/registrations",
    {
      schema: {
        tags: ["party"],
        summary: "The 双找 queue of the communities under an area, pending first",
        querystring: Type.Object(
          {
            areaId: Uuid,
            status: Type.Optional(RegStatus),
            page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Registration), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listRegistrations(app.ctx.database.db, actor, req.query);
    },
  );

  app.get(
    "/api/party/registrations/mine",
    { schema: { tags: ["party"], summary: "Your own 双找 registrations and their status", response: { 200: Type.Object({ items: Type.Array(Registration) }), ...errorResponses(401) } } },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await myRegistrations(app.ctx.database.db, actor) };
    },
  );

  app.get(
    "/api/party/registrations/:id",
    { schema: { tags: ["party"], summary: "One 双找 registration", params: IdParams, response: { 200: Registration, ...errorResponses(401, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return getRegistration(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.post(
    "/api/party/registrations/:id/confirm",
    {
      schema: {
        tags: ["party"],
        summary: "Confirm a registration: creates or updates the party member (reportIn: report-in community and date; floating: status and optional branch here)",
        params: IdParams,
        body: Type.Object({ personId: Type.Optional(Uuid), partyOrgId: Type.Optional(Nullable(Uuid)), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }, { additionalProperties: false }),
        response: { 200: Type.Object({ partyMemberId: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return confirmRegistration(app.ctx.database.db, actor, req.params.id, req.body);
    },
  );

  app.post(
    "/api/party/registrations/:id/decline",
    {
      schema: {
        tags: ["party"],
        summary: "Decline a registration with a note the member reads",
        params: IdParams,
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await declineRegistration(app.ctx.database.db, actor, req.params.id, req.body.note);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/areas/:id/party/funnel",
    {
      schema: {
        tags: ["party"],
        summary: "双找 funnel under an area and per community: registered, pending, confirmed, declined, confirmation rate with its formula",
        params: IdParams,
        response: {
          200: Type.Object({ total: Type.Object(Funnel), communities: Type.Array(Type.Object({ communityId: Type.String(), name: Type.String(), ...Funnel })) }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return registrationFunnel(app.ctx.database.db, actor, req.params.id);
    },
  );

  // A grid's `CoverageFigures` without the household ids (`GridCoverage`).
  const GridFigures = {
    grids: Type.Object({ ...Ratio.properties, withoutPartyOrg: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
    members: Type.Object({ ...Ratio.properties, notInGrid: Type.Array(Type.String()) }),
    households: Type.Object({ ...Ratio.properties, withoutRedGridMember: Type.Integer() }),
  };
  app.get(
    "/api/areas/:id/red-grid/coverage/grids",
    {
      schema: {
        tags: ["red grid"],
        summary: "Red grid coverage of every grid under an area in one answer (party organization, members placed, households with a red grid member)",
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ gridId: Type.String(), name: Type.String(), communityId: Type.String(), ...GridFigures })),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await redGridCoverageByGrid(app.ctx.database.db, actor, req.params.id) };
    },
  );
}
