/**
 * HTTP for the first-run page: whether setup is pending, a check of the one-time code, and the
 * setup itself. No login (there is nobody to log in yet); the code from the server's log stands in
 * for it, and these routes are rate limited like the login.
 */
import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { errorResponses, named, Nullable } from "../../platform/http/schemas.js";
import { setupNeeded, verifySetupCode } from "../../platform/setup/code.js";
import { AppError } from "../../platform/errors.js";
import { runSetup } from "./service.js";

const Code = Type.String({ minLength: 1, maxLength: 40, description: "the one-time setup code printed in the server's log at start" });
const DivisionCode = (digits: string) => Type.String({ pattern: `^[0-9]{${digits}}$` });

const SetupResult = named("SetupResult", Type.Object({
  username: Type.String(),
  street: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  district: Type.Object({ id: Type.String(), name: Type.String() }),
  city: Type.Object({ id: Type.String(), name: Type.String() }),
  communities: Type.Array(Type.Object({ id: Type.String(), code: Nullable(Type.String()), name: Type.String() })),
}));

export async function setupRoutes(app: App): Promise<void> {
  const limited = { rateLimit: { max: app.ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } };

  app.get(
    "/api/setup",
    {
      schema: {
        tags: ["setup"],
        summary: "Whether first-run setup is pending (no system administrator exists yet)",
        response: { 200: Type.Object({ needed: Type.Boolean() }) },
      },
    },
    async () => ({ needed: await setupNeeded(app.ctx.database.db) }),
  );

  app.post(
    "/api/setup/code",
    {
      schema: {
        tags: ["setup"],
        summary: "Check the one-time setup code without using it (a wrong code counts as a try); 409 once setup is done",
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(409, 429) },
      },
      config: limited,
    },
    async (req, reply) => {
      if (!(await setupNeeded(app.ctx.database.db))) throw new AppError("setup_done");
      await verifySetupCode(app.ctx.database.db, req.body.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/setup",
    {
      schema: {
        tags: ["setup"],
        summary:
          "First-run setup, all or nothing: the system administrator, the street picked from the division codes (its city and district created with it) and its communities (official ones by code, renamable; extra ones by name). Guarded by the one-time code; 409 once setup is done.",
        body: Type.Object(
          {
            code: Code,
            admin: Type.Object(
              { username: Type.String({ minLength: 1, maxLength: 64 }), displayName: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
              { additionalProperties: false },
            ),
            province: Type.Optional(DivisionCode("6")),
            city: Type.Optional(DivisionCode("6")),
            district: Type.Optional(DivisionCode("6")),
            street: Type.String({ minLength: 1, maxLength: 12, description: "9-digit street division code" }),
            communities: Type.Array(
              Type.Object({ code: Type.Optional(Type.String({ maxLength: 12 })), name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
              { maxItems: 200 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: SetupResult, ...errorResponses(409, 429) },
      },
      config: limited,
    },
    async (req, reply) => {
      const { code, ...input } = req.body;
      const result = await runSetup(app.ctx.database.db, input, { code });
      const { adminId: _id, ...shown } = result;
      return reply.status(201).send(shown);
    },
  );
}
