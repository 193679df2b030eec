const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Paris's offset from UTC at an instant, in minutes (+60 in winter, +120 in summer). */
function parisOffsetMinutes(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of parisParts.formatToParts(utcMs)) parts[type] = Number(value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * Turns a Paris wall-clock time without offset (`"2025-10-25T20:30:00"`) into ISO 8601 with the
 * offset in force then (`"2025-10-25T20:30:00+02:00"`). When clocks go back, the hour that
 * happens twice is taken at its first occurrence (summer time); a time that never happens
 * because clocks went forward is moved forward by the gap (02:30 → 03:30+02:00). Returns
 * undefined for anything else than a local date and time.
 *
 * @example
 * parisToIso("2025-10-25T20:30:00"); // "2025-10-25T20:30:00+02:00"
 * parisToIso("2025-10-27T20:30:00"); // "2025-10-27T20:30:00+01:00"
 */
export function parisToIso(local: string): string | undefined {
  const m = LOCAL.exec(local.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second = 0] = m
    .slice(1)
    .map((v) => (v === undefined ? 0 : Number(v)));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 2025-02-30 over to March: refuse it rather than import the wrong day.
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  // The offsets a day before and after cover both sides of any change on that day.
  const candidates = [
    ...new Set([parisOffsetMinutes(wall - 86_400_000), parisOffsetMinutes(wall + 86_400_000)]),
  ];
  const fitting = candidates.filter((offset) => parisOffsetMinutes(wall - offset * 60_000) === offset);
  // Several fit: the repeated hour, take the earlier instant (larger offset). None: the skipped
  // hour, read with the offset before the change (the smaller one), which lands after the gap.
  const offset = fitting.length > 0 ? Math.max(...fitting) : Math.min(...candidates);
  const instant = wall - offset * 60_000;
  const actual = parisOffsetMinutes(instant);
  return formatWithOffset(instant, actual);
}

function formatWithOffset(utcMs: number, offsetMinutes: number): string {
  const wall = new Date(utcMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
