/**
 * What the partner simulators of the connectors share: a seeded generator, the fault switches of
 * the conformance kit, and the HTTP plumbing of a simulated partner. Loaded at run time by
 * tests, benchmarks and demos, it never loads the conformance kit (nor Jest):
 * `import { SeededRandom, startSimulatorServer } from "@billetix/connector-sdk/simulator"`.
 *
 * @packageDocumentation
 */
export { FaultSwitch, type PartnerFault } from "./faults";
export {
  integerParam,
  RequestLog,
  type SimulatorListenOptions,
  type SimulatorServer,
  sendJson,
  sendJsonText,
  startSimulatorServer,
} from "./http";
export { mixSeed, SeededRandom } from "./random";
