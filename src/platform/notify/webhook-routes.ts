/** HTTP for webhook administration (system administrators only). */
import { Type } from "typebox";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../http/schemas.js";
import { authorize } from "../policy/index.js";
import {
  assertWebhookAdmin,
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  regenerateWebhookSecret,
  updateWebhook,
  webhookEvents,
  webhookPolicy,
} from "./webhooks.js";
import { pingWebhook } from "./webhook-worker.js";

const Webhook = named("Webhook", Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String(), { description: "subscribed events; empty = all" }),
  areaId: Nullable(Type.String()),
  areaName: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
  pending: Type.Integer(),
  failed: Type.Integer(),
  lastDeliveredAt: Nullable(Type.String({ format: "date-time" })),
}));

const Delivery = named("WebhookDelivery", Type.Object({
  id: Type.Integer(),
  event: Type.String(),
  status: Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]),
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ format: "date-time" })),
  deliveredAt: Nullable(Type.String({ format: "date-time" })),
  failedAt: Nullable(Type.String({ format: "date-time" })),
  createdAt: Type.String({ format: "date-time" }),
  caseNo: Nullable(Type.String()),
}));

export async function webhookRoutes(app: App): Promise<void> {
  // Events and URL are checked by the service, so a bad one answers webhook_invalid with the field.
  // Built here, not at import: the module list has registered its events by the time routes are.
  const EventList = Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50, description: `from: ${webhookEvents().join(", ")}` });
  const db = () => app.ctx.database.db;

  const load = async (actor: Parameters<typeof assertWebhookAdmin>[0], id: string) => {
    const hook = await getWebhook(db(), id);
    authorize(actor, "manage", hook, webhookPolicy);
    return hook;
  };

  app.get(
    "/api/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Webhooks to outside systems, with the events they can subscribe to",
        response: { 200: Type.Object({ items: Type.Array(Webhook), events: Type.Array(Type.String()) }), ...errorResponses(401, 403) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      assertWebhookAdmin(actor);
      return { items: await listWebhooks(db()), events: webhookEvents() };
    },
  );

  app.post(
    "/api/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Register a webhook; the signing secret is in this answer only",
        body: Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            url: Type.String({ maxLength: 4000 }),
            events: EventList,
            areaId: Type.Optional(Nullable(Uuid)),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ webhook: Webhook, secret: Type.String({ description: "HMAC-SHA256 signing secret, shown once" }) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const result = await createWebhook(db(), app.ctx.keyring, actor, {
        name: req.body.name,
        url: req.body.url,
        events: req.body.events,
        areaId: req.body.areaId ?? null,
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    "/api/webhooks/:id/secret",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Replace the signing secret (when it may have leaked); the new one is in this answer only and signs every delivery from now on",
        params: IdParams,
        response: {
          200: Type.Object({ webhook: Webhook, secret: Type.String({ description: "HMAC-SHA256 signing secret, shown once" }) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      void reply.header("cache-control", "no-store");
      return regenerateWebhookSecret(db(), app.ctx.keyring, actor, req.params.id);
    },
  );

  app.patch(
    "/api/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Pause or resume a webhook, change its events, name or URL",
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            url: Type.Optional(Type.String({ maxLength: 4000 })),
            events: Type.Optional(EventList),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Webhook, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      await load(actor, req.params.id);
      return updateWebhook(db(), actor, req.params.id, req.body);
    },
  );

  app.delete(
    "/api/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Remove a webhook and its delivery history",
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await load(actor, req.params.id);
      await deleteWebhook(db(), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/webhooks/:id/deliveries",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Recent deliveries of a webhook (100 newest)",
        params: IdParams,
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      await load(actor, req.params.id);
      return { items: await listDeliveries(db(), req.params.id, req.query.status ? { status: req.query.status } : {}) };
    },
  );

  app.post(
    "/api/webhooks/:id/test",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Send a signed ping to the webhook now and report the receiver's answer",
        params: IdParams,
        response: {
          200: Type.Object({ deliveryId: Type.Integer(), ok: Type.Boolean(), status: Nullable(Type.Integer()), error: Nullable(Type.String()) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      await load(actor, req.params.id);
      return pingWebhook(db(), app.ctx.keyring, req.params.id);
    },
  );
}
