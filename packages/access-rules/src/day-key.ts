const DAY_MS = 86_400_000;
/**
 * Offsets are whole quarter hours (every zone today), so they change on UTC quarter hours: on a
 * day when the offset changes, a quarter hour is the span we may cache.
 */
const QUARTER_MS = 900_000;
const ZONE_LIMIT = 1_000;

/** One per time zone: its formatter, and the span of instants whose day we last computed. */
interface ZoneDays {
  readonly formatter: Intl.DateTimeFormat;
  /** [start, end): every instant in it falls on the day `key`. */
  start: number;
  end: number;
  key: string;
}

const zones = new Map<string, ZoneDays>();

function zoneDays(timeZone: string): ZoneDays {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    if (zones.size >= ZONE_LIMIT) zones.clear();
    zone = { formatter: formatterFor(timeZone), start: 0, end: 0, key: "" };
    zones.set(timeZone, zone);
  }
  return zone;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  };
  try {
    return new Intl.DateTimeFormat("en-US", options);
  } catch {
    // A device reporting an unknown zone must not stop the door: count its days in UTC.
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
  }
}

/** The zone's offset from UTC at a whole second, in ms (local wall clock read as UTC, minus the instant). */
function offsetAt(formatter: Intl.DateTimeFormat, second: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  for (const part of formatter.formatToParts(second)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value);
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        sec = Number(part.value);
        break;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, sec) - second;
}

/**
 * The calendar day (`YYYY-MM-DD`) of an instant on a wall clock in that IANA time zone: what
 * "today" means on the scanning device. An unknown zone counts as UTC.
 *
 * Fast: one `Intl.DateTimeFormat` per zone, and the day's span is cached, so all the scans of a
 * day cost two comparisons; `Intl` runs about once a day per zone (each quarter hour on a day
 * when the clocks change).
 *
 * @example
 * dayKey(Date.parse("2026-06-10T22:30:00Z"), "Europe/Paris"); // "2026-06-11" (00:30 in Paris)
 * dayKey(Date.parse("2026-06-10T22:30:00Z"), "UTC"); // "2026-06-10"
 */
export function dayKey(at: number, timeZone: string): string {
  const zone = zoneDays(timeZone);
  if (at >= zone.start && at < zone.end) return zone.key;
  if (!Number.isFinite(at)) throw new RangeError(`dayKey: the instant must be finite epoch ms (got ${at})`);

  const second = Math.floor(at / 1000) * 1000;
  const offset = offsetAt(zone.formatter, second);
  const day = Math.floor((at + offset) / DAY_MS);
  const key = new Date(day * DAY_MS).toISOString().slice(0, 10);
  // The whole local day, if the offset holds from its first to its last instant (no zone changes
  // its clocks twice a day); otherwise only this quarter hour.
  let start = day * DAY_MS - offset;
  let end = start + DAY_MS;
  if (offsetAt(zone.formatter, start) !== offset || offsetAt(zone.formatter, end - 1000) !== offset) {
    start = Math.floor(at / QUARTER_MS) * QUARTER_MS;
    end = start + QUARTER_MS;
  }
  zone.start = start;
  zone.end = end;
  zone.key = key;
  return key;
}
