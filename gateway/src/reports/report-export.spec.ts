import { parisWallClockAsUtc } from "../billing/billing-month";
import { parisExcelDates } from "./report-export";

describe("parisExcelDates", () => {
  it.each([
    ["winter", "2024-01-15T08:05:09.999Z"],
    ["the last second before summer time", "2024-03-31T00:59:59.500Z"],
    ["the first second of summer time", "2024-03-31T01:00:00.000Z"],
    ["summer", "2024-07-14T21:30:00.000Z"],
    ["the last second of summer time", "2024-10-27T00:59:59.000Z"],
    ["back to winter time", "2024-10-27T01:00:00.001Z"],
    ["New Year in Paris", "2024-12-31T23:00:00.000Z"],
  ])("shows the Paris time in %s", (_case, instant) => {
    const excelDate = parisExcelDates();
    // Twice: the second comes from the hour's cached offset.
    for (let i = 0; i < 2; i++) {
      expect(excelDate(new Date(instant))?.toISOString()).toBe(
        parisWallClockAsUtc(new Date(instant)).toISOString(),
      );
    }
  });

  it("leaves no date empty", () => {
    const excelDate = parisExcelDates();
    expect(excelDate(null)).toBeNull();
    expect(excelDate(undefined)).toBeNull();
    expect(excelDate(new Date(Number.NaN))).toBeNull();
  });
});
