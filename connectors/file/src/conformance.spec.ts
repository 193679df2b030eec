import { defineConnectorConformanceSuite } from "@billetix/connector-sdk/conformance";
import ExcelJS from "exceljs";
import connector from "./index";

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Billets");
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A French box-office export: UTF-8, `;`, a cancellation column, over the 64 KiB encoding window. */
function boxOffice(): { content: Buffer; tickets: number; cancelled: string[] } {
  const lines = ["N° billet;Catégorie;Nom du porteur;Place;Prix;Annulé;Commande"];
  const cancelled: string[] = [];
  for (let i = 1; i <= 1500; i++) {
    const barcode = `BX${String(i).padStart(8, "0")}`;
    const cancel = i % 50 === 0;
    if (cancel) cancelled.push(barcode);
    lines.push(
      `${barcode};Catégorie ${(i % 3) + 1};Spectateur n°${i};R${i % 20}-${i % 35};${(i % 4) * 5 + 10},00 €;${cancel ? "oui" : ""};CMD-${i}`,
    );
  }
  // A cancellation line for a ticket sold earlier in the file: the later line wins.
  lines.push("BX00000001;Catégorie 2;Spectateur n°1;R1-1;15,00 €;Annulé;CMD-1");
  cancelled.push("BX00000001");
  return { content: Buffer.from(`${lines.join("\r\n")}\r\n`), tickets: 1501, cancelled };
}

defineConnectorConformanceSuite({
  connector,
  async setup() {
    const big = boxOffice();
    return {
      config: { delimiter: "auto" },
      files: [
        { name: "billetterie.csv", ...big },
        {
          name: "windows-1252.csv",
          content: Buffer.from(
            "Code barre,Nom,Salle,Etat\r\nW1,Hélène,Théâtre,valide\r\nW2,Noël,Théâtre,annulé\r\nW3,Zoé,Opéra,dupliqué\r\n",
            "latin1",
          ),
          tickets: 3,
          cancelled: ["W2", "W3"],
        },
        {
          name: "tabulations.tsv",
          content: Buffer.from('\ufeffBarcode\tName\tNote\nT1\t"Smith, John"\t"deux\nlignes"\nT2\tDoe\t\n'),
          tickets: 2,
        },
        {
          name: "classeur.xlsx",
          content: await workbook([
            ["Code barre", "Catégorie", "Prix", "Annulation"],
            ["X1", "Balcon", 12.5, ""],
            ["X2", "Balcon", 12.5, "x"],
            [123456789, "Parterre", "8,00", ""],
          ]),
          tickets: 3,
          cancelled: ["X2"],
        },
        { name: "une-colonne.xlsx", content: await workbook([["Ticket"], ["U1"], ["U2"]]), tickets: 2 },
      ],
      badFiles: [
        {
          name: "sans-code.csv",
          content: Buffer.from("Nom;Prix\nAnn;12\n"),
          message: /^Ligne 1 : aucune colonne de code-barre.*« Nom », « Prix »/,
        },
        {
          name: "code-vide.csv",
          content: Buffer.from("Code;Nom\nA1;Ann\n;Bob\n"),
          message: /^Ligne 3 : le code-barre est vide/,
        },
        {
          name: "trop-de-champs.csv",
          content: Buffer.from("Code;Nom\nA1;Ann\nA2;Bob;Cid\n"),
          message: /^Ligne 3 : 3 champs/,
        },
        {
          name: "guillemet.csv",
          content: Buffer.from('Code;Nom\nA1;Ann\n"A2;Bob\nA3;Cid\n'),
          message: /^Ligne 3 : un guillemet ouvert/,
        },
        {
          name: "prix.csv",
          content: Buffer.from("Code;Prix\nA1;12,50\nA2;douze\n"),
          message: /^Ligne 3 : prix illisible « douze »/,
        },
        { name: "vide.csv", content: Buffer.alloc(0), message: /^Le fichier est vide/ },
        { name: "en-tete-seul.csv", content: Buffer.from("Code barre\n"), message: /aucun billet/ },
        {
          name: "image.png",
          content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
          message: /ni un CSV ni un classeur Excel/,
        },
        {
          name: "binaire.bin",
          content: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)),
          message: /ni un CSV ni un classeur Excel/,
        },
        {
          name: "encodage.csv",
          content: Buffer.concat([
            Buffer.from(`Code;Nom\n${"A;Zoé\n".repeat(12_000)}B;`),
            Buffer.from([0xe9, 0x0a]),
          ]),
          message: /^Ligne 12002 : caractères illisibles \(encodage\)/,
        },
        {
          name: "abime.xlsx",
          content: (await workbook([["Code"], ["A1"]])).subarray(0, 900),
          message: /^Le classeur Excel \(\.xlsx\) est illisible/,
        },
      ],
      close: async () => {},
    };
  },
});
