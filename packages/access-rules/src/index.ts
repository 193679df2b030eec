export { applyScans, type CountersDelta, countersDelta } from "./counters";
export { dayKey } from "./day-key";
export { type Decision, decide } from "./decide";
export { LOCALES, type Locale, REASONS, type Reason, reasonMessage } from "./reasons";
export type {
  ControlMode,
  Direction,
  PerformanceRules,
  ScanInput,
  TicketSnapshot,
  TicketState,
} from "./types";
