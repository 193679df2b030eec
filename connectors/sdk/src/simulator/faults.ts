/**
 * The fault switches of the conformance kit, which a simulator turns on for its partner's every
 * later request:
 * - `slow`: every answer comes late;
 * - `error500`: every request gets HTTP 500;
 * - `unauthorized`: every request gets HTTP 401;
 * - `malformed`: answers are not the API's shape (or not JSON);
 * - `timeout`: requests are held, never answered, until the client gives up.
 */
export type PartnerFault = "slow" | "error500" | "unauthorized" | "malformed" | "timeout";

/**
 * The fault a simulator has switched on and its options, with the handling of the two faults
 * that are the same for every partner: `timeout` holds the request, `slow` delays it. The
 * pending delays are dropped by {@link FaultSwitch.clear} when the simulator closes.
 *
 * @example
 * const faults = new FaultSwitch<{ slowMs?: number }>();
 * const server = createServer(async (req, res) => {
 *   if (!(await faults.admit(300))) return; // held by `timeout`
 *   if (faults.fault === "error500") return sendJson(res, 500, { error: "boom" });
 *   sendJson(res, 200, { ok: true });
 * });
 * faults.set("slow", { slowMs: 1000 });
 */
export class FaultSwitch<O extends { slowMs?: number } = { slowMs?: number }> {
  fault: PartnerFault | null = null;
  options: O = {} as O;
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Switches `fault` on for every later request; `null` switches it off. */
  set(fault: PartnerFault | null, options: O = {} as O): void {
    this.fault = fault;
    this.options = options;
  }

  /**
   * Whether a request is to be answered: false under `timeout` (the caller leaves it
   * unanswered), true at once otherwise, or after `options.slowMs` (else `defaultSlowMs`) under
   * `slow`. A delay pending when the simulator closes never ends: its request is dropped.
   */
  async admit(defaultSlowMs: number): Promise<boolean> {
    if (this.fault === "timeout") return false;
    if (this.fault === "slow") {
      const ms = this.options.slowMs ?? defaultSlowMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, ms);
        this.timers.add(timer);
      });
    }
    return true;
  }

  /** Drops the pending `slow` delays, for the simulator's `close()`. */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
