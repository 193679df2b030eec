/**
 * The Aparté-style partner simulator, for tests, benchmarks and demos:
 * `import { startAparteSimulator } from "@billetix/connector-aparte/simulator"`.
 */
export type { AparteBillet, AparteEtat, AparteLieu, AparteSeance, AparteSpectacle } from "../aparte-api";
export {
  type AparteFaultOptions,
  type AparteSimulator,
  type AparteSimulatorOptions,
  type PartnerFault,
  startAparteSimulator,
} from "./aparte-simulator";
export type { AparteSeanceInfo, AparteTickResult } from "./aparte-store";
