import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConnectorRegistry } from "./connector-registry";

const SDK = require.resolve("@billetix/connector-sdk");

/** Writes a fake installed package under `root/node_modules`. */
function installPackage(root: string, name: string, manifest: object, entry: string): void {
  const dir = path.join(root, "node_modules", ...name.split("/"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name, version: "2.3.4", main: "index.js", ...manifest }),
  );
  writeFileSync(path.join(dir, "index.js"), entry);
}

const connectorSource = (id: string, extra = "") => `
const { defineConnector } = require(${JSON.stringify(SDK)});
module.exports = { default: defineConnector({
  id: ${JSON.stringify(id)}, label: "Fixture ${id}", kind: "online", compatibility: "^1.0.0",
  sourceConfig: [{ key: "baseUrl", label: "Adresse", type: "url", required: true }],
  performanceParams: [],
  async *fetchTickets() {},
  ${extra}
}) };`;

describe("ConnectorRegistry", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "registry-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const load = (allow = ["*"], deny: string[] = []) =>
    ConnectorRegistry.load({
      allow,
      deny,
      extraPackages: [],
      searchPaths: [path.join(root, "node_modules")],
    });
  const role = (connectorId: string) => ({ billetix: { role: "source-connector", connectorId } });

  it("loads the packages that declare themselves, with their version, and ignores the others", () => {
    installPackage(root, "@acme/connector-good", role("good"), connectorSource("good"));
    installPackage(root, "left-pad", {}, "module.exports = () => 1;");
    const registry = load();
    expect(registry.list().map((c) => [c.connector.id, c.packageName, c.version])).toEqual([
      ["good", "@acme/connector-good", "2.3.4"],
    ]);
    expect(registry.refused).toEqual([]);
  });

  it.each([
    [
      "an incompatible contract range",
      "bad",
      connectorSource("bad").replace('"^1.0.0"', '"^2.0.0"'),
      /requires connector contract \^2\.0\.0, this gateway implements 1\./,
    ],
    [
      "an export not made by defineConnector",
      "bad",
      "module.exports = { id: 'bad' };",
      /does not default-export a connector made with defineConnector/,
    ],
    [
      "an id that differs from its manifest",
      "bad",
      connectorSource("other"),
      /connectorId "bad" but the connector's id is "other"/,
    ],
    [
      "a malformed schema",
      "bad",
      connectorSource("bad").replace('type: "url"', 'type: "colour"'),
      /sourceConfig\[0\]\.type must be one of/,
    ],
    [
      "an online connector without fetchTickets",
      "bad",
      connectorSource("bad").replace("async *fetchTickets() {},", ""),
      /an online connector needs fetchTickets/,
    ],
    [
      "an entry that throws when loaded",
      "bad",
      "throw new Error('boom at load');",
      /loading it failed: boom at load/,
    ],
  ])("refuses a package with %s, with a clear reason, and loads the rest", (_, id, entry, reason) => {
    installPackage(root, "connector-bad", role(id), entry);
    installPackage(root, "connector-good", role("good"), connectorSource("good"));
    const registry = load();
    expect(registry.get("bad")).toBeUndefined();
    expect(registry.get("good")).toBeDefined();
    expect(registry.refused).toEqual([
      { packageName: "connector-bad", reason: expect.stringMatching(reason) },
    ]);
  });

  it("honours the allow and deny lists, by package name or connector id", () => {
    installPackage(root, "connector-a", role("a"), connectorSource("a"));
    installPackage(root, "connector-b", role("b"), connectorSource("b"));
    installPackage(root, "connector-c", role("c"), connectorSource("c"));
    expect(
      load(["a", "connector-b"])
        .list()
        .map((c) => c.connector.id),
    ).toEqual(["a", "b"]);
    expect(
      load(["*"], ["b"])
        .list()
        .map((c) => c.connector.id),
    ).toEqual(["a", "c"]);
  });

  it("refuses a second package claiming an id already provided", () => {
    installPackage(root, "connector-a", role("a"), connectorSource("a"));
    installPackage(root, "connector-a2", role("a"), connectorSource("a"));
    const registry = load();
    expect(registry.list()).toHaveLength(1);
    expect(registry.refused[0].reason).toMatch(/connector id "a" is already provided by connector-a/);
  });

  it("finds the connector packages of this repository from the gateway", () => {
    const registry = ConnectorRegistry.load({ allow: ["*"], deny: [], extraPackages: [] });
    expect(registry.refused).toEqual([]);
    expect(
      registry
        .list()
        .map((c) => c.connector.id)
        .sort(),
    ).toEqual(["aparte", "attendees", "file", "ticketnet"]);
  });
});
