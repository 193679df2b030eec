import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Builds the contract and the web apps the gateway serves (rspack, a few seconds each), so the
 * tests never run against stale bundles. `E2E_SKIP_BUILD=1` reuses what is in the dist folders.
 */
export default function buildWebApps(): void {
  if (process.env.E2E_SKIP_BUILD === "1") return;
  const root = path.resolve(__dirname, "../../..");
  execFileSync("npx", ["tsc", "-b", "packages/web-contract"], { cwd: root, stdio: "inherit" });
  execFileSync("npm", ["run", "build:web", "--silent"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
