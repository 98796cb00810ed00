import http from "node:http";
import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { applyTransition, lockCase, systemActor, type CaseActor } from "../../modules/cases/core.js";
import type { CaseAction } from "../../modules/cases/machine.js";
import { events } from "../events/index.js";
import { describeNotices } from "./catalogue.js";
import { noticeKinds } from "./kinds.js";
import { notifications, webhookDeliveries } from "./schema.js";
import { runWebhookDeliveries } from "./webhook-worker.js";

describe("the notice catalogue", () => {
  it("holds the staff and party notices with known kinds, and party.registered as a webhook event", () => {
    const catalogue = describeNotices();
    expect(catalogue).toEqual({
      "party.registered": { kind: "party.registration", webhook: true },
      "case.assigned": { kind: "work.assigned", webhook: false },
      "case.summoned": { kind: "work.summoned", webhook: false },
      "case.deadlineNear": { kind: "work.warning", webhook: false },
      "case.overdue": { kind: "work.overdue", webhook: false },
    });
    const kinds = noticeKinds.map((k) => k.kind as string);
    for (const e of Object.values(catalogue)) expect(kinds).toContain(e.kind);
    // Publishing a catalogued event reaches the notify platform through the bus.
    expect(events.describe()["party.registered"]).toEqual(["people"]);
  });
});

describe.each(testEngines())("notices for staff on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  const users: Record<string, { id: string; session: Session }> = {};

  const db = () => t.database.db;
  const user = async (name: string, role: Parameters<typeof createTestUser>[1]["role"], areaId: string | null, orgId?: string) => {
    const u = await createTestUser(db(), { role, areaId });
    if (orgId) {
      await t.database.query("update role_grants set org_id = $1 where user_id = $2", [orgId, u.id]);
      await t.database.query("update users set org_id = $1 where id = $2", [orgId, u.id]);
    }
    users[name] = { id: u.id, session: await t.login(u.username) };
  };
  const step = (id: string, action: CaseAction, input: Parameters<typeof applyTransition>[4] = {}, actor: CaseActor = systemActor) =>
    db().transaction(async (tx) => (await applyTransition(tx, actor, await lockCase(tx, id), action, input)).case);
  /** user name → kinds of their notices about `caseId`, oldest first. */
  const told = async (caseId: string) => {
    const ids = Object.fromEntries(Object.entries(users).map(([n, u]) => [u.id, n]));
    const list = await db()
      .select({ userId: notifications.userId, kind: notifications.kind })
      .from(notifications)
      .where(and(eq(notifications.caseId, caseId), inArray(notifications.userId, Object.keys(ids))))
      .orderBy(notifications.id);
    const out: Record<string, string[]> = {};
    for (const n of list) (out[ids[n.userId]!] ??= []).push(n.kind);
    return out;
  };
  const inbox = async (who: string, lang = "zh-CN") => {
    const res = await t.app.inject({ method: "GET", url: "/api/inbox", headers: { cookie: users[who]!.session.cookie, "accept-language": lang } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { id: number; kind: string; title: string; body: string; link: string | null; readAt: string | null }[]; unreadCount: number }>();
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db());
    cat = await seedCaseCatalogue(db(), s);
    await user("gridA1", "gridWorker", s.gridA1);
    await user("gridA2", "gridWorker", s.gridA2);
    await user("communityA", "communityWorker", s.communityA);
    await user("secretaryA", "communitySecretary", s.communityA);
    await user("communityB", "communityWorker", s.communityB);
    await user("street", "streetAdmin", s.street);
    await user("dept1", "departmentStaff", cat.districtId, cat.departmentId);
    await user("dept2", "departmentStaff", cat.districtId, cat.secondDepartmentId);
  });

  afterAll(async () => {
    await t?.close();
  });

  it("tells the handlers of the level a case arrives at, and not the one who sent it", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "registered", reporterUserId: null });
    await step(c.id, "dispatch", { patch: { dispatchedAt: new Date() } });
    expect(await told(c.id)).toEqual({ gridA1: ["work.assigned"] });
    const [n] = (await inbox("gridA1")).items.filter((i) => i.link === `/worker/tasks/${c.id}`);
    expect(n).toMatchObject({ title: "新的待办案件", body: `案件 ${c.caseNo} 已派遣到本网格，请及时签收办理。` });
    expect((await inbox("gridA1", "en")).items.find((i) => i.id === n!.id)!.body).toBe(`Case ${c.caseNo} was dispatched to your grid. Please take it on.`);

    // Escalated by the grid worker to the community: both community staff of A, not the worker, not B.
    await step(c.id, "escalate", { patch: { level: "community", handlingAreaId: s.communityA } }, { kind: "user", userId: users.gridA1!.id, label: "网格员" });
    expect(await told(c.id)).toEqual({ gridA1: ["work.assigned"], communityA: ["work.assigned"], secretaryA: ["work.assigned"] });

    // Escalated by community worker A to the street: the street administrator only.
    await step(c.id, "escalate", { patch: { level: "street", handlingAreaId: s.street } }, { kind: "user", userId: users.communityA!.id, label: "社区工作者" });
    expect((await told(c.id)).street).toEqual(["work.assigned"]);
    expect((await told(c.id)).secretaryA).toEqual(["work.assigned"]);

    // Sent to a department: its staff, not the other department's.
    await step(c.id, "sendDown", { patch: { level: "department", handlingOrgId: cat.departmentId, handlingAreaId: null } });
    const after = await told(c.id);
    expect(after.dept1).toEqual(["work.assigned"]);
    expect(after.dept2).toBeUndefined();
  });

  it("tells a summoned department's staff of the whistle, through the API, and only them", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "inProgress", reporterUserId: null });
    const res = await t.as(users.street!.session, "POST", `/api/cases/${c.id}/whistle`, { departmentOrgIds: [cat.departmentId], reason: "需要住建局到场" });
    expect(res.statusCode, res.body).toBe(201);
    expect(await told(c.id)).toEqual({ dept1: ["work.summoned"] });
    const item = (await inbox("dept1")).items.find((i) => i.kind === "work.summoned" && i.link === `/console/cases/${c.id}`)!;
    expect(item.title).toBe("吹哨报到");
    expect(item.body).toMatch(new RegExp(`^案件 ${c.caseNo} 吹哨召集本部门，请在\\d+月\\d+日 \\d\\d:\\d\\d前报到。$`));
  });

  it("warns the handlers of deadlines and overdue steps, and a department of a missed report-in", async () => {
    const c = await insertCase(db(), s, cat.streetVending, { status: "received", level: "community", reporterUserId: null });
    await step(c.id, "remind", { visibleToReporter: false, data: { kind: "handleWarning", dueAt: "2026-11-23T09:30:00.000Z" } });
    await step(c.id, "remind", { visibleToReporter: false, data: { kind: "handleDue", dueAt: "2026-11-23T09:30:00.000Z", overdue: true, escalated: false } });
    await step(c.id, "remind", {
      visibleToReporter: false,
      data: { kind: "reportInOverdue", summonsId: "00000000-0000-0000-0000-000000000000", department: { id: cat.secondDepartmentId, name: "二部门" }, dueAt: "2026-11-23T09:30:00.000Z", overdue: true },
    });
    expect(await told(c.id)).toEqual({ communityA: ["work.warning", "work.overdue"], secretaryA: ["work.warning", "work.overdue"], dept2: ["work.overdue"] });
    const items = (await inbox("communityA")).items.filter((i) => i.link === `/console/cases/${c.id}`);
    expect(items.map((i) => i.body)).toEqual([
      `案件 ${c.caseNo} 已超过办理时限（11月23日 17:30），仍未办结。`,
      `案件 ${c.caseNo} 的办理时限是11月23日 17:30，请抓紧办理。`,
    ]);
  });

  it("keeps read state per person: one read, then all, and never someone else's", async () => {
    for (let i = 0; i < 3; i++) {
      const c = await insertCase(db(), s, cat.garbage, { status: "registered", reporterUserId: null, gridId: s.gridA2 });
      await step(c.id, "dispatch", { patch: { dispatchedAt: new Date() } });
    }
    const before = await inbox("gridA2");
    expect(before.unreadCount).toBe(3);
    const first = before.items[0]!;
    expect((await t.as(users.gridA1!.session, "POST", `/api/inbox/${first.id}/read`)).statusCode).toBe(404);
    expect((await t.as(users.gridA2!.session, "POST", `/api/inbox/${first.id}/read`)).statusCode).toBe(200);
    const after = await inbox("gridA2");
    expect(after.unreadCount).toBe(2);
    expect(after.items.find((i) => i.id === first.id)!.readAt).not.toBeNull();
    expect((await t.as(users.gridA2!.session, "POST", "/api/inbox/read-all")).json<{ updated: number }>().updated).toBe(2);
    expect((await inbox("gridA2")).unreadCount).toBe(0);
  });

  it("lets each person switch kinds off (default everything on), and writes nothing of a kind switched off", async () => {
    const prefs = await t.as(users.dept2!.session, "GET", "/api/inbox/preferences");
    expect(prefs.statusCode, prefs.body).toBe(200);
    const list = prefs.json<{ items: { kind: string; label: string; enabled: boolean }[] }>().items;
    expect(list.map((p) => p.kind)).toEqual(noticeKinds.map((k) => k.kind));
    expect(list.every((p) => p.enabled)).toBe(true);
    expect(list.find((p) => p.kind === "work.summoned")!.label).toBe("吹哨召集");

    const off = await t.as(users.dept2!.session, "PUT", "/api/inbox/preferences", { kinds: { "work.summoned": false } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ items: { kind: string; enabled: boolean }[] }>().items.filter((p) => !p.enabled).map((p) => p.kind)).toEqual(["work.summoned"]);
    const bad = await t.as(users.dept2!.session, "PUT", "/api/inbox/preferences", { kinds: { "work.nothing": false } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string; field?: string }>()).toMatchObject({ code: "validation_failed", field: "kinds" });

    // dept2 muted summons, dept1 did not: only dept1 is told. Other kinds still reach dept2.
    const c = await insertCase(db(), s, cat.garbage, { status: "inProgress", reporterUserId: null });
    const res = await t.as(users.street!.session, "POST", `/api/cases/${c.id}/whistle`, { departmentOrgIds: [cat.departmentId, cat.secondDepartmentId], reason: "需要两个部门到场" });
    expect(res.statusCode, res.body).toBe(201);
    expect(await told(c.id)).toEqual({ dept1: ["work.summoned"] });
    await step(c.id, "remind", {
      visibleToReporter: false,
      data: { kind: "reportInOverdue", summonsId: "00000000-0000-0000-0000-000000000000", department: { id: cat.secondDepartmentId, name: "二部门" }, dueAt: null, overdue: true },
    });
    expect((await told(c.id)).dept2).toEqual(["work.overdue"]);

    const on = await t.as(users.dept2!.session, "PUT", "/api/inbox/preferences", { kinds: { "work.summoned": true } });
    expect(on.json<{ items: { enabled: boolean }[] }>().items.every((p) => p.enabled)).toBe(true);
    expect((await t.as(null, "GET", "/api/inbox/preferences")).statusCode).toBe(401);
  });

  it("tells the community of a party registration to confirm, and sends it to webhooks that name party.registered", async () => {
    const receiver = await new Promise<{ server: http.Server; url: string; got: { headers: http.IncomingHttpHeaders; body: string }[] }>((resolve) => {
      const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
      const server = http.createServer((req, res) => {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => (body += chunk));
        req.on("end", () => {
          got.push({ headers: req.headers, body });
          res.end("ok");
        });
      });
      server.listen(0, "127.0.0.1", () => resolve({ server, got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` }));
    });
    try {
      await user("admin", "systemAdmin", s.city);
      const hook = async (body: Record<string, unknown>) => {
        const r = await t.as(users.admin!.session, "POST", "/api/webhooks", { url: receiver.url, ...body });
        expect(r.statusCode, r.body).toBe(201);
        return r.json<{ webhook: { id: string }; secret: string }>();
      };
      // A hook for party registrations, one for every case event (names none), one limited to community B.
      const party = await hook({ name: "党建平台", events: ["party.registered"] });
      const everything = await hook({ name: "全部案件", events: [] });
      const elsewhere = await hook({ name: "乙社区", events: ["party.registered"], areaId: s.communityB });
      expect((await t.as(users.admin!.session, "GET", "/api/webhooks")).json<{ events: string[] }>().events).toContain("party.registered");

      const res = await t.as(users.gridA1!.session, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityA, name: "赵磊", phone: "13900001111", orgName: "河南省某县某镇党委" });
      expect(res.statusCode, res.body).toBe(201);
      const regId = res.json<{ id: string }>().id;

      const told = await db().select({ userId: notifications.userId, kind: notifications.kind, body: notifications.body, link: notifications.link }).from(notifications).where(eq(notifications.kind, "party.registration"));
      expect(told.map((n) => n.userId).sort()).toEqual([users.communityA!.id, users.secretaryA!.id].sort());
      expect(told[0]).toMatchObject({ body: "有流动党员登记找组织，请核实后确认。", link: "/console/party/registrations" });

      const queued = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.event, "party.registered"));
      expect(queued.map((d) => d.webhookId)).toEqual([party.webhook.id]);
      expect(queued.some((d) => d.webhookId === everything.webhook.id || d.webhookId === elsewhere.webhook.id)).toBe(false);

      await runWebhookDeliveries(db(), t.keyring);
      const sent = receiver.got.find((g) => g.headers["x-gongzhi-event"] === "party.registered")!;
      const body = JSON.parse(sent.body) as Record<string, unknown>;
      expect(body).toMatchObject({ event: "party.registered", deliveryId: String(queued[0]!.id), registration: { id: regId, communityId: s.communityA, kind: "floating" } });
      // No personal data: neither the name nor the phone travels.
      expect(sent.body).not.toContain("赵磊");
      expect(sent.body).not.toContain("13900001111");
      const ts = sent.headers["x-gongzhi-timestamp"] as string;
      expect(sent.headers["x-gongzhi-signature"]).toBe(`sha256=${createHmac("sha256", party.secret).update(`${ts}.${sent.body}`).digest("hex")}`);
    } finally {
      await new Promise<void>((r) => receiver.server.close(() => r()));
    }
  });
});
