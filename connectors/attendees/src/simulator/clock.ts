/** A clock that moves only when told: the simulator's `now` in tests. */
export interface ManualClock {
  now(): Date;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Puts the clock at `instant`. */
  set(instant: Date | string | number): void;
}

/**
 * A clock for `startAttendeesSimulator`'s `now` option, so a test can put a change in the
 * next second of `last_update` without waiting for it.
 *
 * @example
 * const clock = createManualClock("2026-03-01T10:00:00Z");
 * const sim = await startAttendeesSimulator({ now: clock.now });
 * clock.advance(1000);
 */
export function createManualClock(start: Date | string | number = Date.now()): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    set(instant) {
      current = new Date(instant).getTime();
    },
  };
}
