import { isConnectorError } from "@billetix/connector-sdk";
import { csvRows } from "./csv-rows";
import type { Delimiter } from "./delimiter";

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function rowsOf(text: string, size = 1 << 20, delimiter?: Delimiter) {
  const out: { line: number; cells: unknown[] }[] = [];
  for await (const row of csvRows(pieces(text, size), delimiter)) out.push(row);
  return out;
}

async function failureOf(text: string, size = 1 << 20) {
  try {
    await rowsOf(text, size);
  } catch (err) {
    return err as Error;
  }
  throw new Error("did not throw");
}

describe("csvRows", () => {
  const text =
    'Code;Nom\nA1;"Dupont; Jean"\n\n"A2";"sur\ndeux lignes"\nA3;"il dit ""oui"""\nA4;Jean "Jo" D\n';

  it.each([1, 2, 7, 1 << 20])(
    "reads quoted fields and numbers lines from where records start (pieces of %d)",
    async (size) => {
      expect(await rowsOf(text, size)).toEqual([
        { line: 1, cells: ["Code", "Nom"] },
        { line: 2, cells: ["A1", "Dupont; Jean"] },
        { line: 3, cells: [""] },
        { line: 4, cells: ["A2", "sur\ndeux lignes"] },
        { line: 6, cells: ["A3", 'il dit "oui"'] },
        { line: 7, cells: ["A4", 'Jean "Jo" D'] },
      ]);
    },
  );

  it.each([
    ["a;b\n1;2", ";"],
    ["a,b\n1,2", ","],
    ["a\tb\n1\t2", "\t"],
    ["a|b\n1|2", "|"],
  ])("detects the separator of %j", async (input) => {
    expect((await rowsOf(input)).map((r) => r.cells)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("keeps blank tab-separated fields", async () => {
    expect((await rowsOf("a\tb\tc\n1\t\t3\n", 3)).map((r) => r.cells)).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
    ]);
  });

  it("uses the configured separator over the detected one", async () => {
    expect((await rowsOf("a,b;c\n1,2;3", 100, ";")).map((r) => r.cells)).toEqual([
      ["a,b", "c"],
      ["1,2", "3"],
    ]);
  });

  it("honours and skips Excel's sep= line", async () => {
    expect(await rowsOf("sep=,\na;b,c\n1;2,3\n", 2)).toEqual([
      { line: 2, cells: ["a;b", "c"] },
      { line: 3, cells: ["1;2", "3"] },
    ]);
  });

  it("detects the separator past leading blank lines and a quoted header", async () => {
    expect(await rowsOf('\n\n"Nom, prénom"|Code\nx|1\n', 1)).toEqual([
      { line: 1, cells: [""] },
      { line: 2, cells: [""] },
      { line: 3, cells: ["Nom, prénom", "Code"] },
      { line: 4, cells: ["x", "1"] },
    ]);
  });

  it.each([
    ['a;b\n1;2\n"open;3\n4;5\n', /^Ligne 3 : un guillemet ouvert n'est jamais refermé/],
    ['a;b\n1;2\n"x\ny";1\n"bad"x;3\n', /^Ligne 5 : guillemets mal placés/],
    [`a;b\n1;2\n"${"x".repeat(150_000)}`, /^Ligne 3 : ligne de plus de 100.000 caractères/],
  ])("refuses %#, naming the line where the record starts", async (input, message) => {
    for (const size of [7, 1 << 20]) {
      const err = await failureOf(input, size);
      expect(isConnectorError(err) && err.code).toBe("bad-file");
      expect(err.message).toMatch(message);
    }
  });
});
