import { DomainError } from "../common/domain-error";
import { parsePage, parseTicketSort, scanLogWhere, searchPattern } from "./report-query";

function failure(work: () => unknown): DomainError {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("searchPattern", () => {
  it.each([
    ["helene", "Hélène Dupont"],
    ["HELENE", "hélène"],
    ["élo", "ÉLOÏSE"],
    ["francois", "François"],
    ["zoe", "Zoé Ñúñez"],
    ["nunez", "Zoé Ñúñez"],
    ["abc-1", "XABC-123"],
    ["jean  paul", "Jean Paul"],
  ])("%p finds %p", (query, text) => {
    expect(searchPattern(query)?.test(text)).toBe(true);
  });

  it.each([
    ["helene", "Hélèna"],
    ["a.c", "abc"],
    ["(x", "x"],
  ])("%p does not find %p", (query, text) => {
    expect(searchPattern(query)?.test(text)).toBe(false);
  });

  it("takes regular-expression characters literally", () => {
    expect(searchPattern("a.c*(1)")?.test("A.C*(1)")).toBe(true);
    expect(searchPattern("\\d")?.test("\\d")).toBe(true);
    expect(searchPattern("\\d")?.test("7")).toBe(false);
  });

  it.each([undefined, null, "", "   "])("means no filter for %p", (query) => {
    expect(searchPattern(query)).toBeUndefined();
  });

  it("refuses a query over 100 characters, naming the field", () => {
    expect(searchPattern(` ${"x".repeat(100)} `)).toBeDefined();
    expect(failure(() => searchPattern("x".repeat(101)))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "q",
      message: expect.stringMatching(/trop longue/),
    });
  });
});

describe("parseTicketSort", () => {
  it("adds barcode then _id as tie-breakers", () => {
    expect(parseTicketSort("passes", "desc").spec).toEqual({ passes: -1, barcode: 1, _id: 1 });
    expect(Object.keys(parseTicketSort("passes", "desc").spec)).toEqual(["passes", "barcode", "_id"]);
    expect(parseTicketSort("barcode", "desc").spec).toEqual({ barcode: -1, _id: 1 });
    expect(parseTicketSort(undefined, undefined).spec).toEqual({ barcode: 1, _id: 1 });
  });

  it("sorts on an extra column by its path", () => {
    const sort = parseTicketSort("extra.Canal de vente", "asc");
    expect(sort).toMatchObject({ extraName: "Canal de vente", spec: { "extra.Canal de vente": 1 } });
  });

  it.each([
    ["an unknown column", "nope", undefined, "sortBy"],
    ["an object key", "constructor", undefined, "sortBy"],
    ["an empty extra name", "extra.", undefined, "sortBy"],
    ["an extra name with a dot", "extra.a.b", undefined, "sortBy"],
    ["an extra name with a $", "extra.$where", undefined, "sortBy"],
    ["a bad direction", "barcode", "up", "sortDirection"],
  ])("refuses %s", (_case, sortBy, direction, field) => {
    expect(failure(() => parseTicketSort(sortBy, direction))).toMatchObject({
      code: "BAD_USER_INPUT",
      field,
    });
  });
});

describe("parsePage", () => {
  it("defaults to the first 50", () => {
    expect(parsePage({})).toEqual({ offset: 0, limit: 50 });
  });

  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: 501 }, "limit"],
    [{ limit: 1.5 }, "limit"],
    [{ offset: -1 }, "offset"],
  ])("refuses %p", (page, field) => {
    expect(failure(() => parsePage(page))).toMatchObject({ code: "BAD_USER_INPUT", field });
  });
});

describe("scanLogWhere", () => {
  it("filters on the device, the reason and the outcome", () => {
    expect(scanLogWhere({ deviceId: "porte-a-01", reason: "ALREADY_USED", outcome: "refused" })).toEqual({
      deviceId: "porte-a-01",
      reason: "ALREADY_USED",
      accepted: false,
    });
    expect(scanLogWhere({ outcome: "accepted" })).toEqual({ accepted: true });
    expect(scanLogWhere({ outcome: "conflict" })).toEqual({ conflict: true });
    expect(scanLogWhere({})).toEqual({});
  });

  it.each([
    [{ reason: "NOPE" }, "reason"],
    [{ outcome: "maybe" }, "outcome"],
    [{ deviceId: "" }, "deviceId"],
    [{ deviceId: "x".repeat(65) }, "deviceId"],
  ])("refuses %p", (filter, field) => {
    expect(failure(() => scanLogWhere(filter))).toMatchObject({ code: "BAD_USER_INPUT", field });
  });
});
