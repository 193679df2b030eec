import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { type ConfigValues, isConnectorError, type TicketRecord } from "@billetix/connector-sdk";
import ExcelJS from "exceljs";
import connector from "./index";

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the file connector has no ${what}`);
  return value;
}
const parseFile = required(connector.parseFile, "parseFile");
const checkConfig = required(connector.checkConfig, "checkConfig");

async function* chunksOf(content: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < content.length; i += size) yield content.subarray(i, i + size);
}

function parse(
  content: Uint8Array | string,
  config: ConfigValues = {},
  chunk = 64 * 1024,
  signal?: AbortSignal,
) {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return parseFile({
    config,
    content: chunksOf(bytes, chunk),
    fileName: "billets.csv",
    signal: signal ?? new AbortController().signal,
  });
}

async function records(content: Uint8Array | string, config: ConfigValues = {}, chunk?: number) {
  const out: TicketRecord[] = [];
  for await (const r of parse(content, config, chunk)) out.push(r);
  return out;
}

async function failure(
  content: Uint8Array | string,
  config: ConfigValues = {},
  chunk?: number,
): Promise<Error> {
  try {
    const got = await records(content, config, chunk);
    throw new Error(`accepted with ${got.length} records`);
  } catch (err) {
    return err as Error;
  }
}

async function xlsx(rows: unknown[][], options: { sharedStrings?: boolean; sheets?: string[] } = {}) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheets?.[0] ?? "Billets");
  for (const row of rows) sheet.addRow(row);
  for (const name of options.sheets?.slice(1) ?? []) workbook.addWorksheet(name).addRow(["Autre", "feuille"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An .xlsx made by exceljs's streaming writer, with or without a shared strings table. */
async function streamedXlsx(rows: unknown[][], useSharedStrings: boolean) {
  const { PassThrough } = await import("node:stream");
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on("data", (b: Buffer) => parts.push(b));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings });
  const sheet = workbook.addWorksheet("Billets");
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(parts);
}

describe("parseFile: CSV", () => {
  it.each([
    ["UTF-8 with a BOM", Buffer.concat([BOM, Buffer.from("Code barre;Nom;Lieu\nA1;Hélène;Théâtre\n")])],
    ["UTF-8 without BOM", Buffer.from("Code barre;Nom;Lieu\nA1;Hélène;Théâtre\n")],
    ["Windows-1252", Buffer.from("Code barre;Nom;Lieu\r\nA1;Hélène;Théâtre\r\n", "latin1")],
  ])("reads %s", async (_, content) => {
    for (const chunk of [1, 7, 65536])
      expect(await records(content, {}, chunk)).toEqual([
        { barcode: "A1", state: "valid", holderName: "Hélène", extra: { Lieu: "Théâtre" } },
      ]);
  });

  it("reads Windows-1252 punctuation such as € and ’", async () => {
    const content = Buffer.from([
      ...Buffer.from("Code;Prix;Note\nA1;12,50 "),
      0x80,
      ...Buffer.from(";L"),
      0x92,
      ...Buffer.from("entrée\n", "latin1"),
    ]);
    expect(await records(content)).toEqual([
      { barcode: "A1", state: "valid", price: 12.5, extra: { Note: "L’entrée" } },
    ]);
  });

  it.each([
    [";", "Code barre;Catégorie;Prix\nA1;Carré or;12,50\n"],
    [",", 'Code barre,Catégorie,Prix\nA1,Carré or,"12,50"\n'],
    ["tab", "Code barre\tCatégorie\tPrix\nA1\tCarré or\t12,50\n"],
    ["|", "Code barre|Catégorie|Prix\nA1|Carré or|12.50\n"],
  ])("detects the %s separator", async (_, content) => {
    expect(await records(content)).toEqual([
      { barcode: "A1", state: "valid", category: "Carré or", price: 12.5 },
    ]);
  });

  it("reads quoted fields: separators, doubled quotes and line breaks inside", async () => {
    const content =
      'Numéro de billet;Nom du porteur;Place;Remarque\r\n"A1";"Dupont; Jean";"R2 ""bis""";"sur\r\ndeux lignes"\r\nA2;Martin;;\r\n';
    expect(await records(content, {}, 3)).toEqual([
      {
        barcode: "A1",
        state: "valid",
        holderName: "Dupont; Jean",
        seat: 'R2 "bis"',
        extra: { Remarque: "sur\ndeux lignes" },
      },
      { barcode: "A2", state: "valid", holderName: "Martin" },
    ]);
  });

  it("sets the state from the cancellation column, and the later line wins for a barcode", async () => {
    const content = [
      "Barcode,Name,Cancelled,Order,Channel",
      "A1,Ann,,C-1,web",
      "A2,Bob,NON,C-2,",
      "A3,Cid,Annulé,C-3,box",
      "A4,Dan,  OUI ,C-4,box",
      "A5,Eve,Dupliqué,C-5,box",
      "A1,Ann,x,C-1,web",
    ].join("\n");
    const got = await records(content);
    expect(got.map((r) => [r.barcode, r.state])).toEqual([
      ["A1", "valid"],
      ["A2", "valid"],
      ["A3", "cancelled"],
      ["A4", "cancelled"],
      ["A5", "duplicated"],
      ["A1", "cancelled"],
    ]);
    expect(got[0]?.extra).toEqual({ Order: "C-1", Channel: "web" });
    expect(got[1]?.extra).toEqual({ Order: "C-2" });
  });

  it("follows the configured columns and values", async () => {
    const content = "Ref;Ticket;Etat;Zone\nR1;T1;KO;Balcon\nR2;T2;RE;Parterre\nR3;T3;OK;Fosse\n";
    const config = {
      barcodeColumn: "ticket",
      cancellationColumn: "ÉTAT",
      categoryColumn: "zone",
      cancelledValues: "ko",
      duplicatedValues: "re",
    };
    expect(await records(content, config)).toEqual([
      { barcode: "T1", state: "cancelled", category: "Balcon", extra: { Ref: "R1" } },
      { barcode: "T2", state: "duplicated", category: "Parterre", extra: { Ref: "R2" } },
      { barcode: "T3", state: "valid", category: "Fosse", extra: { Ref: "R3" } },
    ]);
  });

  it("uses the configured separator", async () => {
    expect(await records("Code;Nom, prénom\nA1;Dupont, Jean\n", { delimiter: ";" })).toEqual([
      { barcode: "A1", state: "valid", extra: { "Nom, prénom": "Dupont, Jean" } },
    ]);
    expect(await records("Code\tNom;Prénom\nA1\tX;Y\n", { delimiter: "tab" })).toEqual([
      { barcode: "A1", state: "valid", extra: { "Nom;Prénom": "X;Y" } },
    ]);
  });

  it("skips blank lines and tolerates trailing empty fields", async () => {
    const content = "\n\nCode barre;Nom\n\nA1;Ann;;\n ; \nA2\n";
    expect(await records(content)).toEqual([
      { barcode: "A1", state: "valid", holderName: "Ann" },
      { barcode: "A2", state: "valid" },
    ]);
  });

  it("gives the same records however the bytes are chunked", async () => {
    const lines = ["Code barre;Nom;Catégorie;Prix;Annulé"];
    for (let i = 0; i < 3000; i++)
      lines.push(`B${i};Spectatrice n°${i} « Zoé »;Catégorie ${i % 3};${i},50;${i % 7 ? "" : "x"}`);
    const content = Buffer.from(lines.join("\r\n"));
    expect(content.length).toBeGreaterThan(64 * 1024);
    const whole = await records(content);
    expect(whole).toHaveLength(3000);
    expect(whole[7]).toEqual({
      barcode: "B7",
      state: "cancelled",
      holderName: "Spectatrice n°7 « Zoé »",
      category: "Catégorie 1",
      price: 7.5,
    });
    expect(await records(content, {}, 7)).toEqual(whole);
    expect(await records(content, {}, 65537)).toEqual(whole);
  });
});

describe("parseFile: Excel", () => {
  const rows = [
    ["Code barre", "Catégorie", "Nom", "Prix", "Annulé", "Date d'achat", "Total"],
    ["A1", "Carré or", "Hélène", 12.5, "", new Date(Date.UTC(2025, 2, 14)), { formula: "D2*2", result: 25 }],
    [1234567890123, "Balcon", { richText: [{ text: "Zoé " }, { text: "Durand" }] }, "8,00 €", "oui", "", ""],
  ];
  const expected: TicketRecord[] = [
    {
      barcode: "A1",
      state: "valid",
      category: "Carré or",
      holderName: "Hélène",
      price: 12.5,
      extra: { "Date d'achat": "2025-03-14", Total: "25" },
    },
    { barcode: "1234567890123", state: "cancelled", category: "Balcon", holderName: "Zoé Durand", price: 8 },
  ];

  it("reads the first sheet of a workbook", async () => {
    const content = await xlsx(rows, { sheets: ["Billets", "Notes"] });
    expect(await records(content)).toEqual(expected);
    expect(await records(content, {}, 7)).toEqual(expected);
  });

  it.each([true, false])(
    "reads a workbook from the streaming writer (shared strings: %s)",
    async (shared) => {
      // Inline rich text is read as its last run by exceljs: Excel itself writes shared strings.
      const plain = rows.map((row) =>
        row.map((cell) => (typeof cell === "object" && cell && "richText" in cell ? "Zoé Durand" : cell)),
      );
      expect(await records(await streamedXlsx(plain, shared))).toEqual(expected);
    },
  );

  const openFiles = () => readdirSync("/proc/self/fd").length;
  (existsSync("/proc/self/fd") ? it : it.skip)(
    "leaves no temporary file open, whether the sheet reads or fails",
    async () => {
      // exceljs's own writer, like Excel, puts the sheets before the shared strings: the reader spools them.
      const good = await xlsx(rows, { sheets: ["Billets", "Notes"] });
      const bad = await xlsx(
        [
          ["Code", "Nom"],
          ["A1", "Ann"],
          ["", "Bob"],
          ["A3", "Cid"],
        ],
        { sheets: ["Billets", "Notes"] },
      );
      await records(good);
      const before = openFiles();
      for (let i = 0; i < 3; i++) {
        await records(good, {}, 4096);
        expect((await failure(bad)).message).toMatch(/^Ligne 3 : le code-barre est vide/);
      }
      // A leak would keep one file or more open per parse: six here. Others close asynchronously.
      expect(openFiles()).toBeLessThan(before + 3);
    },
  );

  it.each([300, 600, 900, 1200, 2000, 3000, 5000])(
    "refuses a workbook cut after %d bytes, in any chunks",
    async (cut) => {
      const content = (await xlsx([["Code"], ["A1"]])).subarray(0, cut);
      for (const chunk of [1, 7, 4096]) {
        const err = await failure(content, {}, chunk);
        expect(isConnectorError(err) && err.message).toMatch(/^Le classeur Excel \(\.xlsx\) est illisible/);
      }
    },
  );

  it("reads a one-column sheet", async () => {
    const content = await xlsx([["Numéro de billet"], ["T1"], ["T2"], [3]]);
    expect(await records(content)).toEqual([
      { barcode: "T1", state: "valid" },
      { barcode: "T2", state: "valid" },
      { barcode: "3", state: "valid" },
    ]);
  });

  it("numbers lines as the sheet's rows, blank rows included", async () => {
    const content = await xlsx([["Code", "Prix"], [], ["A1", "12"], ["A2", "douze"]]);
    const err = await failure(content);
    expect(err.message).toMatch(/^Ligne 4 : prix illisible « douze »/);
  });
});

/** A 1252 file whose first 70 KB are valid UTF-8, then a Windows-1252 "é" on line 2002. */
function lateLatin1(): Buffer {
  const head = ["Code;Nom"];
  for (let i = 1; i <= 2000; i++) head.push(`C${i};Zoé ${"x".repeat(25)}`);
  return Buffer.concat([
    Buffer.from(`${head.join("\n")}\n`),
    Buffer.from("C2001;Ren", "utf8"),
    Buffer.from([0xe9, 0x0a]),
  ]);
}

describe("parseFile refuses bad files, naming the line", () => {
  const badXlsx = async () => {
    const good = await xlsx([["Code"], ["A1"]]);
    return good.subarray(0, Math.floor(good.length / 2));
  };
  const cases: [string, () => Promise<Buffer | string> | Buffer | string, RegExp, ConfigValues?, number?][] =
    [
      [
        "no barcode column",
        () => "Nom;Prix\nAnn;12\n",
        /^Ligne 1 : aucune colonne de code-barre.*« Nom », « Prix »/,
      ],
      [
        "a configured column that is not there",
        () => "Code;Prix\nA1;12\n",
        /^Ligne 1 : la colonne « Siège »/,
        { seatColumn: "Siège" },
      ],
      [
        "an empty barcode",
        () => "Code barre;Nom\nA1;Ann\n;Bob\n",
        /^Ligne 3 : le code-barre est vide \(colonne « Code barre »\)/,
      ],
      [
        "more fields than the header",
        () => "Code;Nom\nA1;Ann\nA2;Bob;Extra\n",
        /^Ligne 3 : 3 champs alors que l'en-tête \(ligne 1\) a 2 colonnes/,
      ],
      [
        "an unclosed quote",
        () => 'Code;Nom\nA1;Ann\nA2;"Bob\nA3;Cid\n',
        /^Ligne 3 : un guillemet ouvert n'est jamais refermé/,
      ],
      ["misplaced quotes", () => 'Code;Nom\nA1;"Ann"y\n', /^Ligne 2 : guillemets mal placés/],
      [
        "an unreadable price",
        () => "Code;Prix\nA1;12,50\nA2;douze euros\n",
        /^Ligne 3 : prix illisible « douze euros » \(colonne « Prix »\)/,
      ],
      ["a negative price", () => "Code;Prix\nA1;-5,00\n", /^Ligne 2 : prix illisible « -5,00 »/],
      ["an empty file", () => "", /^Le fichier est vide/],
      [
        "a file of blank lines",
        () => Buffer.concat([BOM, Buffer.from("\r\n  \r\n;;\r\n")]),
        /^Le fichier est vide/,
      ],
      ["a header alone", () => "Code barre;Nom\n\n", /^Le fichier ne contient aucun billet.*ligne 1/],
      [
        "binary junk",
        () => Buffer.from([0x00, 0x01, 0x02, 0x9f, 0xff, 0x10, 0x00, 0x41, 0x42]),
        /n'est ni un CSV ni un classeur Excel \(\.xlsx\) lisible/,
      ],
      [
        "control characters",
        () => Buffer.from(`Code\n${"A\x01\x02\x03\x04\x05;\n".repeat(50)}`),
        /n'est ni un CSV ni un classeur Excel/,
      ],
      [
        "an Excel 97 workbook",
        () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
        /\(\.xls\) doit être enregistré au format \.xlsx/,
      ],
      ["a UTF-16 file", () => Buffer.from("\ufeffCode\nA1\n", "utf16le"), /encodé en UTF-16/],
      ["invalid UTF-8 after 64 KB of UTF-8", lateLatin1, /^Ligne 2002 : caractères illisibles \(encodage\)/],
      ["a truncated workbook", badXlsx, /^Le classeur Excel \(\.xlsx\) est illisible/],
      [
        "a zip that is no workbook",
        () => Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(200, 7)]),
        /^Le classeur Excel \(\.xlsx\) est illisible/,
      ],
      ["an empty workbook", () => xlsx([]), /^Le fichier est vide/],
      [
        "an OpenDocument spreadsheet",
        () =>
          Buffer.concat([
            Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x0a, 0, 0, 0, 0, 0]),
            Buffer.alloc(20),
            Buffer.from("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            Buffer.alloc(300, 1),
          ]),
        /classeur OpenDocument \(\.ods\)/,
      ],
      [
        "a workbook over the size limit",
        // Random text does not compress: the archive outgrows 1 MB.
        () =>
          xlsx([
            ["Code", "Note"],
            ...Array.from({ length: 1200 }, (_, i) => [`C${i}`, randomBytes(1000).toString("base64")]),
          ]),
        /dépasse la taille maximale de 1 Mo/,
        { maxFileSizeMb: 1 },
        1000,
      ],
      [
        "a file over the size limit",
        () => `Code\n${"A1234567\n".repeat(117_000)}`,
        /dépasse la taille maximale de 1 Mo/,
        { maxFileSizeMb: 1 },
        // 1 MB in 7-byte chunks takes seconds; what matters is a chunking other than 64 KiB.
        1000,
      ],
    ];

  it.each(cases)("%s", async (_, make, message, config = {}, smallChunk = 7) => {
    const content = await make();
    const messages: string[] = [];
    for (const chunk of [64 * 1024, smallChunk]) {
      const err = await failure(content, config, chunk);
      expect(isConnectorError(err) && err.code).toBe("bad-file");
      expect(err.message).toMatch(message);
      messages.push(err.message);
    }
    expect(messages[0]).toBe(messages[1]);
  });

  it("sets the line on the error", async () => {
    const err = await failure("Code;Nom\nA1;Ann\n;Bob\n");
    expect(isConnectorError(err) && err.details.line).toBe(3);
  });

  it("stops reading as soon as the file is over the size limit", async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("Code\n");
      for (;;) {
        const chunk = Buffer.from("A1234567\n".repeat(1000));
        read += chunk.length;
        yield chunk;
      }
    }
    const run = async () => {
      for await (const _ of parseFile({
        config: { maxFileSizeMb: 1 },
        content: endless(),
        fileName: "x.csv",
        signal: new AbortController().signal,
      })) {
        // read on
      }
    };
    await expect(run()).rejects.toThrow(/dépasse la taille maximale de 1 Mo/);
    expect(read).toBeLessThan(1024 * 1024 + 20_000);
  });

  it.each([
    [{ maxFileSizeMb: 0 }, /au moins 1/],
    [
      { barcodeColumn: "Code", priceColumn: " code " },
      /« code » est choisie à la fois pour le code-barre et pour le prix/,
    ],
  ])("refuses the configuration %j", async (config, message) => {
    const err = await failure("Code\nA1\n", config);
    expect(isConnectorError(err) && err.code).toBe("bad-config");
    expect(err.message).toMatch(message);
  });
});

describe("parseFile: streaming", () => {
  it("stops promptly when aborted while the upload stalls", async () => {
    const controller = new AbortController();
    let release = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* upload(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("Code barre;Nom\nA1;Ann\nA2;Bob\n");
      await stalled;
    }
    const iterator = parseFile({
      config: {},
      content: upload(),
      fileName: "x.csv",
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ barcode: "A1", state: "valid", holderName: "Ann" });
    // A2's line is complete, but the parser waits for the next byte to be sure of it.
    const next = iterator.next();
    controller.abort();
    await expect(next).rejects.toMatchObject({ name: "AbortError" });
    release();
  });

  it("stops reading a workbook when aborted", async () => {
    const rows = [["Code"], ...Array.from({ length: 3000 }, (_, i) => [`W${i}`])];
    const content = await xlsx(rows);
    const controller = new AbortController();
    let served = 0;
    async function* upload(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < content.length; i += 512) {
        served = i;
        yield content.subarray(i, i + 512);
      }
    }
    const iterator = parseFile({
      config: {},
      content: upload(),
      fileName: "x.xlsx",
      signal: controller.signal,
    })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ barcode: "W0", state: "valid" });
    controller.abort();
    const servedAtAbort = served;
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
    expect(served).toBe(servedAtAbort);
  });

  it("stops between records when aborted", async () => {
    const controller = new AbortController();
    const iterator = parse("Code\nA1\nA2\nA3\n", {}, 64, controller.signal)[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("parses 100,000 lines without holding the file", async () => {
    const v8 = await import("node:v8");
    const vm = await import("node:vm");
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const LINES = 100_000;
    let size = 0;
    async function* generated(): AsyncGenerator<Uint8Array> {
      const header = "Code barre;Catégorie;Nom du porteur;Place;Prix;Annulé;Commande;Canal\n";
      size += Buffer.byteLength(header);
      yield Buffer.from(header);
      for (let i = 0; i < LINES; i += 1000) {
        let text = "";
        for (let k = i; k < i + 1000; k++)
          text += `B${String(k).padStart(9, "0")};Catégorie ${k % 5};Spectateur numéro ${k};R${k % 40}-${k % 30};${k % 90},50;${k % 10 ? "" : "oui"};CMD-${k};guichet\n`;
        const chunk = Buffer.from(text);
        size += chunk.length;
        yield chunk;
      }
    }
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let cancelled = 0;
    for await (const record of parseFile({
      config: {},
      content: generated(),
      fileName: "gros.csv",
      signal: new AbortController().signal,
    })) {
      count++;
      if (record.state === "cancelled") cancelled++;
      if (count % 10_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(count).toBe(LINES);
    expect(cancelled).toBe(LINES / 10);
    expect(size).toBeGreaterThan(7_000_000);
    // Holding the file's text alone would take twice its size (UTF-16).
    expect(peak).toBeLessThan(size / 2);
  });
});

describe("checkConfig", () => {
  it.each([
    [{}, []],
    [{ barcodeColumn: "Billet", seatColumn: "Place" }, []],
    [
      { barcodeColumn: "Code barre", seatColumn: "code-barre" },
      [/« code-barre » est choisie à la fois pour le code-barre et pour la place/],
    ],
    [{ cancelledValues: "annulé, oui", duplicatedValues: "Oui, dupliqué" }, [/« oui » figure à la fois/]],
    [{ cancelledValues: " , " }, [/indiquez au moins une valeur/]],
  ])("%j", async (config, expected) => {
    const problems = await checkConfig(config, { signal: new AbortController().signal });
    expect(problems).toHaveLength(expected.length);
    for (const [i, pattern] of expected.entries()) expect(problems[i]).toMatch(pattern);
  });
});
