import { useEffect, useRef, useState } from "react";
import type { ScannerEngine } from "../../local";
import type { ImportedPerformance } from "../../local/types";
import { useScanner } from "../scanner-context";
import { useEngineUpdates } from "./use-engine";

/** During a rush every scan changes the engine: read the list again at most this often. */
const RELOAD_EVERY_MS = 500;

/** The performances imported on this device, kept fresh as the engine imports, syncs and scans. */
export function useImported(): ImportedPerformance[] | null {
  const { engine } = useScanner();
  const version = useEngineUpdates(engine);
  const [list, setList] = useState<ImportedPerformance[] | null>(null);
  const lastLoad = useRef(0);
  const requested = useRef(0);
  const applied = useRef(0);
  const current = useRef<ScannerEngine | null>(engine);

  useEffect(() => {
    current.current = engine;
    return () => {
      current.current = null;
    };
  }, [engine]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reason to read again
  useEffect(() => {
    const wait = Math.max(0, lastLoad.current + RELOAD_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      lastLoad.current = Date.now();
      const seq = ++requested.current;
      // A newer change does not discard a read in flight (it schedules the next one); a late
      // answer never replaces a fresher one.
      engine.listImported().then(
        (next) => {
          if (current.current !== engine || seq < applied.current) return;
          applied.current = seq;
          setList(next);
        },
        () => undefined,
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [engine, version]);
  return list;
}

/** The date of a dated performance, the label of an undated one. */
export function performanceWhen(
  p: { dated: boolean; startsAt: number | null; label: string | null },
  format: (ms: number) => string,
): string {
  if (p.dated && p.startsAt !== null) return format(p.startsAt);
  return p.label ?? (p.startsAt !== null ? format(p.startsAt) : "");
}
