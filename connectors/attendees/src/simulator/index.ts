export { createManualClock, type ManualClock } from "./clock";
export {
  type AttendeesCredentials,
  type AttendeesSimulator,
  type AttendeesSimulatorOptions,
  type FaultOptions,
  type ParticipantJson,
  type PartnerFault,
  type SimulatorRequest,
  startAttendeesSimulator,
} from "./simulator";
