import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  CONNECTOR_CONTRACT_VERSION,
  type Connector,
  isConnector,
  schemaProblems,
} from "@billetix/connector-sdk";
import semver from "semver";

/** Which connector packages may load (configuration: `CONNECTORS_ALLOW`, `CONNECTORS_DENY`, `CONNECTOR_PACKAGES`). */
export interface ConnectorSelection {
  /** Package names or connector ids; `*` (the default) allows every discovered package. */
  allow: string[];
  /** Package names or connector ids never loaded, even when allowed. */
  deny: string[];
  /** Packages (names or paths) to load beyond those discovered in node_modules. */
  extraPackages: string[];
  /** Where to look for installed packages; default: the node_modules folders above the gateway. */
  searchPaths?: string[];
}

export interface LoadedConnector {
  connector: Connector;
  packageName: string;
  version: string;
}

/** A connector package that was found but not loaded, and why (for logs and root's view). */
export interface RefusedConnector {
  packageName: string;
  reason: string;
}

interface PackageManifest {
  name?: string;
  version?: string;
  billetix?: { role?: string; connectorId?: string };
}

const CONNECTOR_ROLE = "source-connector";

/**
 * The installed source types. Discovery reads `package.json` files only; a package is
 * `require`d when allowed, and refused (never fatal) when it is not a tagged connector, its
 * id differs from its manifest, its compatibility range excludes this gateway's contract, or
 * its schemas are malformed.
 */
export class ConnectorRegistry {
  private readonly byId = new Map<string, LoadedConnector>();
  readonly refused: RefusedConnector[] = [];

  static load(selection: ConnectorSelection): ConnectorRegistry {
    const registry = new ConnectorRegistry();
    const seen = new Set<string>();
    const candidates = [
      ...discoverPackages(selection.searchPaths ?? defaultSearchPaths()),
      ...selection.extraPackages.map((name) => ({ dir: resolvePackageDir(name), requested: name })),
    ];
    for (const { dir, requested } of candidates) {
      if (!dir) {
        registry.refused.push({ packageName: requested, reason: "package introuvable" });
        continue;
      }
      const manifest = readManifest(dir);
      const name = manifest?.name ?? requested;
      if (seen.has(name)) continue;
      seen.add(name);
      if (manifest?.billetix?.role !== CONNECTOR_ROLE) {
        registry.refused.push({
          packageName: name,
          reason: `its package.json does not declare "billetix": {"role": "${CONNECTOR_ROLE}"}`,
        });
        continue;
      }
      const connectorId = manifest.billetix.connectorId ?? "";
      if (!selected(selection, name, connectorId)) continue;
      registry.add(dir, name, manifest);
    }
    return registry;
  }

  /** Registers connectors directly (tests' fixture connectors). */
  static of(...connectors: Connector[]): ConnectorRegistry {
    const registry = new ConnectorRegistry();
    for (const connector of connectors) {
      const problems = connectorProblems(connector, connector.id);
      if (problems.length) throw new Error(`connector ${connector.id}: ${problems.join("; ")}`);
      registry.byId.set(connector.id, { connector, packageName: connector.id, version: "0.0.0" });
    }
    return registry;
  }

  private add(dir: string, name: string, manifest: PackageManifest): void {
    let exported: unknown;
    try {
      const mod = require(dir) as { default?: unknown };
      exported = mod?.default ?? mod;
    } catch (err) {
      this.refused.push({ packageName: name, reason: `loading it failed: ${(err as Error).message}` });
      return;
    }
    const problems = connectorProblems(exported, manifest.billetix?.connectorId);
    if (problems.length) {
      this.refused.push({ packageName: name, reason: problems.join("; ") });
      return;
    }
    const connector = exported as Connector;
    const existing = this.byId.get(connector.id);
    if (existing) {
      this.refused.push({
        packageName: name,
        reason: `connector id "${connector.id}" is already provided by ${existing.packageName}`,
      });
      return;
    }
    this.byId.set(connector.id, { connector, packageName: name, version: manifest.version ?? "0.0.0" });
  }

  get(id: string): LoadedConnector | undefined {
    return this.byId.get(id);
  }

  list(): LoadedConnector[] {
    return [...this.byId.values()].sort((a, b) => a.connector.label.localeCompare(b.connector.label, "fr"));
  }
}

/** Why a module's export cannot be used as a connector (empty: it can). */
export function connectorProblems(exported: unknown, declaredId: string | undefined): string[] {
  if (!isConnector(exported))
    return [
      "its entry does not default-export a connector made with defineConnector() from @billetix/connector-sdk",
    ];
  const c = exported;
  const problems: string[] = [];
  if (typeof c.id !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id))
    problems.push(`id "${c.id}" is not kebab-case`);
  if (declaredId !== undefined && declaredId !== c.id)
    problems.push(`its package.json says connectorId "${declaredId}" but the connector's id is "${c.id}"`);
  if (typeof c.label !== "string" || !c.label.trim()) problems.push("label is missing");
  if (c.kind !== "file" && c.kind !== "online")
    problems.push(`kind "${String(c.kind)}" is neither file nor online`);
  if (typeof c.compatibility !== "string" || !semver.validRange(c.compatibility))
    problems.push(`compatibility "${String(c.compatibility)}" is not a semver range`);
  else if (!semver.satisfies(CONNECTOR_CONTRACT_VERSION, c.compatibility))
    problems.push(
      `it requires connector contract ${c.compatibility}, this gateway implements ${CONNECTOR_CONTRACT_VERSION}`,
    );
  problems.push(
    ...schemaProblems(c.sourceConfig, "sourceConfig"),
    ...schemaProblems(c.performanceParams, "performanceParams"),
  );
  if (c.kind === "online" && typeof c.fetchTickets !== "function")
    problems.push("an online connector needs fetchTickets");
  if (c.kind === "file" && typeof c.parseFile !== "function")
    problems.push("a file connector needs parseFile");
  return problems;
}

function selected(selection: ConnectorSelection, name: string, id: string): boolean {
  const matches = (list: string[]) => list.some((entry) => entry === "*" || entry === name || entry === id);
  return matches(selection.allow) && !selection.deny.some((entry) => entry === name || entry === id);
}

/** The node_modules folders this gateway resolves packages from, nearest first. */
function defaultSearchPaths(): string[] {
  return (require.resolve.paths("@billetix/connector-sdk") ?? []).filter((p) => existsSync(p));
}

function discoverPackages(searchPaths: string[]): { dir: string; requested: string }[] {
  const found: { dir: string; requested: string }[] = [];
  const list = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  for (const root of searchPaths) {
    for (const entry of list(root)) {
      if (entry.name.startsWith(".")) continue;
      const dir = path.join(root, entry.name);
      if (entry.name.startsWith("@")) {
        for (const scoped of list(dir))
          found.push({ dir: path.join(dir, scoped.name), requested: `${entry.name}/${scoped.name}` });
      } else found.push({ dir, requested: entry.name });
    }
  }
  // Only manifests that mention billetix are worth parsing twice; the rest are skipped quietly.
  return found.filter(({ dir }) => readManifest(dir)?.billetix !== undefined);
}

function readManifest(dir: string): PackageManifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageManifest;
  } catch {
    return undefined;
  }
}

function resolvePackageDir(nameOrPath: string): string | undefined {
  if (nameOrPath.startsWith(".") || path.isAbsolute(nameOrPath)) {
    const dir = path.resolve(nameOrPath);
    return existsSync(path.join(dir, "package.json")) ? dir : undefined;
  }
  try {
    return path.dirname(require.resolve(`${nameOrPath}/package.json`));
  } catch {
    return undefined;
  }
}
