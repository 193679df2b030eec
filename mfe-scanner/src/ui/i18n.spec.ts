import { describe, expect, it } from "@jest/globals";
import { formatSkew, translator } from "./i18n";

describe("translator", () => {
  it("speaks French first, English second, and fills placeholders", () => {
    expect(translator("fr")("tickets", { count: 12 })).toBe("12 billets");
    expect(translator("en")("tickets", { count: 12 })).toBe("12 tickets");
    expect(translator("fr")("progressOf", { done: 3, total: 10 })).toBe("3 / 10 billets");
  });

  it("leaves an unknown placeholder visible rather than empty", () => {
    expect(translator("fr")("tickets", {})).toBe("{count} billets");
  });
});

describe("formatSkew", () => {
  it.each<[number, string]>([
    [12_000, "12 s"],
    [-12_000, "12 s"],
    [185_000, "3 min 5 s"],
    [2 * 3600_000 + 4 * 60_000, "2 h 4 min"],
    [3 * 24 * 3600_000, "3 j"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatSkew(ms, "fr")).toBe(text);
  });
});
