import path from "node:path";
import type { ConnectorSelection } from "./sources/connector-registry";
import type { SyncLimits } from "./sources/source-sync";

/** Everything the gateway reads from its environment, checked once at start-up. */
export interface GatewayConfig {
  /** HTTP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** A MongoDB replica set in production; unset = launch the embedded database. */
  mongoUri?: string;
  dataDir: string;
  dbName: string;
  /** Password of the bootstrap `root` login; unset = a random one printed once. */
  rootPassword?: string;
  /** Secure cookies need HTTPS; off by default so http://localhost works. */
  secureCookies: boolean;
  logLevel: string;
  /**
   * Folder of the built web apps laid out as served (the shell at its top, remotes in `mfe/<name>/`);
   * unset = `shell/dist` and `mfe-<name>/dist` of the repository.
   */
  webRoot?: string;
  /** Run scheduled jobs in this process (one gateway may opt out behind a load balancer). */
  runJobs: boolean;
  /** Beyond this skew, scanners warn "Votre terminal doit être à l'heure". */
  clockSkewThresholdMs: number;
  /** Which connector packages load: `CONNECTORS_ALLOW` (default `*`), `CONNECTORS_DENY`, `CONNECTOR_PACKAGES`. */
  connectors: ConnectorSelection;
  /** Limits of one source import and of an uploaded ticket file. */
  sourceImports: SyncLimits & { fileMaxBytes: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const port = env.PORT === undefined ? 4000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    mongoUri: env.MONGODB_URI || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? "data"),
    dbName: env.DB_NAME ?? "billetix",
    rootPassword: env.BILLETIX_ROOT_PASSWORD || undefined,
    secureCookies: env.COOKIE_SECURE === "true",
    logLevel: env.LOG_LEVEL ?? "info",
    webRoot: env.WEB_ROOT,
    runJobs: env.RUN_JOBS !== "false",
    clockSkewThresholdMs:
      positiveNumber(env.CLOCK_SKEW_THRESHOLD_MS, "CLOCK_SKEW_THRESHOLD_MS") ?? 2 * 60_000,
    connectors: {
      allow: list(env.CONNECTORS_ALLOW) ?? ["*"],
      deny: list(env.CONNECTORS_DENY) ?? [],
      extraPackages: list(env.CONNECTOR_PACKAGES) ?? [],
    },
    sourceImports: {
      totalMs: (positiveNumber(env.SOURCE_IMPORT_MAX_MINUTES, "SOURCE_IMPORT_MAX_MINUTES") ?? 60) * 60_000,
      idleMs: (positiveNumber(env.SOURCE_IMPORT_IDLE_SECONDS, "SOURCE_IMPORT_IDLE_SECONDS") ?? 120) * 1000,
      fileMaxBytes: (positiveNumber(env.SOURCE_FILE_MAX_MB, "SOURCE_FILE_MAX_MB") ?? 200) * 1024 * 1024,
    },
  };
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}
