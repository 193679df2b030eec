/** What deciding the next automatic sync needs to know. */
export interface ScheduleInput {
  /** When the sync that just ended (or the attachment) happened. */
  now: Date;
  startsAt?: Date;
  endsAt?: Date;
  importEndsAt?: Date;
  archived: boolean;
  slowEveryMinutes: number;
  fastEveryMinutes: number;
  fastWindowHours: number;
  /** Failed attempts in a row: the next one comes sooner than the interval, then backs off. */
  failures?: number;
}

export const DEFAULT_SLOW_EVERY_MINUTES = 360;
export const DEFAULT_FAST_EVERY_MINUTES = 5;
export const DEFAULT_FAST_WINDOW_HOURS = 48;
/** Without an import end or an end date, syncing stops this long after the start. */
const DEFAULT_RUN_MS = 6 * 3600_000;

/**
 * When an online source of a performance syncs next, or undefined when it no longer does.
 * - Slow interval ("temps long") far from the performance; fast interval ("temps court") from
 *   `fastWindowHours` before its start until its end.
 * - Syncing stops at `importEndsAt` (one last sync happens then), or, without one, at the end
 *   of the performance; archived performances do not sync.
 * - After a failure the next try comes after 1, 2, 4… minutes, never later than the interval.
 */
export function nextSyncAt(input: ScheduleInput): Date | undefined {
  if (input.archived) return undefined;
  const now = input.now.getTime();
  const starts = input.startsAt?.getTime();
  const ends = input.endsAt?.getTime() ?? (starts === undefined ? undefined : starts + DEFAULT_RUN_MS);
  const stopAt = input.importEndsAt?.getTime() ?? ends;
  if (stopAt !== undefined && now >= stopAt) return undefined;

  const fastFrom = starts === undefined ? undefined : starts - input.fastWindowHours * 3600_000;
  const inFastWindow = fastFrom !== undefined && now >= fastFrom && (ends === undefined || now < ends);
  const interval = (inFastWindow ? input.fastEveryMinutes : input.slowEveryMinutes) * 60_000;
  let next = now + interval;
  if (input.failures) next = Math.min(next, now + 60_000 * 2 ** Math.min(input.failures - 1, 10));
  // A slow wait never skips the start of the fast window.
  if (fastFrom !== undefined && now < fastFrom && next > fastFrom) next = fastFrom;
  if (stopAt !== undefined && next > stopAt) next = stopAt;
  return new Date(next);
}
