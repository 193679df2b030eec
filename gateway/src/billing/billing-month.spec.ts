import { DomainError } from "../common/domain-error";
import { billingMonthOf, formatParisDateTime, parisWallClockAsUtc, parseBillingMonth } from "./billing-month";

describe("billingMonthOf (Europe/Paris)", () => {
  it.each([
    ["the middle of a month", "2024-03-15T12:00:00Z", "2024-03"],
    ["00:30 on 1 April in Paris (summer time, still 31 March in UTC)", "2024-03-31T22:30:00Z", "2024-04"],
    ["23:59 on 31 March in Paris", "2024-03-31T21:59:00Z", "2024-03"],
    ["00:30 on 1 February in Paris (winter time)", "2024-01-31T23:30:00Z", "2024-02"],
    ["New Year in Paris", "2024-12-31T23:00:00Z", "2025-01"],
  ])("%s", (_case, instant, month) => {
    expect(billingMonthOf(new Date(instant))).toBe(month);
  });
});

describe("parseBillingMonth", () => {
  it("accepts YYYY-MM", () => {
    expect(parseBillingMonth("2024-03")).toBe("2024-03");
  });

  it.each(["2024-3", "2024-13", "2024-00", "24-03", "2024/03", "2024-03-01", "", 202403])(
    "refuses %p naming the field",
    (value) => {
      let error: unknown;
      try {
        parseBillingMonth(value, "month");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "month" });
      expect((error as Error).message).toMatch(/« month ».*AAAA-MM/);
    },
  );
});

describe("Paris wall clock", () => {
  it("formats an instant as a French reader expects", () => {
    expect(formatParisDateTime(new Date("2024-03-31T21:15:00Z"))).toBe("31/03/2024 23:15");
  });

  it("carries the Paris time in the UTC fields, for spreadsheets", () => {
    expect(parisWallClockAsUtc(new Date("2024-01-15T08:05:09Z")).toISOString()).toBe(
      "2024-01-15T09:05:09.000Z",
    );
  });
});
