import { useCallback, useRef, useState } from "react";
import type { PerformanceMeta } from "../../local/types";
import type { AvailablePerformance } from "../scanner.queries";
import { useScanner } from "../scanner-context";

export interface ImportJob {
  id: string;
  name: string;
  done: number;
  total: number | null;
}

export type ImportNotice = { kind: "error" | "success"; text: string } | null;

export interface Importer {
  job: ImportJob | null;
  notice: ImportNotice;
  start(performance: AvailablePerformance): void;
  cancel(): void;
}

const epoch = (iso: string | null): number | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
};

const DAY_MS = 24 * 3600_000;

/**
 * The guide's advice, importing at least 24 h before the control: a performance starting within a
 * day (or started and not over) that is not on the device yet gets a warning.
 */
export function startsSoon(p: Pick<AvailablePerformance, "startsAt" | "endsAt">, now: number): boolean {
  const start = p.startsAt ? Date.parse(p.startsAt) : Number.NaN;
  if (Number.isNaN(start) || start - now > DAY_MS) return false;
  const end = p.endsAt ? Date.parse(p.endsAt) : start;
  return end > now;
}

/** What the engine needs to know of a listed performance before importing it. */
export function toMeta(p: AvailablePerformance): PerformanceMeta {
  return {
    id: p.id,
    institutionId: p.institutionId,
    eventName: p.eventName,
    venueName: p.venueName,
    dated: p.dated,
    startsAt: epoch(p.startsAt),
    endsAt: epoch(p.endsAt),
    label: p.label,
  };
}

/**
 * One import at a time, kept by the scanner rather than the import screen: it goes on (and its
 * progress with it) while the operator looks at another screen.
 */
export function useImporter(): Importer {
  const { engine, t } = useScanner();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [notice, setNotice] = useState<ImportNotice>(null);
  const abort = useRef<AbortController | null>(null);

  const start = useCallback(
    (performance: AvailablePerformance) => {
      if (abort.current) return;
      const controller = new AbortController();
      abort.current = controller;
      const name = performance.eventName;
      setNotice(null);
      setJob({ id: performance.id, name, done: 0, total: performance.ticketCount ?? null });
      engine
        .importPerformance(
          toMeta(performance),
          (done, total) => setJob({ id: performance.id, name, done, total }),
          controller.signal,
        )
        .then(
          (imported) =>
            setNotice({ kind: "success", text: t("importDone", { name, count: imported.ticketCount }) }),
          (err: unknown) => {
            // Cancelled by the operator: nothing to say.
            if (!controller.signal.aborted)
              setNotice({ kind: "error", text: err instanceof Error ? err.message : String(err) });
          },
        )
        .finally(() => {
          abort.current = null;
          setJob(null);
        });
    },
    [engine, t],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);

  return { job, notice, start, cancel };
}
