import semver from "semver";
import { type ConfigSchema, type ConfigValues, checkConfigValues, schemaProblems } from "../config-schema";
import { CONNECTOR_CONTRACT_VERSION, type Connector, isConnector } from "../contract";
import type { ConformanceFixture } from "./fixture";
import { looksFrench } from "./french";
import { assertNoProblems, ConformanceError, describeValue, withTimeout } from "./helpers";

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Options every asynchronous check takes. */
export interface CheckOptions {
  /** Longest wait for one connector operation (a fetch, a parse, checkConfig); default 10 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The connector was made by `defineConnector` (the gateway refuses anything else). */
export function checkTagged(connector: unknown): void {
  if (!isConnector(connector))
    throw new ConformanceError(
      "the default export must be made by defineConnector({...}) (isConnector is false)",
    );
}

/** A kebab-case `id`, a non-empty `label`, and a `kind` of file or online. */
export function checkIdentity(connector: Connector): void {
  const problems: string[] = [];
  if (typeof connector.id !== "string" || !KEBAB.test(connector.id))
    problems.push(`id ${describeValue(connector.id)} is not kebab-case (e.g. "my-partner")`);
  if (typeof connector.label !== "string" || !connector.label.trim()) problems.push("label is empty");
  if (connector.kind !== "file" && connector.kind !== "online")
    problems.push(`kind ${describeValue(connector.kind)} is neither "file" nor "online"`);
  assertNoProblems("the connector's identity is incomplete", problems);
}

/** `compatibility` is a valid semver range that this SDK's contract version satisfies. */
export function checkCompatibility(connector: Connector): void {
  const range = connector.compatibility;
  if (typeof range !== "string" || semver.validRange(range) === null)
    throw new ConformanceError(`compatibility ${describeValue(range)} is not a valid semver range`);
  if (!semver.satisfies(CONNECTOR_CONTRACT_VERSION, range))
    throw new ConformanceError(
      `compatibility "${range}" excludes the contract version ${CONNECTOR_CONTRACT_VERSION} of this SDK`,
    );
}

/** `sourceConfig` and `performanceParams` are well-formed schemas. */
export function checkSchemas(connector: Connector): void {
  assertNoProblems("the configuration schemas are malformed", [
    ...schemaProblems(connector.sourceConfig, "sourceConfig"),
    ...schemaProblems(connector.performanceParams, "performanceParams"),
  ]);
}

/** An online connector has `fetchTickets`, a file connector `parseFile`. */
export function checkEntryPoints(connector: Connector): void {
  if (connector.kind === "online" && typeof connector.fetchTickets !== "function")
    throw new ConformanceError('a connector of kind "online" must define fetchTickets');
  if (connector.kind === "file" && typeof connector.parseFile !== "function")
    throw new ConformanceError('a connector of kind "file" must define parseFile');
}

/** Every check of the connector's definition alone (no fixture needed), in one call. */
export function checkDefinition(connector: Connector): void {
  checkTagged(connector);
  checkIdentity(connector);
  checkCompatibility(connector);
  checkSchemas(connector);
  checkEntryPoints(connector);
}

/**
 * An empty configuration gets one French error per required field without a default, each
 * naming the field's label (the form shows them as they are).
 */
export function checkRequiredFieldErrors(schema: ConfigSchema, name: string): void {
  const required = schema.filter(
    (f) => f.required && (f.default === undefined || (typeof f.default === "string" && !f.default.trim())),
  );
  const { errors } = checkConfigValues(schema, {});
  const problems: string[] = [];
  if (errors.length !== required.length)
    problems.push(`${errors.length} errors for ${required.length} required fields: ${describeValue(errors)}`);
  for (const field of required)
    if (!errors.some((e) => e.includes(field.label)))
      problems.push(`no error names the required field « ${field.label} » (${field.key})`);
  for (const error of errors) if (!looksFrench(error)) problems.push(`not French: ${JSON.stringify(error)}`);
  assertNoProblems(`an empty ${name} must get one French error per required field`, problems);
}

/**
 * The values a schema makes of `input`, as the gateway gives them to the connector (typed,
 * defaults filled in); throws when `input` does not pass.
 */
export function checkedValues(schema: ConfigSchema, input: unknown, name: string): ConfigValues {
  const { values, errors } = checkConfigValues(schema, input);
  assertNoProblems(`${name} does not pass the connector's schema`, errors);
  return values;
}

/**
 * The fixture's configurations pass the schemas (`config`, and `faultConfig` and `params` when
 * given), and the connector's `checkConfig`, when defined, finds nothing in `config`.
 */
export async function checkFixtureConfig(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const config = checkedValues(connector.sourceConfig, fixture.config, "fixture.config");
  if (fixture.faultConfig !== undefined)
    checkedValues(connector.sourceConfig, fixture.faultConfig, "fixture.faultConfig");
  if (fixture.params !== undefined)
    checkedValues(connector.performanceParams, fixture.params, "fixture.params");
  if (!connector.checkConfig) return;
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let errors: unknown;
  try {
    errors = await withTimeout(
      Promise.resolve().then(() => connector.checkConfig?.(config, { signal: controller.signal })),
      timeoutMs,
      "checkConfig",
    );
  } catch (err) {
    controller.abort();
    if (err instanceof ConformanceError) throw err;
    throw new ConformanceError(`checkConfig threw ${describeValue(err)} for a working configuration`);
  }
  if (!Array.isArray(errors) || errors.length > 0)
    throw new ConformanceError(`checkConfig must return [] for fixture.config, got ${describeValue(errors)}`);
}
