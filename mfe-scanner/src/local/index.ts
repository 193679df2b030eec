export { DEFAULT_DB_NAME } from "./database";
export { ScannerError, type ScannerErrorCode } from "./scanner.error";
export { MAX_BARCODE_LENGTH, ScannerEngine, type ScannerEngineOptions } from "./scanner-engine";
export { backoffDelay, DEFAULT_TIMINGS, type SyncTimings } from "./sync-loop";
export * from "./types";
