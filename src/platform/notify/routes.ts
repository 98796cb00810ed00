/**
 * HTTP for live updates, the inbox and notice settings: `GET /api/events/stream` (Server-Sent Events) and
 * `/api/inbox`. The hub (one per app, i.e. per server process) listens through the NOTIFY bus from
 * the first stream on and is closed with the app.
 */
import { Type } from "typebox";
import { eq } from "drizzle-orm";
import type { Server } from "node:http";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses, named } from "../http/schemas.js";
import { createNotifyBus } from "./index.js";
import { pickLang } from "../errors.js";
import { apiKeys, sessions } from "../auth/schema.js";
import type { Actor } from "../auth/actor.js";
import type { Db } from "../db/index.js";
import { getNoticePreferences, listInbox, markAllInboxRead, markInboxRead, setNoticePreferences } from "./inbox.js";
import { LiveHub, type LiveClient, type LiveEventName, type LiveTopic } from "./live.js";

/** Heartbeat comment interval: keeps proxies from closing an idle stream; also re-checks the session. */
export const heartbeatMs = 15_000;
/** How long the browser waits before reconnecting (the SSE `retry:` field). */
export const retryMs = 5_000;

const hubs = new WeakMap<Server, LiveHub>();

/** The app's hub (tests read `clientCount`). */
export function liveHubOf(app: App): LiveHub | undefined {
  return hubs.get(app.server);
}

/** Whether the session or API key behind the stream is still good (revoked, expired → end the stream). */
export async function stillValid(db: Db, actor: Actor): Promise<boolean> {
  if (actor.sessionId) {
    const [s] = await db.select({ expiresAt: sessions.expiresAt, revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.id, actor.sessionId));
    return !!s && !s.revokedAt && s.expiresAt.getTime() > Date.now();
  }
  if (actor.apiKeyId) {
    const [k] = await db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, actor.apiKeyId));
    return !!k && !k.revokedAt;
  }
  return true;
}

const InboxItem = named("InboxItem", Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: "the resident's case notices: case.<action> (case.dispatch); staff and other notices: their kind (work.assigned, work.summoned, work.warning, work.overdue, party.registration)" }),
  caseId: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
}));

const NoticePreferences = Type.Object({
  items: Type.Array(
    Type.Object({
      kind: Type.String({ description: "case.progress, work.assigned, work.summoned, work.warning, work.overdue, party.registration" }),
      label: Type.String(),
      description: Type.String(),
      enabled: Type.Boolean(),
    }),
  ),
});

export async function liveRoutes(app: App, opts: { topics: readonly LiveTopic[] }): Promise<void> {
  const bus = createNotifyBus(app.ctx.database, { onError: (e) => app.log.warn({ err: e }, "live notify bus") });
  const hub = new LiveHub(bus, opts.topics, (e) => app.log.warn({ err: e }, "live event dropped"));
  hubs.set(app.server, hub);
  // Open streams would keep the server from closing: end them first.
  app.addHook("preClose", async () => {
    await hub.close();
  });
  app.addHook("onClose", async () => {
    await hub.close();
    await bus.close();
  });

  app.get(
    "/api/events/stream",
    {
      schema: {
        tags: ["live"],
        summary: "Live updates (Server-Sent Events): case steps the user may read, and new inbox notices",
        description:
          "text/event-stream. Events: `ready` once listening; `case` {eventId, caseId, caseNo, action, status, level, at} with id `c<eventId>`; `inbox` {id} with id `i<id>`; `resync` after the server lost its database listener (reload what is shown). A comment line every 15 s keeps the stream open.",
        response: {
          200: { description: "event stream", content: { "text/event-stream": { schema: Type.String() } } },
          ...errorResponses(401),
        },
      },
      // One request per stream, not per event; its own bucket, so reconnects never eat the API's.
      config: { rateLimit: { max: app.ctx.config.rateLimitPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const raw = reply.raw;
      let ended = false;
      let remove: () => void = () => undefined;
      const timers: { beat?: NodeJS.Timeout } = {};
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(timers.beat);
        remove();
        if (!raw.writableEnded) raw.end();
      };
      const client: LiveClient = {
        actor,
        send(event: LiveEventName, id: string | null, data: unknown) {
          if (ended) return;
          raw.write(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        },
        close: end,
      };
      reply.hijack();
      raw.on("close", end);
      raw.on("error", end);
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        // nginx and similar proxies must not buffer the stream.
        "x-accel-buffering": "no",
        "x-request-id": req.id,
      });
      raw.write(`retry: ${retryMs}\n\n`);
      try {
        remove = await hub.add(client);
      } catch (e) {
        // The database listener is not up: end the stream; the browser retries after `retry`.
        req.log.warn({ err: e }, "live stream could not listen");
        end();
        return;
      }
      // The client may have gone while we were subscribing.
      if (ended) {
        remove();
        return;
      }
      client.send("ready", null, {});
      const beat = setInterval(() => {
        void stillValid(app.ctx.database.db, actor)
          .catch(() => true)
          .then((ok) => {
            if (ended) return;
            if (ok) raw.write(": ping\n\n");
            else end();
          });
      }, heartbeatMs);
      beat.unref();
      timers.beat = beat;
    },
  );

  app.get(
    "/api/inbox",
    {
      schema: {
        tags: ["live"],
        summary: "My inbox (站内信): notices newest first, with the unread count",
        querystring: Type.Object(
          { unread: Type.Optional(Type.Boolean()), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(InboxItem), unreadCount: Type.Integer(), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
          ...errorResponses(401),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listInbox(app.ctx.database.db, actor.userId, {
        ...(req.query.unread !== undefined ? { unread: req.query.unread } : {}),
        ...(req.query.page !== undefined ? { page: req.query.page } : {}),
        lang: pickLang(req.headers["accept-language"]),
      });
    },
  );

  app.post(
    "/api/inbox/:id/read",
    {
      schema: {
        tags: ["live"],
        summary: "Mark one of my notices read",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.Integer(), readAt: Type.String({ format: "date-time" }) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return markInboxRead(app.ctx.database.db, actor.userId, req.params.id);
    },
  );

  app.post(
    "/api/inbox/read-all",
    {
      schema: {
        tags: ["live"],
        summary: "Mark all my notices read",
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return markAllInboxRead(app.ctx.database.db, actor.userId);
    },
  );

  app.get(
    "/api/inbox/preferences",
    {
      schema: {
        tags: ["live"],
        summary: "Which kinds of notice I get (all on unless switched off), in my language",
        response: { 200: NoticePreferences, ...errorResponses(401) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await getNoticePreferences(app.ctx.database.db, actor.userId, pickLang(req.headers["accept-language"])) };
    },
  );

  app.put(
    "/api/inbox/preferences",
    {
      schema: {
        tags: ["live"],
        summary: "Switch kinds of notice on or off (kinds not named stay as they are)",
        description: "An unknown kind answers validation_failed with field `kinds`.",
        body: Type.Object(
          { kinds: Type.Record(Type.String({ maxLength: 60 }), Type.Boolean(), { maxProperties: 50, description: "kind → on (true) or off (false)" }) },
          { additionalProperties: false },
        ),
        response: { 200: NoticePreferences, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await setNoticePreferences(app.ctx.database.db, actor.userId, req.body.kinds, pickLang(req.headers["accept-language"])) };
    },
  );
}
