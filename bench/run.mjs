#!/usr/bin/env node
// Bench dispatcher: `node bench/run.mjs [name...]` (root: `npm run bench -- [name...]`).
// No name runs every bench; an unknown name prints the usage and exits 2.
// A bench module exports `run()`, which prints its own table and resolves to an exit code
// (non-zero only when a correctness check failed — a missed target is reported, not fatal).

const BENCHES = {
  db: {
    module: "./db.mjs",
    about: "embedded MongoDB-wire server (child process, official driver) vs better-sqlite3",
  },
  rules: {
    module: "./access-rules.mjs",
    about: "the access decision function alone: decisions per second per control mode",
  },
  access: {
    module: "./access.mjs",
    about:
      "the scan path through the gateway (issue 4): recordScans, checkTicket, import, live counters, export, vs PostgreSQL",
  },
  import: {
    module: "./import.mjs",
    about:
      "ticket sources through the gateway: 100k from a CSV, an Excel file and a partner simulator, re-syncs",
  },
  scanner: {
    module: "./scanner.mjs",
    about:
      "the scanner PWA in headless Chromium: importing 100k tickets onto the device, then 2,000 decisions",
  },
};

function usage(stream) {
  stream.write("usage: npm run bench -- [name...]   (no name: all)\n");
  for (const [name, b] of Object.entries(BENCHES)) stream.write(`  ${name.padEnd(7)} ${b.about}\n`);
  stream.write("knobs are environment variables: see bench/README.md\n");
}

const names = process.argv.slice(2);
if (names.includes("-h") || names.includes("--help")) {
  usage(process.stdout);
  process.exit(0);
}
const unknown = names.filter((n) => !Object.hasOwn(BENCHES, n));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench: ${unknown.join(", ")}\n`);
  usage(process.stderr);
  process.exit(2);
}

let code = 0;
for (const name of names.length > 0 ? [...new Set(names)] : Object.keys(BENCHES)) {
  const mod = await import(BENCHES[name].module);
  const c = await mod.run();
  if (c !== 0) code = c;
}
// A bench closes what it opened; exit explicitly anyway so a stray handle cannot hang a run.
process.exit(code);
