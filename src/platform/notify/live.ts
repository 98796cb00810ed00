/**
 * Live updates (实时推送): one hub per server process listens on the NOTIFY bus and passes each
 * event to the SSE clients allowed to see it.
 *
 * The hub knows the inbox channel itself (`gongzhi_inbox`: a notice for one user goes to that
 * user's streams). Modules add their own topics (cases: `gongzhi_cases`, filtered by the case read
 * policy) through `LiveTopic`, given to the routes by the app from the module list, so the hub
 * never needs to know a module's rules.
 */
import type { Actor } from "../auth/actor.js";
import type { NotifyBus } from "./index.js";

export const inboxChannel = "gongzhi_inbox";

export interface InboxNotice {
  userId: string;
  id: number;
}

export type LiveEventName = "ready" | "case" | "inbox" | "resync";

/** A module's live channel: the NOTIFY channel, the SSE event, and who may see each message. */
export interface LiveTopic {
  channel: string;
  event: Exclude<LiveEventName, "ready" | "inbox" | "resync">;
  /**
   * Parses one NOTIFY payload (once per message, whatever the number of clients) into a test of
   * each client: the SSE id and data the actor may see, or null. Throws on a malformed payload.
   */
  prepare(payload: string): (actor: Actor) => { id: string; data: unknown } | null;
}

export interface LiveClient {
  actor: Actor;
  /** Writes one SSE event; `id` becomes the event's `id:` line. */
  send(event: LiveEventName, id: string | null, data: unknown): void;
  /** Ends the stream (the hub is closing, or the user opened too many). */
  close(): void;
}

/** Streams one user may hold at once (tabs); the oldest is closed beyond this. */
export const maxStreamsPerUser = 8;

/**
 * One per server process: listens on the inbox channel and the modules' topics (from the first
 * client on, until closed) and passes each event to the clients allowed to see it.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private started: Promise<void> | null = null;
  private readonly stops: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly bus: NotifyBus,
    private readonly topics: readonly LiveTopic[],
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  /** SSE clients connected to this process. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Adds a client (listening first, so nothing committed after this returns is missed). */
  async add(client: LiveClient): Promise<() => void> {
    if (this.closed) throw new Error("live hub closed");
    await this.start();
    const own = [...this.clients].filter((c) => c.actor.userId === client.actor.userId);
    if (own.length >= maxStreamsPerUser) {
      const oldest = own[0]!;
      this.clients.delete(oldest);
      oldest.close();
    }
    this.clients.add(client);
    return () => {
      this.clients.delete(client);
    };
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      for (const topic of this.topics) this.stops.push(await this.bus.subscribe(topic.channel, (p) => this.onTopic(topic, p)));
      this.stops.push(await this.bus.subscribe(inboxChannel, (p) => this.onInbox(p)));
      this.stops.push(this.bus.onResync(() => this.broadcastResync()));
    })().catch((e: unknown) => {
      for (const stop of this.stops.splice(0)) stop();
      this.started = null;
      throw e;
    });
    return this.started;
  }

  private onTopic(topic: LiveTopic, payload: string): void {
    let test: ReturnType<LiveTopic["prepare"]>;
    try {
      test = topic.prepare(payload);
    } catch (e) {
      this.onError(e);
      return;
    }
    for (const c of this.clients) {
      const m = test(c.actor);
      if (m) this.deliver(c, topic.event, m.id, m.data);
    }
  }

  private onInbox(payload: string): void {
    let n: InboxNotice;
    try {
      n = JSON.parse(payload) as InboxNotice;
    } catch (e) {
      this.onError(e);
      return;
    }
    for (const c of this.clients) {
      if (c.actor.userId === n.userId) this.deliver(c, "inbox", `i${n.id}`, { id: n.id });
    }
  }

  private broadcastResync(): void {
    for (const c of this.clients) this.deliver(c, "resync", null, {});
  }

  private deliver(c: LiveClient, event: LiveEventName, id: string | null, data: unknown): void {
    try {
      c.send(event, id, data);
    } catch (e) {
      this.clients.delete(c);
      this.onError(e);
    }
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.clients) c.close();
    this.clients.clear();
    await this.started?.catch(() => undefined);
    for (const stop of this.stops.splice(0)) stop();
  }
}
