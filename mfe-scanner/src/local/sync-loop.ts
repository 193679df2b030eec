import type { UploadFailureKind } from "./outbox";

/** The sync's delays, in ms. Tests shorten them; the screens keep the defaults. */
export interface SyncTimings {
  /** After a scan, before uploading it (scans in a burst go together). */
  debounceMs: number;
  /** While scans wait in the outbox, try again this often even without events. */
  uploadEveryMs: number;
  /** While online, pull every imported performance's changes this often. */
  pullEveryMs: number;
  /** First back-off after a failure; it doubles up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** An upload unanswered, or a download silent, this long counts as a network failure. */
  requestTimeoutMs: number;
}

export const DEFAULT_TIMINGS: SyncTimings = {
  debounceMs: 250,
  uploadEveryMs: 15_000,
  pullEveryMs: 30_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  requestTimeoutMs: 30_000,
};

/** The wait after the n-th failure in a row (n ≥ 1): base, 2×base, 4×base… up to the maximum. */
export function backoffDelay(
  failures: number,
  timings: Pick<SyncTimings, "backoffBaseMs" | "backoffMaxMs">,
): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(timings.backoffBaseMs * 2 ** exponent, timings.backoffMaxMs);
}

/** How an upload or pull round went; `requests` 0 means it had nothing to send or fetch. */
export type SyncStep =
  | { ok: true; requests: number; warning?: string }
  | { ok: false; kind: UploadFailureKind; message: string };

export interface SyncHooks {
  upload(): Promise<SyncStep>;
  pull(): Promise<SyncStep>;
  pending(): number;
  changed(): void;
}

/** What the banner shows of the loop (the engine adds `pending`). */
export interface SyncLoopState {
  online: boolean;
  lastUploadAt: number | null;
  lastError: string | null;
  nextRetryAt: number | null;
  sessionEnded: boolean;
}

type Listen = Pick<EventTarget, "addEventListener" | "removeEventListener">;

/**
 * When to upload and pull: soon after a scan, on the browser's `online` event, on a timer; after a
 * failure, with an exponential back-off. One round at a time (an upload then, when due, a pull), so
 * a pull never races the upload of the scans it would otherwise overwrite.
 */
export class SyncLoop {
  readonly state: SyncLoopState;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private round: Promise<void> | undefined;
  private again = false;
  private pullWanted = false;
  private manualWanted = false;
  private failures = 0;
  private lastPullAt: number | undefined;

  constructor(
    private readonly hooks: SyncHooks,
    private readonly timings: SyncTimings,
    /** Wall clock, for the times the banner shows. */
    private readonly now: () => number,
    private readonly events: Listen | undefined,
    private readonly isOnline: () => boolean | undefined,
  ) {
    this.state = {
      online: isOnline() ?? true,
      lastUploadAt: null,
      lastError: null,
      nextRetryAt: null,
      sessionEnded: false,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.events?.addEventListener("online", this.onOnline);
    this.events?.addEventListener("offline", this.onOffline);
    this.pullWanted = true;
    void this.run(false);
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
    this.events?.removeEventListener("online", this.onOnline);
    this.events?.removeEventListener("offline", this.onOffline);
  }

  get started(): boolean {
    return this.running;
  }

  /** A scan entered the outbox: upload it soon, unless a back-off or an ended session says wait. */
  scanAdded(): void {
    if (!this.running || this.state.sessionEnded || this.state.nextRetryAt !== null) return;
    this.schedule(this.timings.debounceMs);
  }

  /** Upload and pull now, whatever the back-off (even after a 401: the operator may have logged in elsewhere). */
  runNow(): Promise<void> {
    this.pullWanted = true;
    return this.run(true);
  }

  /** The session is known to be valid again. */
  resume(): Promise<void> {
    this.state.sessionEnded = false;
    this.failures = 0;
    this.state.nextRetryAt = null;
    this.hooks.changed();
    return this.runNow();
  }

  /**
   * An exchange with the server went well or badly outside the loop's own verdict (an import, or
   * a batch acknowledged in the middle of a round): the banner follows at once.
   */
  report(step: SyncStep): void {
    if (step.ok) {
      if (step.requests === 0) return;
      const wasDown = !this.state.online || this.failures > 0;
      const { sessionEnded, lastError, nextRetryAt } = this.state;
      if (wasDown || sessionEnded || lastError !== null || nextRetryAt !== null) this.succeed(undefined);
      // Back: pull what changed meanwhile (a round under way already knows).
      if (wasDown && !this.round) {
        this.pullWanted = true;
        if (this.running) void this.run(false);
      }
      return;
    }
    if (step.kind === "session") {
      this.state.sessionEnded = true;
      this.state.lastError = step.message;
    } else if (step.kind === "network") {
      this.state.online = false;
      this.state.lastError = step.message;
    }
    this.hooks.changed();
  }

  /** An upload succeeded at this instant. */
  uploaded(): void {
    this.state.lastUploadAt = this.now();
  }

  private readonly onOnline = () => {
    this.failures = 0;
    this.state.nextRetryAt = null;
    this.hooks.changed();
    this.clearTimer();
    void this.run(false);
  };

  private readonly onOffline = () => {
    this.state.online = false;
    this.hooks.changed();
  };

  private run(manual: boolean): Promise<void> {
    this.manualWanted ||= manual;
    if (this.round) {
      this.again = true;
      return this.round;
    }
    this.round = (async () => {
      try {
        do {
          this.again = false;
          const manualRound = this.manualWanted;
          this.manualWanted = false;
          try {
            await this.roundOnce(manualRound);
          } catch (error) {
            // A bug or a closed database, not the network: say it, retry later like a server error.
            this.fail({
              ok: false,
              kind: "server",
              message: error instanceof Error ? error.message : String(error),
            });
          }
        } while (this.again);
      } finally {
        this.round = undefined;
      }
    })();
    return this.round;
  }

  private async roundOnce(manual: boolean): Promise<void> {
    this.clearTimer();
    if (this.state.sessionEnded && !manual) return;
    const wasDown = this.failures > 0 || !this.state.online;
    const upload = await this.hooks.upload();
    if (!upload.ok) return this.fail(upload);
    if (upload.requests > 0) this.succeed(undefined);

    const sincePull =
      this.lastPullAt === undefined ? Number.POSITIVE_INFINITY : performance.now() - this.lastPullAt;
    let requests = upload.requests;
    if (this.pullWanted || wasDown || sincePull >= this.timings.pullEveryMs) {
      this.pullWanted = false;
      const pull = await this.hooks.pull();
      if (!pull.ok) return this.fail(pull);
      this.lastPullAt = performance.now();
      requests += pull.requests;
      if (pull.requests > 0) this.succeed(pull.warning);
    }
    if (requests === 0 && wasDown) {
      // Nothing to send or fetch proved anything: trust the browser.
      this.failures = 0;
      this.state.online = this.isOnline() ?? true;
      this.state.nextRetryAt = null;
      this.hooks.changed();
    }
    this.scheduleNext();
  }

  private succeed(warning: string | undefined): void {
    this.failures = 0;
    this.state.online = true;
    this.state.sessionEnded = false;
    this.state.lastError = warning ?? null;
    this.state.nextRetryAt = null;
    this.hooks.changed();
  }

  private fail(step: Extract<SyncStep, { ok: false }>): void {
    this.clearTimer();
    this.state.lastError = step.message;
    if (step.kind === "session") {
      // Nothing is retried until the operator logs in again (`resumeAfterLogin`).
      this.state.sessionEnded = true;
      this.state.nextRetryAt = null;
      this.hooks.changed();
      return;
    }
    if (step.kind === "network") this.state.online = false;
    this.failures++;
    const delay = backoffDelay(this.failures, this.timings);
    this.state.nextRetryAt = this.now() + delay;
    this.hooks.changed();
    if (this.running) this.schedule(delay);
  }

  private scheduleNext(): void {
    if (!this.running || this.state.sessionEnded) return;
    const sincePull = this.lastPullAt === undefined ? 0 : performance.now() - this.lastPullAt;
    let delay = Math.max(0, this.timings.pullEveryMs - sincePull);
    if (this.hooks.pending() > 0) delay = Math.min(delay, this.timings.uploadEveryMs);
    this.schedule(delay);
  }

  /** Runs a round after `delay` ms, unless one is already due sooner. */
  private schedule(delay: number): void {
    const at = performance.now() + delay;
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      void this.run(false);
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
