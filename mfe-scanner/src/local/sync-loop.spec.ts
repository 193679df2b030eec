import { describe, expect, it } from "@jest/globals";
import { backoffDelay, DEFAULT_TIMINGS, type SyncHooks, SyncLoop, type SyncStep } from "./sync-loop";

describe("the back-off", () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
  ])("after %i failure(s) in a row waits %i ms", (failures, delay) => {
    expect(backoffDelay(failures, DEFAULT_TIMINGS)).toBe(delay);
  });
});

/** A loop whose upload and pull answer what the test queues (ok when nothing is queued). */
function loop(answers: { upload?: SyncStep[]; pull?: SyncStep[] } = {}) {
  const calls: string[] = [];
  let pending = 1;
  const hooks: SyncHooks = {
    upload: async () => {
      calls.push("upload");
      return answers.upload?.shift() ?? { ok: true, requests: pending > 0 ? 1 : 0 };
    },
    pull: async () => {
      calls.push("pull");
      return answers.pull?.shift() ?? { ok: true, requests: 1 };
    },
    pending: () => pending,
    changed: () => undefined,
  };
  const events = new EventTarget();
  const sync = new SyncLoop(
    hooks,
    { ...DEFAULT_TIMINGS, debounceMs: 1, backoffBaseMs: 60_000, backoffMaxMs: 60_000 },
    () => 0,
    events,
    () => true,
  );
  /** Polls a condition the loop reaches on its own timers. */
  const until = async (condition: () => boolean) => {
    for (let waited = 0; !condition(); waited += 2) {
      if (waited > 2_000) throw new Error("condition not met");
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return {
    sync,
    calls,
    events,
    until,
    setPending: (n: number) => {
      pending = n;
    },
  };
}

const offline: SyncStep = { ok: false, kind: "network", message: "hors ligne" };

describe("the sync loop", () => {
  it("uploads then pulls on a forced round", async () => {
    const { sync, calls } = loop();
    await sync.runNow();
    expect(calls).toEqual(["upload", "pull"]);
  });

  it("does not pull after a failed upload, and backs off", async () => {
    const { sync, calls } = loop({ upload: [offline] });
    await sync.runNow();
    expect(calls).toEqual(["upload"]);
    expect(sync.state).toMatchObject({ online: false, lastError: "hors ligne", nextRetryAt: 60_000 });
  });

  it("a scan during a back-off does not shorten it; the online event does", async () => {
    const { sync, calls, events, until } = loop({ upload: [offline] });
    sync.start();
    await until(() => sync.state.nextRetryAt !== null);
    sync.scanAdded();
    // Nothing may happen here: wait longer than the debounce, then look.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(["upload"]);
    events.dispatchEvent(new Event("online"));
    // Back: the first success pulls what changed meanwhile.
    await until(() => calls.length === 3);
    expect(calls).toEqual(["upload", "upload", "pull"]);
    expect(sync.state).toMatchObject({ online: true, lastError: null, nextRetryAt: null });
    sync.stop();
  });

  it("stays stopped after a 401 until resumed", async () => {
    const { sync, calls, until } = loop({
      upload: [{ ok: false, kind: "session", message: "Session expirée" }],
    });
    sync.start();
    await until(() => sync.state.sessionEnded);
    expect(sync.state.nextRetryAt).toBeNull();
    sync.scanAdded();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual(["upload"]);
    await sync.resume();
    expect(calls).toEqual(["upload", "upload", "pull"]);
    expect(sync.state.sessionEnded).toBe(false);
    sync.stop();
  });

  it("trusts the browser when there was nothing to send or fetch", async () => {
    const { sync, setPending } = loop({ upload: [offline], pull: [{ ok: true, requests: 0 }] });
    await sync.runNow();
    setPending(0);
    await sync.runNow();
    expect(sync.state).toMatchObject({ online: true, nextRetryAt: null });
  });
});
