/**
 * Domain events, inside the transaction that causes them.
 *
 * A module that changes something other modules care about publishes an event on the transaction
 * that makes the change (`await events.publish(tx, "household.moved", {...})`). Every subscriber
 * runs, in subscription order, on that same transaction: the owner of each affected table moves
 * its own rows there, so the change and everything that follows from it commit together or not
 * at all, and no module writes another module's tables.
 *
 * Whatever must reach the world outside the database (live updates, the inbox's bell, webhook
 * deliveries) is written by a subscriber in the same transaction as rows or a `pg_notify`, and is
 * delivered after commit by the NOTIFY bus and the workers: what listeners hear has happened.
 *
 * The catalogue is typed: each module declares its events by augmenting `DomainEvents`
 *
 *     declare module "../../platform/events/index.js" {
 *       interface DomainEvents { "household.moved": HouseholdMoved }
 *     }
 *
 * and `publish`/`subscribe` only accept those names with their payloads.
 *
 * Subscriptions are made once, by the module list (src/modules/index.ts), which then seals the
 * bus. Publishing on an unsealed bus throws: an event published before every module has
 * subscribed would silently skip an owner's rows.
 */
import type { Db } from "../db/index.js";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface DomainEvents {}

export type EventName = keyof DomainEvents;

export type EventHandler<N extends EventName> = (tx: Db, payload: DomainEvents[N]) => Promise<void>;

interface Subscription {
  /** The module that subscribed, for errors and for `describe()`. */
  module: string;
  handler: (tx: Db, payload: unknown) => Promise<void>;
}

export class EventBus {
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly observers = new Map<string, Set<(payload: unknown) => void>>();
  private sealed = false;

  /** Adds `handler` for `name`. Only before the bus is sealed. */
  subscribe<N extends EventName>(name: N, module: string, handler: EventHandler<N>): void {
    if (this.sealed) throw new Error(`event bus is sealed: ${module} cannot subscribe to ${String(name)} now`);
    const list = this.subscriptions.get(name) ?? [];
    list.push({ module, handler: handler as Subscription["handler"] });
    this.subscriptions.set(name, list);
  }

  /** Ends subscription: from now on events may be published. */
  seal(): void {
    this.sealed = true;
  }

  get isSealed(): boolean {
    return this.sealed;
  }

  /** Runs every subscriber of `name` on `tx`, in order. A subscriber's error aborts the transaction. */
  async publish<N extends EventName>(tx: Db, name: N, payload: DomainEvents[N]): Promise<void> {
    if (!this.sealed) throw new Error(`event ${String(name)} published before the module list subscribed (import src/modules/index.ts first)`);
    for (const s of this.subscriptions.get(name) ?? []) await s.handler(tx, payload);
    for (const o of this.observers.get(name) ?? []) o(payload);
  }

  /**
   * Watches `name` without taking part: `observer` gets each payload after the subscribers ran, in
   * the publisher's transaction, so it may see an event whose transaction later rolls back. For
   * tests and diagnostics — anything that must last subscribes instead. Allowed after sealing;
   * returns the function that stops watching.
   */
  observe<N extends EventName>(name: N, observer: (payload: DomainEvents[N]) => void): () => void {
    const set = this.observers.get(name) ?? new Set();
    const o = observer as (payload: unknown) => void;
    set.add(o);
    this.observers.set(name, set);
    return () => set.delete(o);
  }

  /** Event name → subscribing modules, in order (for docs and tests). */
  describe(): Record<string, string[]> {
    return Object.fromEntries([...this.subscriptions].map(([name, subs]) => [name, subs.map((s) => s.module)]));
  }
}

/** The process's bus. Modules subscribe from their `index.ts`; the module list seals it. */
export const events = new EventBus();
