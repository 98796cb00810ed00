/**
 * The per-process NOTIFY bus: one subscription point for PostgreSQL `LISTEN` channels.
 *
 * On PostgreSQL a dedicated `pg.Client` (not a pool connection: a pool may recycle it, and a
 * listening session must stay open) listens on every channel asked for; when the connection drops
 * it reconnects with a growing pause, listens again and tells subscribers to resynchronise
 * (notifications sent while it was away are lost — that is NOTIFY's contract). On the embedded
 * engine there is one session in this process, and PGlite's own `listen` is used.
 *
 * NOTIFY is transactional: a `pg_notify` inside a transaction is delivered at commit, and never
 * when the transaction rolls back, so what listeners hear has happened.
 */
import pg from "pg";
import type { Database } from "../db/index.js";

export type NotifyHandler = (payload: string) => void;

export interface NotifyBus {
  /** Starts listening on `channel` (connecting on first use); returns the unsubscribe function. */
  subscribe(channel: string, handler: NotifyHandler): Promise<() => void>;
  /** Called after a lost connection is back: notifications may have been missed. */
  onResync(handler: () => void): () => void;
  /** True while the listening session is up (always true on the embedded engine once started). */
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface NotifyBusOptions {
  onError?: (e: unknown) => void;
  /** First pause before reconnecting, doubled up to `maxReconnectMs` (defaults 500 ms, 30 s). */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export function createNotifyBus(database: Database, opts: NotifyBusOptions = {}): NotifyBus {
  return database.pool ? new PostgresBus(database.pool, opts) : new EmbeddedBus(database);
}

/** Channel names are fixed identifiers of ours; refuse anything else rather than quote it. */
function checkChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid NOTIFY channel name: ${channel}`);
}

class Handlers {
  private readonly byChannel = new Map<string, Set<NotifyHandler>>();
  add(channel: string, h: NotifyHandler): boolean {
    let set = this.byChannel.get(channel);
    const isNew = !set;
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(h);
    return isNew;
  }
  /** Returns true when the channel has no handler left. */
  remove(channel: string, h: NotifyHandler): boolean {
    const set = this.byChannel.get(channel);
    if (!set) return false;
    set.delete(h);
    if (set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }
  channels(): string[] {
    return [...this.byChannel.keys()];
  }
  emit(channel: string, payload: string, onError?: (e: unknown) => void): void {
    for (const h of this.byChannel.get(channel) ?? []) {
      try {
        h(payload);
      } catch (e) {
        onError?.(e);
      }
    }
  }
}

class EmbeddedBus implements NotifyBus {
  private readonly handlers = new Handlers();
  private readonly unlisten = new Map<string, () => Promise<void>>();
  private closed = false;
  readonly connected = true;
  constructor(private readonly database: Database) {}

  async subscribe(channel: string, handler: NotifyHandler): Promise<() => void> {
    checkChannel(channel);
    if (this.closed) throw new Error("notify bus closed");
    if (this.handlers.add(channel, handler)) {
      this.unlisten.set(channel, await this.database.listen(channel, (p) => this.handlers.emit(channel, p)));
    }
    return () => {
      if (this.handlers.remove(channel, handler)) {
        const stop = this.unlisten.get(channel);
        this.unlisten.delete(channel);
        void stop?.().catch(() => undefined);
      }
    };
  }

  onResync(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stop of this.unlisten.values()) await stop().catch(() => undefined);
    this.unlisten.clear();
  }
}

class PostgresBus implements NotifyBus {
  private readonly handlers = new Handlers();
  private readonly resync = new Set<() => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pause: number;
  private closed = false;
  private everConnected = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: NotifyBusOptions,
  ) {
    this.pause = opts.reconnectMs ?? 500;
  }

  get connected(): boolean {
    return this.client !== null;
  }

  async subscribe(channel: string, handler: NotifyHandler): Promise<() => void> {
    checkChannel(channel);
    if (this.closed) throw new Error("notify bus closed");
    const isNew = this.handlers.add(channel, handler);
    try {
      if (!this.client) await this.connect();
      else if (isNew) await this.client.query(`LISTEN ${channel}`);
    } catch (e) {
      this.handlers.remove(channel, handler);
      throw e;
    }
    return () => {
      if (this.handlers.remove(channel, handler) && this.client) {
        this.client.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  onResync(handler: () => void): () => void {
    this.resync.add(handler);
    return () => this.resync.delete(handler);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    // The pool's own settings (connection string, SSL, timeouts) make the listening session.
    const client = new pg.Client(this.pool.options);
    client.on("notification", (msg) => this.handlers.emit(msg.channel, msg.payload ?? "", this.opts.onError));
    client.on("error", (e) => this.lost(client, e));
    client.on("end", () => this.lost(client, null));
    await client.connect();
    try {
      for (const ch of this.handlers.channels()) await client.query(`LISTEN ${ch}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.pause = this.opts.reconnectMs ?? 500;
    if (this.everConnected) for (const h of this.resync) h();
    this.everConnected = true;
  }

  private lost(client: pg.Client, e: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners("notification");
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (e) this.opts.onError?.(e);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.timer || this.closed) return;
    const wait = this.pause;
    this.pause = Math.min(this.pause * 2, this.opts.maxReconnectMs ?? 30_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed || this.client) return;
      this.connect().catch((err: unknown) => {
        this.opts.onError?.(err);
        this.scheduleReconnect();
      });
    }, wait);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.connecting?.catch(() => undefined);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners();
      c.on("error", () => undefined);
      await c.end().catch(() => undefined);
    }
  }
}
