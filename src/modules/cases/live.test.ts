import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { roleGrants } from "../../platform/auth/schema.js";
import { buildApp } from "../../app.js";
import { loadConfig } from "../../platform/config.js";
import { openDatabase, type Database } from "../../platform/db/index.js";
import type { App } from "../../platform/http/server.js";
import { applyTransition, lockCase, systemActor, type CaseRow } from "./core.js";
import type { CaseAction } from "./machine.js";
import { caseSummons, caseWhistles } from "./schema.js";
import { notifications } from "../../platform/notify/schema.js";
import { liveHubOf, stillValid } from "../../platform/notify/routes.js";
import { sessions } from "../../platform/auth/schema.js";
import type { Actor } from "../../platform/auth/actor.js";
import { reporterMessage } from "./live.js";
import { caseActions } from "./machine.js";

interface SseEvent {
  event: string;
  id: string | null;
  data: Record<string, unknown>;
}

interface Stream {
  status: number;
  retry: number | null;
  events: SseEvent[];
  /** The first event after those already taken that matches. */
  next(match: (e: SseEvent) => boolean): Promise<SseEvent>;
  ended: Promise<void>;
  close(): void;
}

/** A real EventSource-like client over a socket: resolves once the server says `ready`. */
function openStream(port: number, cookie: string | null): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/api/events/stream", headers: cookie ? { cookie, accept: "text/event-stream" } : {} }, (res) => {
      const events: SseEvent[] = [];
      const waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void; from: number }[] = [];
      let buffer = "";
      let retry: number | null = null;
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      const stream: Stream = {
        status: res.statusCode ?? 0,
        get retry() {
          return retry;
        },
        events,
        next(match) {
          const found = events.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((r) => waiters.push({ match, resolve: r, from: events.length }));
        },
        ended,
        close: () => req.destroy(),
      };
      if (res.statusCode !== 200) {
        res.resume();
        res.on("end", () => resolve(stream));
        return;
      }
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          let event = "message";
          let id: string | null = null;
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("retry: ")) retry = Number(line.slice(7));
            else if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (!data) continue;
          const e: SseEvent = { event, id, data: JSON.parse(data) as Record<string, unknown> };
          events.push(e);
          if (event === "ready") resolve(stream);
          for (const w of [...waiters]) {
            if (w.match(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
          }
        }
      });
      res.on("close", () => endResolve());
    });
    req.on("error", (e) => {
      if ((e as NodeJS.ErrnoException).code !== "ECONNRESET") reject(e);
    });
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe("reporter messages", () => {
  it("has natural Chinese and English for every step the reporter hears about, and nothing for internal steps", () => {
    const ctx = { caseNo: "GZ1", handler: { zh: "甲社区第一网格", en: "甲社区第一网格" }, reason: "不属于受理范围", mergedInto: "GZ0", toLevel: { zh: "街道", en: "Street" }, handleDueAt: new Date("2026-11-23T09:30:00Z") };
    const internal: (CaseAction | "submit")[] = ["rate", "returnToDispatcher", "requestExtension", "declineExtension", "reportIn", "finishSummons", "withdrawSummons", "excuseSummons", "recordSummonsOnBehalf", "remind", "regrid"];
    for (const a of ["submit" as const, ...caseActions]) {
      const m = reporterMessage(a, ctx);
      if (internal.includes(a)) expect(m, a).toBeNull();
      else {
        expect(m!.title.length, a).toBeGreaterThan(1);
        expect(m!.body, a).toContain("GZ1");
        expect(m!.bodyEn, a).toContain("GZ1");
      }
    }
    expect(reporterMessage("dispatch", ctx)!.body).toBe("您反映的问题（编号 GZ1）已派给甲社区第一网格处理。");
    expect(reporterMessage("reject", ctx)!.body).toContain("原因：不属于受理范围");
    expect(reporterMessage("approveExtension", ctx)!.body).toContain("2026年11月23日 17:30");
  });
});

describe.each(testEngines())("live updates and the inbox on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let port: number;
  let reporter: { id: string; username: string };
  let otherResident: { id: string; username: string };
  let reporterSession: Session;
  let otherResidentSession: Session;
  let gridWorkerA1: Session;
  let communityWorkerB: Session;
  let deptStaff: Session;
  let dept2Staff: Session;

  const db = () => t.database.db;
  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);

  /** One step through the one transition path, in its own transaction. */
  const step = (id: string, action: CaseAction, input: Parameters<typeof applyTransition>[4] = {}) =>
    db().transaction(async (tx) => (await applyTransition(tx, systemActor, await lockCase(tx, id), action, input)).case);

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db());
    cat = await seedCaseCatalogue(db(), s);
    reporter = await createTestUser(db(), { role: "resident", areaId: s.gridA1, personId: s.personA1 });
    otherResident = await createTestUser(db(), { role: "resident", areaId: s.gridA1 });
    const gw = await createTestUser(db(), { role: "gridWorker", areaId: s.gridA1 });
    const cwB = await createTestUser(db(), { role: "communityWorker", areaId: s.communityB });
    const ds = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    const ds2 = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    await db().update(roleGrants).set({ orgId: cat.departmentId }).where(eq(roleGrants.userId, ds.id));
    await db().update(roleGrants).set({ orgId: cat.secondDepartmentId }).where(eq(roleGrants.userId, ds2.id));
    reporterSession = await t.login(reporter.username);
    otherResidentSession = await t.login(otherResident.username);
    gridWorkerA1 = await t.login(gw.username);
    communityWorkerB = await t.login(cwB.username);
    deptStaff = await t.login(ds.username);
    dept2Staff = await t.login(ds2.username);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("writes the reporter's inbox on each step they should hear about, in the step's transaction", async () => {
    const c = await insertCase(db(), s, cat.garbage, { reporterUserId: reporter.id });
    // The reporter's rows (staff are told of some steps too: src/platform/notify/notices.test.ts).
    const inbox = () =>
      db()
        .select()
        .from(notifications)
        .where(and(eq(notifications.caseId, c.id), eq(notifications.userId, reporter.id)))
        .orderBy(notifications.id);
    expect((await inbox()).map((n) => n.kind)).toEqual(["case.submit"]);
    expect((await inbox())[0]!.body).toBe(`您反映的问题已提交，编号 ${c.caseNo}。我们会尽快受理，办理进展会在这里告诉您。`);

    await step(c.id, "register");
    await step(c.id, "remind", { visibleToReporter: false, data: { kind: "responseWarning" } });
    await step(c.id, "dispatch", { patch: { dispatchedAt: new Date() } });
    await step(c.id, "receive");
    await step(c.id, "start");
    await step(c.id, "feedback");
    await step(c.id, "verifyPass");
    await step(c.id, "close", { patch: { closedAt: new Date() } });
    // A step that rolls back leaves no notice.
    const before = await count("notifications");
    await expect(
      db().transaction(async (tx) => {
        await applyTransition(tx, systemActor, await lockCase(tx, c.id), "rate", { patch: { rating: "satisfied" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await count("notifications")).toBe(before);

    const rows = await inbox();
    expect(rows.map((n) => n.kind)).toEqual(["case.submit", "case.register", "case.dispatch", "case.receive", "case.start", "case.feedback", "case.verifyPass", "case.close"]);
    expect(rows.every((n) => n.userId === reporter.id && n.link === `/resident/cases/${c.id}` && n.readAt === null)).toBe(true);
    expect(rows.find((n) => n.kind === "case.dispatch")!.body).toBe(`您反映的问题（编号 ${c.caseNo}）已派给甲社区第一网格处理。`);
    expect(rows.at(-1)!.title).toBe("已办结，请您评价");
    expect(rows.at(-1)!.titleEn).toBe("Closed — please rate");
  });

  it("tells the reporter why a report was rejected, and nothing to a case without a reporter account", async () => {
    const c = await insertCase(db(), s, cat.garbage, { reporterUserId: reporter.id });
    await step(c.id, "reject", { note: "该问题属于物业管理范围，请联系小区物业", patch: { rejectReason: "该问题属于物业管理范围，请联系小区物业" } });
    const [n] = await db().select().from(notifications).where(eq(notifications.kind, "case.reject"));
    expect(n!.body).toBe(`很抱歉，您反映的问题（编号 ${c.caseNo}）未予受理。原因：该问题属于物业管理范围，请联系小区物业`);

    const before = await count("notifications");
    const anon = await insertCase(db(), s, cat.garbage, { reporterUserId: null, source: "patrol" });
    await step(anon.id, "register");
    expect(await count("notifications")).toBe(before);
  });

  it("serves the inbox to its owner only: list, unread filter, mark one and all read", async () => {
    const list = await t.as(reporterSession, "GET", "/api/inbox");
    expect(list.statusCode).toBe(200);
    const body = list.json<{ items: { id: number; title: string; readAt: string | null }[]; unreadCount: number; total: number }>();
    expect(body.unreadCount).toBeGreaterThan(5);
    expect(body.total).toBe(body.unreadCount);
    expect(body.items.length).toBe(Math.min(20, body.total));
    const first = body.items[0]!;

    const en = await t.app.inject({ method: "GET", url: "/api/inbox", headers: { cookie: reporterSession.cookie, "accept-language": "en" } });
    expect(en.json<{ items: { title: string }[] }>().items.some((i) => /Report|Case|Closed/.test(i.title))).toBe(true);

    // Someone else's notice is not found, and stays unread.
    const stranger = await t.as(otherResidentSession, "POST", `/api/inbox/${first.id}/read`);
    expect(stranger.statusCode).toBe(404);
    expect((await t.as(otherResidentSession, "GET", "/api/inbox")).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await db().select().from(notifications).where(eq(notifications.id, first.id)))[0]!.readAt).toBeNull();

    const read = await t.as(reporterSession, "POST", `/api/inbox/${first.id}/read`);
    expect(read.statusCode).toBe(200);
    const unread = (await t.as(reporterSession, "GET", "/api/inbox?unread=true")).json<{ items: { id: number }[]; unreadCount: number }>();
    expect(unread.unreadCount).toBe(body.unreadCount - 1);
    expect(unread.items.some((i) => i.id === first.id)).toBe(false);

    const all = await t.as(reporterSession, "POST", "/api/inbox/read-all");
    expect(all.json<{ updated: number }>().updated).toBe(body.unreadCount - 1);
    expect((await t.as(reporterSession, "GET", "/api/inbox")).json<{ unreadCount: number }>().unreadCount).toBe(0);

    expect((await t.as(null, "GET", "/api/inbox")).statusCode).toBe(401);
    expect((await t.as(reporterSession, "POST", "/api/inbox/abc/read")).statusCode).toBe(400);
  });

  it("streams each step to those who may read the case, and only to them", async () => {
    expect((await openStream(port, null)).status).toBe(401);

    const worker = await openStream(port, gridWorkerA1.cookie);
    const own = await openStream(port, reporterSession.cookie);
    const stranger = await openStream(port, otherResidentSession.cookie);
    const otherCommunity = await openStream(port, communityWorkerB.cookie);
    expect(worker.status).toBe(200);
    expect(worker.retry).toBe(5000);
    expect(liveHubOf(t.app)!.clientCount).toBe(4);

    const c = await insertCase(db(), s, cat.garbage, { reporterUserId: reporter.id });
    const registered = await step(c.id, "register");
    const seen = await worker.next((e) => e.event === "case" && e.data.caseId === c.id && e.data.action === "register");
    expect(seen.data).toMatchObject({ caseNo: c.caseNo, status: "registered", level: "grid" });
    expect(seen.id).toMatch(/^c\d+$/);
    // Nothing personal, nor the paths used for routing, goes to the browser.
    expect(Object.keys(seen.data).sort()).toEqual(["action", "at", "caseId", "caseNo", "eventId", "level", "status"]);
    await own.next((e) => e.event === "case" && e.data.caseId === c.id && e.data.action === "register");
    const notice = await own.next((e) => e.event === "inbox" && e.id !== null);
    expect(notice.data.id).toEqual(expect.any(Number));
    expect(registered.status).toBe("registered");

    // A marker everyone may read: a case in community B reported by the other resident.
    const marker = await insertCase(db(), s, cat.garbage, { reporterUserId: otherResident.id, gridId: s.gridB1 });
    await stranger.next((e) => e.event === "case" && e.data.caseId === marker.id);
    await otherCommunity.next((e) => e.event === "case" && e.data.caseId === marker.id);
    // Events arrive in commit order, so by now they would have had the first case's.
    expect(stranger.events.some((e) => e.data.caseId === c.id)).toBe(false);
    expect(otherCommunity.events.some((e) => e.data.caseId === c.id)).toBe(false);
    expect(stranger.events.filter((e) => e.event === "inbox")).toHaveLength(1);
    expect(own.events.some((e) => e.data.caseId === marker.id)).toBe(false);

    // A rolled-back step announces nothing.
    await expect(
      db().transaction(async (tx) => {
        await applyTransition(tx, systemActor, await lockCase(tx, c.id), "dispatch");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const marker2 = await insertCase(db(), s, cat.garbage, { reporterUserId: null });
    await worker.next((e) => e.data.caseId === marker2.id);
    expect(worker.events.some((e) => e.data.caseId === c.id && e.data.action === "dispatch")).toBe(false);

    for (const st of [worker, own, stranger, otherCommunity]) st.close();
    await until(() => liveHubOf(t.app)!.clientCount === 0, "every stream removed from the hub");
  });

  it("streams to department staff of the handling department and of summoned departments", async () => {
    const d1 = await openStream(port, deptStaff.cookie);
    const d2 = await openStream(port, dept2Staff.cookie);
    const light = await insertCase(db(), s, cat.streetLight, { status: "registered", level: "department", handlingOrgId: cat.departmentId });
    await step(light.id, "dispatch");
    await d1.next((e) => e.data.caseId === light.id && e.data.action === "dispatch");

    const garbage = await insertCase(db(), s, cat.garbage, { status: "inProgress" });
    await db().transaction(async (tx) => {
      const locked = await lockCase(tx, garbage.id);
      const [w] = await tx.insert(caseWhistles).values({ caseId: garbage.id, areaId: s.street, blownBy: reporter.id, reason: "需要执法部门协同" }).returning();
      await tx.insert(caseSummons).values({ whistleId: w!.id, caseId: garbage.id, departmentOrgId: cat.secondDepartmentId, reportInDueAt: new Date(Date.now() + 3600_000) });
      await applyTransition(tx, systemActor, locked, "whistle", { note: "需要执法部门协同", patch: { whistled: true } });
    });
    await d2.next((e) => e.data.caseId === garbage.id && e.data.action === "whistle");
    // Later steps of the whistled case reach the summoned department too.
    await step(garbage.id, "feedback");
    await d2.next((e) => e.data.caseId === garbage.id && e.data.action === "feedback");
    expect(d2.events.some((e) => e.data.caseId === light.id)).toBe(false);
    expect(d1.events.some((e) => e.data.caseId === garbage.id)).toBe(false);
    d1.close();
    d2.close();
    await until(() => liveHubOf(t.app)!.clientCount === 0, "department streams removed");
  });

  it.skipIf(engine.name !== "postgres")("reaches an SSE client of a second server process on the same PostgreSQL database", async () => {
    const url = (t.database.pool!.options as { connectionString: string }).connectionString;
    let database2: Database | undefined;
    let app2: App | undefined;
    try {
      database2 = await openDatabase({ url, poolSize: 2 });
      app2 = await buildApp(loadConfig({ LOG_LEVEL: "silent", GONGZHI_RATE_LIMIT_PER_MINUTE: "100000", GONGZHI_SESSION_CACHE_MS: "0" }), database2, { logger: false, keyring: t.keyring });
      await app2.listen({ port: 0, host: "127.0.0.1" });
      const port2 = (app2.server.address() as AddressInfo).port;
      const st = await openStream(port2, gridWorkerA1.cookie);
      // Committed through app 1's database handle.
      const c: CaseRow = await insertCase(db(), s, cat.garbage, { reporterUserId: reporter.id });
      await step(c.id, "register");
      await st.next((e) => e.data.caseId === c.id && e.data.action === "register");

      // The listener connection drops (a network failure): it comes back, says resync, and goes on.
      await database2.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'LISTEN %' and pid <> pg_backend_pid()");
      await st.next((e) => e.event === "resync");
      await step(c.id, "dispatch");
      await st.next((e) => e.data.caseId === c.id && e.data.action === "dispatch");
      st.close();
      await until(() => liveHubOf(app2!)!.clientCount === 0, "app 2 stream removed");
    } finally {
      await app2?.close();
      await database2?.close();
    }
  });

  it("lets a stream live only while its session does (checked at each heartbeat)", async () => {
    const u = await createTestUser(db(), { role: "gridWorker", areaId: s.gridA2 });
    await t.login(u.username);
    const [session] = await db().select().from(sessions).where(eq(sessions.userId, u.id));
    const actor = { kind: "user", userId: u.id, sessionId: session!.id } as Actor;
    expect(await stillValid(db(), actor)).toBe(true);
    await db().update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, session!.id));
    expect(await stillValid(db(), actor)).toBe(false);
  });

  // Last: it closes the app.
  it("ends every open stream when the app closes, without hanging the close", async () => {
    const st = await openStream(port, gridWorkerA1.cookie);
    expect(liveHubOf(t.app)!.clientCount).toBe(1);
    await t.app.close();
    await st.ended;
    expect(liveHubOf(t.app)!.clientCount).toBe(0);
  });
});
