import type { PerformanceRules } from "@billetix/access-rules";
import { ScannerEngine, type ScannerEngineOptions } from "../scanner-engine";
import type { SyncTimings } from "../sync-loop";
import type { PerformanceMeta } from "../types";
import { FakeGateway } from "./fake-gateway";

/** 2026-04-06 19:00 in Paris. */
export const T0 = Date.parse("2026-04-06T17:00:00Z");
export const HOUR = 3_600_000;

/** Performance ids are ObjectIds on the gateway. */
export const P1 = "65f000000000000000000001";
export const P2 = "65f000000000000000000002";
export const P3 = "65f000000000000000000003";

export const FAST: SyncTimings = {
  debounceMs: 5,
  uploadEveryMs: 100,
  pullEveryMs: 60_000,
  backoffBaseMs: 20,
  backoffMaxMs: 160,
  requestTimeoutMs: 3_000,
};

export function rules(
  patch: Partial<Omit<PerformanceRules, "performanceId">> = {},
): Omit<PerformanceRules, "performanceId"> {
  return {
    mode: "single",
    excludedCategories: [],
    validFrom: T0 - 2 * HOUR,
    validUntil: T0 + 4 * HOUR,
    ...patch,
  };
}

export function meta(id: string, eventName = `Spectacle ${id.slice(-1)}`): PerformanceMeta {
  return {
    id,
    institutionId: "65f0000000000000000000aa",
    eventName,
    venueName: "Salle Pleyel",
    dated: true,
    startsAt: T0,
    endsAt: T0 + 3 * HOUR,
    label: null,
  };
}

/** A clock the test moves. */
export class TestClock {
  constructor(public time = T0) {}
  readonly now = () => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

let databases = 0;

/** A fresh database name per engine (fake-indexeddb lives as long as the test file). */
export function newDbName(): string {
  return `scanner-test-${++databases}`;
}

export interface Harness {
  gateway: FakeGateway;
  clock: TestClock;
  events: EventTarget;
  dbName: string;
  open(options?: Partial<ScannerEngineOptions>): Promise<ScannerEngine>;
  /** Closes every engine opened and stops the gateway. */
  stop(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const gateway = await FakeGateway.start();
  const clock = new TestClock();
  const events = new EventTarget();
  const dbName = newDbName();
  const engines: ScannerEngine[] = [];
  return {
    gateway,
    clock,
    events,
    dbName,
    async open(options = {}) {
      const engine = await ScannerEngine.open({
        dbName,
        baseUrl: gateway.url,
        fetch,
        now: clock.now,
        timeZone: "Europe/Paris",
        timings: FAST,
        events,
        isOnline: () => true,
        ...options,
      });
      engines.push(engine);
      return engine;
    },
    async stop() {
      for (const engine of engines) engine.close();
      await gateway.stop();
    },
  };
}

/** Resolves once `condition` holds, checked at each engine change; fails after `timeoutMs`. */
export function until(engine: ScannerEngine, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`));
    }, timeoutMs);
    const unsubscribe = engine.subscribe(() => {
      if (!condition()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
