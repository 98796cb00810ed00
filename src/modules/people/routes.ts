import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { abilitiesSchema, errorResponses, IdParams, named, Nullable } from "../../platform/http/schemas.js";
import { householdPolicy, personPolicy, redGridPolicy } from "./policy.js";
import { createHousehold, getHousehold, listHouseholdMoves, listHouseholds, moveHousehold, updateHousehold } from "./service.js";
import { listRedGridMembers, pinRedGridMember, redGridCoverage, runRedGridAssignment, unpinRedGridMember } from "./red-grid-service.js";
import {
  addPersonToHousehold,
  findPersonByIdNumber,
  getPerson,
  leaveReasons,
  listPersons,
  movePersonToHousehold,
  personRelations,
  personTags,
  removePersonFromHousehold,
  revealPersonField,
  updatePerson,
  updatePersonContact,
} from "./persons.js";

const Tags = Type.Array(Type.Union(personTags.map((t) => Type.Literal(t))), { maxItems: personTags.length, description: "from the fixed vocabulary" });
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20, description: "only with the talent tag" });
const Relation = Type.Union(personRelations.map((r) => Type.Literal(r)));
const Person = named("Person", Type.Object({
  id: Type.String(),
  householdId: Nullable(Type.String()),
  gridId: Nullable(Type.String()),
  gridName: Nullable(Type.String()),
  name: Type.String({ description: "masked in lists; clear on the detail for roles that need it (audited)" }),
  gender: Type.Union([Type.Literal("male"), Type.Literal("female")]),
  birthYear: Type.Integer(),
  relation: Type.String(),
  tags: Type.Array(Type.String()),
  skills: Type.Array(Type.String()),
  idNumber: Type.Union([Type.String(), Type.Null()], { description: "always masked (1101**********1234); see /reveal" }),
  phone: Type.Union([Type.String(), Type.Null()], { description: "always masked (138****5678); see /reveal" }),
  masked: Type.Boolean(),
  abilities: Type.Optional(abilitiesSchema(personPolicy)),
}));
const PiiField = Type.Union([Type.Literal("idNumber"), Type.Literal("phone")]);
const Household = named("Household", Type.Object({
  id: Type.String(),
  gridId: Type.String(),
  gridName: Type.String(),
  dwellingId: Type.String(),
  buildingId: Nullable(Type.String()),
  address: Type.String({ description: "masked unless the role needs the clear value" }),
  place: Nullable(Type.String({ description: "compound, building, unit and room (紫荆苑 3栋 2单元 502室): clear for roles that may read the household clear, also in lists; digits hidden otherwise" })),
  headName: Type.String(),
  size: Type.Integer(),
  note: Type.Optional(Nullable(Type.String({ description: "the staff's note; only on one household, for roles that may see its clear personal data" }))),
  masked: Type.Boolean(),
  redGridMember: Type.Optional(
    Nullable(Type.Object({ memberId: Type.String(), name: Type.String({ description: "masked unless the role needs it" }), pinned: Type.Boolean() })),
  ),
  abilities: Type.Optional(abilitiesSchema(householdPolicy)),
}));
const Day = Type.String({ format: "date", description: "YYYY-MM-DD, not after today" });
const HeadName = Type.String({ minLength: 1, maxLength: 40 });
const Address = Type.String({ minLength: 1, maxLength: 200 });
const HouseholdMove = named("HouseholdMove", Type.Object({
  id: Type.String(),
  fromDwellingId: Nullable(Type.String()),
  fromPlace: Nullable(Type.String({ description: "compound, building, unit and room; masked unless the role needs it" })),
  fromBuildingId: Nullable(Type.String()),
  toDwellingId: Type.String(),
  toPlace: Nullable(Type.String()),
  toBuildingId: Nullable(Type.String()),
  movedOn: Type.String(),
  recordedAt: Type.String({ format: "date-time" }),
}));

export async function peopleRoutes(app: App): Promise<void> {
  app.get(
    "/api/households",
    {
      schema: {
        tags: ["people"],
        summary: "Households in your scope (masked), optionally under one area",
        querystring: Type.Object(
          {
            areaId: Type.Optional(Type.String({ format: "uuid" })),
            page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Household), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listHouseholds(app.ctx.database.db, actor, { areaId: req.query.areaId, page: req.query.page, pageSize: req.query.pageSize });
    },
  );

  app.get(
    "/api/households/:id",
    { schema: { tags: ["people"], summary: "One household (clear values for roles that need them; audited)", params: IdParams, response: { 200: Household, ...errorResponses(401, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return getHousehold(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.patch(
    "/api/households/:id",
    {
      schema: {
        tags: ["people"],
        summary: "Edit a household: the worker's note, the registered head, size or address",
        params: IdParams,
        body: Type.Object(
          {
            note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
            headName: Type.Optional(HeadName),
            size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            address: Type.Optional(Address),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Household, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateHousehold(app.ctx.database.db, actor, req.params.id, req.body);
    },
  );

  app.post(
    "/api/households",
    {
      schema: {
        tags: ["people"],
        summary: "Register a household in a dwelling (address composed from compound, building, unit and room unless given)",
        body: Type.Object(
          {
            dwellingId: Type.String({ format: "uuid" }),
            headName: HeadName,
            size: Type.Integer({ minimum: 1, maximum: 50 }),
            note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
            address: Type.Optional(Address),
            movedInOn: Type.Optional(Day),
          },
          { additionalProperties: false },
        ),
        response: { 201: Household, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createHousehold(app.ctx.database.db, actor, req.body));
    },
  );

  app.post(
    "/api/households/:id/move",
    {
      schema: {
        tags: ["people"],
        summary: "Move a household to another dwelling on a day; history kept, grid, address and persons follow, an unpinned red grid link is dropped when the grid changes",
        params: IdParams,
        body: Type.Object({ toDwellingId: Type.String({ format: "uuid" }), movedOn: Day }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            household: Household,
            move: Type.Object({ id: Type.String(), movedOn: Type.String(), gridChanged: Type.Boolean() }),
            redGrid: Type.Object({ dropped: Type.Boolean(), pinnedKept: Type.Boolean({ description: "a pinned red grid member was kept although the grid changed: look at it" }) }),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return moveHousehold(app.ctx.database.db, actor, req.params.id, req.body);
    },
  );

  app.get(
    "/api/households/:id/moves",
    {
      schema: {
        tags: ["people"],
        summary: "A household's move history, newest first",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(HouseholdMove) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listHouseholdMoves(app.ctx.database.db, actor, req.params.id) };
    },
  );

  app.post(
    "/api/households/:id/persons",
    {
      schema: {
        tags: ["people"],
        summary: "Add a person to a household; an ID number is stored encrypted, and one already registered is refused (person_duplicate)",
        params: IdParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 40 }),
            gender: Type.Union([Type.Literal("male"), Type.Literal("female")]),
            birthYear: Type.Integer({ minimum: 1900, maximum: 2100 }),
            relation: Relation,
            idNumber: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
            phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
            tags: Type.Optional(Tags),
            skills: Type.Optional(Skills),
          },
          { additionalProperties: false },
        ),
        response: { 201: Person, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await addPersonToHousehold(app.ctx.database.db, app.ctx.keyring, actor, req.params.id, req.body));
    },
  );
}


export async function personRoutes(app: App): Promise<void> {
  app.get(
    "/api/persons",
    {
      schema: {
        tags: ["people"],
        summary: "Persons in your scope (masked), optionally under one area and with a tag",
        querystring: Type.Object(
          {
            areaId: Type.Optional(Type.String({ format: "uuid" })),
            householdId: Type.Optional(Type.String({ format: "uuid" })),
            tag: Type.Optional(Type.String({ pattern: "^[A-Za-z]{2,32}$" })),
            page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Person), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listPersons(app.ctx.database.db, actor, { areaId: req.query.areaId, householdId: req.query.householdId, tag: req.query.tag, page: req.query.page, pageSize: req.query.pageSize });
    },
  );

  app.get(
    "/api/persons/:id",
    { schema: { tags: ["people"], summary: "One person; ID number and phone masked", params: IdParams, response: { 200: Person, ...errorResponses(401, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return getPerson(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.post(
    "/api/persons/:id/reveal",
    {
      schema: {
        tags: ["people"],
        summary: "Show an ID number or phone in clear for a stated purpose, for a few minutes (audited)",
        params: IdParams,
        body: Type.Object({ field: PiiField, purpose: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ field: PiiField, value: Nullable(Type.String()), expiresAt: Type.String({ format: "date-time" }) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      void reply.header("cache-control", "no-store");
      return revealPersonField(app.ctx.database.db, app.ctx.keyring, actor, req.params.id, req.body.field, req.body.purpose);
    },
  );

  app.post(
    "/api/persons/search",
    {
      schema: {
        tags: ["people"],
        summary: "Find a person in your scope by exact ID number (sent in the body, never in the URL)",
        body: Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
        response: { 200: Person, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return findPersonByIdNumber(app.ctx.database.db, app.ctx.keyring, actor, req.body.idNumber);
    },
  );

  app.patch(
    "/api/persons/:id",
    {
      schema: {
        tags: ["people"],
        summary: "Edit a person's tags (fixed vocabulary), skills (only with the talent tag) or relation to the head",
        params: IdParams,
        body: Type.Object({ tags: Type.Optional(Tags), skills: Type.Optional(Skills), relation: Type.Optional(Relation) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: Person, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updatePerson(app.ctx.database.db, actor, req.params.id, req.body);
    },
  );

  app.post(
    "/api/persons/:id/move",
    {
      schema: {
        tags: ["people"],
        summary: "Move a person into another household (e.g. marriage), with their relation to its head",
        params: IdParams,
        body: Type.Object({ toHouseholdId: Type.String({ format: "uuid" }), relation: Relation }, { additionalProperties: false }),
        response: { 200: Person, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return movePersonToHousehold(app.ctx.database.db, actor, req.params.id, req.body);
    },
  );

  app.post(
    "/api/persons/:id/leave",
    {
      schema: {
        tags: ["people"],
        summary: "Take a person out of their household (moved away, deceased); the record stays and the reason is audited",
        params: IdParams,
        body: Type.Object(
          { reason: Type.Union(leaveReasons.map((r) => Type.Literal(r))), leftOn: Type.Optional(Day) },
          { additionalProperties: false },
        ),
        response: { 200: Person, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return removePersonFromHousehold(app.ctx.database.db, actor, req.params.id, req.body);
    },
  );

  app.patch(
    "/api/persons/:id/contact",
    {
      schema: {
        tags: ["people"],
        summary: "Set a person's ID number and/or phone (validated, stored encrypted)",
        params: IdParams,
        body: Type.Object(
          { idNumber: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])), phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Person, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updatePersonContact(app.ctx.database.db, app.ctx.keyring, actor, req.params.id, req.body);
    },
  );
}

/** A ratio as computed, with the formula shown next to it (`CoverageRatio`). */
const Ratio = { ratio: Nullable(Type.Number()), numerator: Type.Integer(), denominator: Type.Integer(), formula: Type.String(), formulaEn: Type.String() };
/** `CoverageFigures`: 党组织覆盖, 党员入格 and 户联系 of an area. */
const CoverageFigures = {
  grids: Type.Object({ ...Ratio, withoutPartyOrg: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
  members: Type.Object({ ...Ratio, notInGrid: Type.Array(Type.String()) }),
  households: Type.Object({ ...Ratio, withoutRedGridMember: Type.Integer(), withoutRedGridMemberIds: Type.Array(Type.String()) }),
};
const CoverageReport = named("CoverageReport", Type.Object({
  street: Type.Object(CoverageFigures, { description: "the whole area asked for, whatever its level" }),
  communities: Type.Array(Type.Object({ ...CoverageFigures, communityId: Type.String(), name: Nullable(Type.String()) })),
  abilities: abilitiesSchema(redGridPolicy),
}));
/** `RedGridNoticeCode`: a code the server adds fails the handler's typecheck until it is listed here. */
const AssignNoticeCode = Type.Union([
  Type.Literal("overrideUnknownHousehold"),
  Type.Literal("overrideUnknownMember"),
  Type.Literal("overrideUnavailableMember"),
  Type.Literal("overrideConflict"),
  Type.Literal("overrideAboveMax"),
]);
/** What a run of the assignment did (`runRedGridAssignment`). */
const AssignResult = named("RedGridAssignResult", Type.Object({
  stats: Type.Object({
    households: Type.Integer(),
    assigned: Type.Integer(),
    members: Type.Integer(),
    minLoad: Type.Integer(),
    maxLoad: Type.Integer(),
    membersInRange: Type.Integer(),
    meanDistanceM: Type.Number(),
  }),
  notices: Type.Array(Type.Object({ code: AssignNoticeCode, householdId: Nullable(Type.String()), memberId: Nullable(Type.String()) })),
  unassigned: Type.Record(Type.String(), Type.Integer(), { description: "households left without a member, by reason (noMemberInGrid, capacity, overrideNone)" }),
}));

export async function redGridRoutes(app: App): Promise<void> {
  app.post(
    "/api/areas/:id/red-grid/assign",
    {
      schema: {
        tags: ["red grid"],
        summary: "Re-run the red grid member assignment (5–10 households each, same building first, then nearest); pinned decisions stay",
        params: IdParams,
        response: { 200: AssignResult, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return runRedGridAssignment(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.put(
    "/api/households/:id/red-grid-member",
    {
      schema: {
        tags: ["red grid"],
        summary: "Pin a household to a red grid member of its grid, or to no one (null); kept on every re-run",
        params: IdParams,
        body: Type.Object({ memberId: Type.Union([Type.String({ format: "uuid" }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ householdId: Type.String(), memberId: Nullable(Type.String()) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return pinRedGridMember(app.ctx.database.db, actor, req.params.id, req.body.memberId);
    },
  );

  app.get(
    "/api/areas/:id/red-grid/members",
    {
      schema: {
        tags: ["red grid"],
        summary: "Party members placed in the grids under an area, with the households each looks after",
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                memberId: Type.String(),
                personId: Type.String(),
                gridId: Type.String(),
                name: Type.String(),
                status: Type.String(),
                partyOrgName: Nullable(Type.String()),
                households: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listRedGridMembers(app.ctx.database.db, actor, req.params.id) };
    },
  );

  app.delete(
    "/api/households/:id/red-grid-member",
    {
      schema: { tags: ["red grid"], summary: "Remove a manual decision (the next run assigns the household again)", params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await unpinRedGridMember(app.ctx.database.db, actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/areas/:id/red-grid/coverage",
    {
      schema: {
        tags: ["red grid"],
        summary: "Red grid coverage under an area: grids without a party organization, members not in a grid, households without a red grid member (with formulas)",
        params: IdParams,
        response: { 200: CoverageReport, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return redGridCoverage(app.ctx.database.db, actor, req.params.id);
    },
  );
}
