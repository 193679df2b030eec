#!/usr/bin/env node
// Launcher for the compiled CLI (`npm run build` produces dist/).
try {
  require.resolve("../dist/cli.js");
} catch {
  console.error("billetix-db: not built yet — run `npm run build` at the repository root.");
  process.exit(1);
}
require("../dist/cli.js");
