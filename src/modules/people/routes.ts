import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, IdParams, Nullable } from "../../platform/http/schemas.js";
import { getHousehold, listHouseholds, updateHousehold } from "./service.js";
import { listRedGridMembers, pinRedGridMember, redGridCoverage, runRedGridAssignment, unpinRedGridMember } from "./red-grid-service.js";
import { findPersonByIdNumber, getPerson, listPersons, revealPersonField, updatePersonContact } from "./persons.js";

const Household = Type.Object({
  id: Type.String(),
  gridId: Type.String(),
  gridName: Type.String(),
  address: Type.String({ description: "masked unless the role needs the clear value" }),
  headName: Type.String(),
  size: Type.Integer(),
  note: Nullable(Type.String()),
  masked: Type.Boolean(),
  abilities: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});

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
        summary: "Update the worker's note on a household",
        params: IdParams,
        body: Type.Object({ note: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Household, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateHousehold(app.ctx.database.db, actor, req.params.id, { note: req.body.note });
    },
  );
}

const Person = Type.Object({
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
  abilities: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});
const PiiField = Type.Union([Type.Literal("idNumber"), Type.Literal("phone")]);

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

const OpenObject = Type.Object({}, { additionalProperties: true });

export async function redGridRoutes(app: App): Promise<void> {
  app.post(
    "/api/areas/:id/red-grid/assign",
    {
      schema: {
        tags: ["red grid"],
        summary: "Re-run the red grid member assignment (5–10 households each, same building first, then nearest); pinned decisions stay",
        params: IdParams,
        response: { 200: Type.Object({ stats: OpenObject, notices: Type.Array(OpenObject), unassigned: Type.Record(Type.String(), Type.Integer()) }), ...errorResponses(401, 403, 404) },
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
        response: { 200: OpenObject, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return redGridCoverage(app.ctx.database.db, actor, req.params.id);
    },
  );
}
