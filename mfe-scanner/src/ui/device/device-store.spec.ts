import { describe, expect, it } from "@jest/globals";
import { cleanDeviceName, DEVICE_NAME_MAX, registrationOf } from "./device-store";

describe("cleanDeviceName", () => {
  it.each<[string, string | null]>([
    ["Porte A", "Porte A"],
    ["  Tablette   3 ", "Tablette 3"],
    ["", null],
    ["   ", null],
    ["x".repeat(DEVICE_NAME_MAX), "x".repeat(DEVICE_NAME_MAX)],
    ["x".repeat(DEVICE_NAME_MAX + 1), null],
  ])("%j → %j", (raw, clean) => {
    expect(cleanDeviceName(raw)).toBe(clean);
  });
});

describe("registrationOf", () => {
  it("changes with the key, the institution or the name", () => {
    const base = registrationOf("key-00000001", "inst-1", "Porte A");
    expect(registrationOf("key-00000001", "inst-1", "Porte A")).toBe(base);
    expect(registrationOf("key-00000002", "inst-1", "Porte A")).not.toBe(base);
    expect(registrationOf("key-00000001", "inst-2", "Porte A")).not.toBe(base);
    expect(registrationOf("key-00000001", "inst-1", "Porte B")).not.toBe(base);
  });
});
