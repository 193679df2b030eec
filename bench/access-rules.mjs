// `npm run bench -- rules`: how many decisions a second the pure decision function takes,
// single-threaded, per control mode (the scanner and the gateway both run it).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { decide } = require("../packages/access-rules/dist/index.js");

const N = Number(process.env.RULES_N ?? 2_000_000);
const T0 = Date.parse("2026-04-06T17:00:00Z");

function measure(label, rules, makeTicket, direction, stepMs = 1000) {
  const tickets = Array.from({ length: 1024 }, (_, i) => makeTicket(i));
  const scan = { direction, at: T0, timeZone: "Europe/Paris" };
  let accepted = 0;
  for (let i = 0; i < 50_000; i++) decide(tickets[i & 1023], rules, scan); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    scan.at = T0 + (i & 4095) * stepMs;
    if (decide(tickets[i & 1023], rules, scan).accepted) accepted++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    label,
    perSecond: Math.round(N / seconds),
    nsPerDecision: Math.round((seconds * 1e9) / N),
    accepted,
  };
}

export async function run() {
  const base = {
    performanceId: "p1",
    excludedCategories: ["Invitation"],
    validFrom: T0 - 3_600_000,
    validUntil: T0 + 86_400_000,
  };
  const ticket = (patch) => (i) => ({
    performanceId: "p1",
    barcode: `B${i}`,
    state: "valid",
    category: i % 10 === 0 ? "Invitation" : "Plein tarif",
    passes: 0,
    passesByDay: {},
    inside: false,
    ...patch(i),
  });
  const rows = [
    measure(
      "single, first entry",
      { ...base, mode: "single" },
      ticket(() => ({})),
      "in",
    ),
    measure(
      "single, already used",
      { ...base, mode: "single" },
      ticket(() => ({ passes: 1 })),
      "in",
    ),
    measure(
      "inOut, entry / exit",
      { ...base, mode: "inOut" },
      ticket((i) => ({ inside: i % 2 === 0, passes: i % 2 })),
      "out",
    ),
    measure(
      "multi, 2 a day of 10 (time-zone day)",
      { ...base, mode: "multi", maxPasses: 10, maxPassesPerDay: 2 },
      ticket(() => ({})),
      "in",
    ),
    measure(
      "multi, a new day every 64 scans",
      { ...base, mode: "multi", maxPasses: 10, maxPassesPerDay: 2, validUntil: T0 + 100 * 86_400_000 },
      ticket((i) => ({ passes: i % 5, passesByDay: { "2026-04-05": 1, "2026-04-06": i % 3 } })),
      "in",
      86_400_000 / 64,
    ),
  ];
  console.log(
    `\naccess-rules: decide(), ${N.toLocaleString("en")} decisions per row, one thread (Node ${process.version})\n`,
  );
  console.log(`| ${"workload".padEnd(38)} | ${"decisions/s".padStart(12)} | ${"ns each".padStart(8)} |`);
  console.log(`|:${"-".repeat(39)}|${"-".repeat(13)}:|${"-".repeat(9)}:|`);
  for (const r of rows) {
    console.log(
      `| ${r.label.padEnd(38)} | ${r.perSecond.toLocaleString("en").padStart(12)} | ${String(r.nsPerDecision).padStart(8)} |`,
    );
  }
  console.log(
    "\nEach row cycles over 1,024 tickets, the scan instant moving 1 s a scan (the last row: 22.5 min, so\n" +
      "the device's day changes every 64 scans and Intl is asked again). Days are counted in Europe/Paris.\n",
  );
  return 0;
}
