/** HTTP for a grid's staff (网格力量): list, appoint, end a term, and whom the dialog offers. */
import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../platform/http/schemas.js";
import { Day } from "./http-schemas.js";
import { appointGridStaff, endGridStaff, listGridStaff, listStaffCandidates } from "./staff.js";

const StaffRole = Type.Union([Type.Literal("leader"), Type.Literal("instructor"), Type.Literal("fullTime"), Type.Literal("partTime")], {
  description: "网格长 / 网格指导员 / 专职网格员 / 兼职网格员",
});
const Staff = named("GridStaff", Type.Object({
  id: Type.String(),
  gridId: Type.String(),
  role: StaffRole,
  holder: Type.Union([Type.Literal("login"), Type.Literal("resident"), Type.Literal("nameOnly")]),
  userId: Nullable(Type.String()),
  personId: Nullable(Type.String()),
  name: Type.String({ description: "clear for a login or a name alone; a resident's name as their person page shows it to you (masked unless you may see it clear)" }),
  startedOn: Type.String(),
  endedOn: Nullable(Type.String()),
}));
const StaffList = named("GridStaffList", Type.Object({
  area: Type.Object({ id: Type.String(), name: Type.String(), level: Type.Union([Type.Literal("community"), Type.Literal("grid")]) }),
  grids: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), code: Nullable(Type.String()), staff: Type.Array(Staff) })),
  abilities: Type.Object({ manage: Type.Boolean() }),
}));

export async function gridStaffRoutes(app: App): Promise<void> {
  app.get(
    "/api/areas/:id/staff",
    {
      schema: {
        tags: ["areas"],
        summary: "网格力量: a grid's current staff (all=true adds those who ended), or every grid's of a community, grouped",
        params: IdParams,
        querystring: Type.Object({ all: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: { 200: StaffList, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listGridStaff(app.ctx.database.db, actor, req.params.id, { all: req.query.all });
    },
  );

  app.get(
    "/api/areas/:id/staff/candidates",
    {
      schema: {
        tags: ["areas"],
        summary: "Whom a grid's staff may be appointed from: logins of the community and street, and the grid's building heads, volunteers and party members",
        params: IdParams,
        response: {
          200: Type.Object({
            logins: Type.Array(Type.Object({ userId: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) })),
            residents: Type.Array(
              Type.Object({
                personId: Type.String(),
                name: Type.String({ description: "as the person page shows it to you: masked unless you may see it clear" }),
                tags: Type.Array(Type.String()),
                partyMember: Type.Boolean(),
              }),
            ),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listStaffCandidates(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.post(
    "/api/areas/:id/staff",
    {
      schema: {
        tags: ["areas"],
        summary: "Appoint a grid's leader, instructor or grid worker: one of a login (userId), a resident (personId) or a name; one current leader per grid",
        params: IdParams,
        body: Type.Object(
          {
            role: StaffRole,
            userId: Type.Optional(Uuid),
            personId: Type.Optional(Uuid),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            startedOn: Type.Optional(Day),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await appointGridStaff(app.ctx.database.db, actor, req.params.id, req.body));
    },
  );

  app.post(
    "/api/grid-staff/:id/end",
    {
      schema: {
        tags: ["areas"],
        summary: "End a grid staff member's term (卸任) on a day",
        params: IdParams,
        body: Type.Object({ endedOn: Day }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await endGridStaff(app.ctx.database.db, actor, req.params.id, req.body.endedOn);
      return reply.status(204).send(null);
    },
  );
}
