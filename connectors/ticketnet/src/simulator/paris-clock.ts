/**
 * Paris time for the simulator: the service writes every date in ISO 8601 with the Europe/Paris
 * offset in force at that instant (`+01:00` in winter, `+02:00` in summer). The conversions are
 * the SDK's; what is here is the simulator's shorthand and its memo.
 */
import { formatParisIso, parisWallTimeToUtc } from "@billetix/connector-sdk";

let lastInstant = Number.NaN;
let lastText = "";

/**
 * An instant as `2026-11-29T09:46:53.123+01:00`.
 *
 * @example
 * parisIso(Date.UTC(2027, 2, 22, 19, 0)); // "2027-03-22T20:00:00.000+01:00"
 */
export function parisIso(utcMs: number): string {
  // Tickets sold together share their time: a page often formats the same instant in a row.
  if (utcMs !== lastInstant) {
    lastText = formatParisIso(utcMs, { milliseconds: true });
    lastInstant = utcMs;
  }
  return lastText;
}

/** An ISO date without milliseconds, as the catalogue writes them: `2027-03-22T20:00:00+01:00`. */
export function parisIsoSeconds(utcMs: number): string {
  return formatParisIso(utcMs);
}

/** The instant of a Paris wall-clock time (`day` is `YYYY-MM-DD`, then hours and minutes). */
export function parisWallTime(day: string, hour: number, minute: number): number {
  const [y, m, d] = day.split("-").map(Number);
  const instant = parisWallTimeToUtc(y, m, d, hour, minute);
  if (instant === undefined) throw new Error(`Not a Paris wall-clock time: ${day} ${hour}:${minute}`);
  return instant;
}
