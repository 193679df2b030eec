import { badInput } from "../common/domain-error";

/**
 * Billing months are counted in the venues' time zone, not UTC: an import at 00:30 on the 1st in
 * Paris belongs to the new month even though it is still the previous day in UTC.
 */
export const BILLING_TIME_ZONE = "Europe/Paris";

const MONTH_FORMAT = /^(\d{4})-(0[1-9]|1[0-2])$/;

const monthFormatter = new Intl.DateTimeFormat("en-CA", {
  timeZone: BILLING_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
});

const wallClockFormatter = new Intl.DateTimeFormat("en-CA", {
  timeZone: BILLING_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** The billing month ("YYYY-MM", Paris time) of an instant. */
export function billingMonthOf(at: Date): string {
  const parts = monthFormatter.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}`;
}

/** Checks a month received from a client; a malformed one is bad input naming the field. */
export function parseBillingMonth(value: unknown, field = "month"): string {
  if (typeof value !== "string" || !MONTH_FORMAT.test(value)) {
    throw badInput(field, `Le champ « ${field} » doit être un mois au format AAAA-MM (par exemple 2024-03).`);
  }
  return value;
}

/** The Paris wall-clock time of an instant, as its parts. */
export function parisWallClock(at: Date) {
  const parts = wallClockFormatter.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** "31/03/2024 23:15", Paris time: how a French reader expects a date in an export. */
export function formatParisDateTime(at: Date): string {
  const c = parisWallClock(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(c.day)}/${two(c.month)}/${c.year} ${two(c.hour)}:${two(c.minute)}`;
}

/**
 * A Date whose UTC fields are the Paris wall clock: spreadsheets store dates without a zone and
 * exceljs writes a Date's UTC fields, so this is what makes Excel show the Paris time.
 */
export function parisWallClockAsUtc(at: Date): Date {
  const c = parisWallClock(at);
  return new Date(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second));
}
