import type { Direction } from "@billetix/access-rules";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import type { ScanOutcome } from "../../local/types";
import { useEngineUpdates } from "../engine/use-engine";
import { performanceWhen, useImported } from "../engine/use-imported";
import { formatDateTime } from "../i18n";
import { useScanner } from "../scanner-context";
import { CameraButtons, CameraVideo, useCamera } from "./camera-scanner";
import { ConflictList } from "./conflict-list";
import { outcomeKind, signal, useMuted } from "./feedback";
import { useKeyboardWedge } from "./keyboard-wedge";
import { RejectedList } from "./rejected-list";
import { ScanResult } from "./scan-result";

/** How long a verdict stays on screen when no other scan replaces it. */
export const RESULT_SHOWN_MS = 3000;

const DIRECTION_KEY = "billetix.scanner.direction";

function storedDirection(): Direction {
  try {
    return localStorage.getItem(DIRECTION_KEY) === "out" ? "out" : "in";
  } catch {
    return "in";
  }
}

/** The checkpoint: reader, camera and manual entry, the verdict, the counters and the conflicts. */
export function ScanPage({ onChooseControl }: { onChooseControl(): void }) {
  const { engine, locale, t } = useScanner();
  useEngineUpdates(engine);
  const imported = useImported();
  const controlled = engine.controlled();
  const controlledPerformances = (imported ?? []).filter((p) => controlled.includes(p.id));
  const inOut = controlledPerformances.some((p) => p.rules.mode === "inOut");
  const counters = engine.counters();
  const conflicts = engine.conflicts();

  const [direction, setDirectionState] = useState<Direction>(storedDirection);
  const [shown, setShown] = useState<{ outcome: ScanOutcome; serial: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [manual, setManual] = useState("");
  const [muted, toggleMuted] = useMuted();

  // Read at scan time: a scan queued behind another uses the direction and sound set when it was read.
  const settings = useRef({ direction: "in" as Direction, muted });
  settings.current = { direction: inOut ? direction : "in", muted };
  const queue = useRef<Promise<void>>(Promise.resolve());
  const serial = useRef(0);

  /** Queues one code; the promise settles once its verdict (or error) is on its way to the screen. */
  const scan = useCallback(
    (raw: string): Promise<void> => {
      const code = raw.trim();
      if (!code) return Promise.resolve();
      const { direction: scanDirection, muted: silent } = settings.current;
      // One at a time, in the order read: a burst of codes never overtakes itself.
      queue.current = queue.current.then(async () => {
        try {
          const outcome = await engine.scan(code, scanDirection);
          setError(null);
          setShown({ outcome, serial: ++serial.current });
          signal(outcomeKind(outcome), silent);
        } catch (err) {
          setShown(null);
          setError(err instanceof Error ? err.message : String(err));
          signal("refused", silent);
        }
      });
      return queue.current;
    },
    [engine],
  );

  useKeyboardWedge(scan, true);
  const camera = useCamera(scan, t);

  // The verdict goes after a while; a newer one restarts the wait.
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(null), RESULT_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [shown]);

  useEffect(() => {
    if (!shown) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setShown(null);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [shown]);

  const submitManual = (event: FormEvent) => {
    event.preventDefault();
    const code = manual;
    // Emptied with the verdict, not now: a change on screen while Chromium handles the key makes it
    // hold the IndexedDB replies until the next frame (DeferRendererTasksAfterInput), up to 16 ms
    // more a scan. What was typed meanwhile stays.
    void scan(code).then(() => setManual((typed) => (typed === code ? "" : typed)));
  };

  const setDirection = (next: Direction) => {
    setDirectionState(next);
    try {
      localStorage.setItem(DIRECTION_KEY, next);
    } catch {
      // Storage refused: the direction lasts for this page.
    }
  };

  const when = (ms: number) => formatDateTime(ms, locale);

  return (
    <section className="sc-scan" aria-labelledby="sc-scan-title">
      <h1 id="sc-scan-title" className="sc-visually-hidden">
        {t("scanTitle")}
      </h1>
      {controlled.length === 0 ? (
        <div className="sc-notice" role="status">
          <p>{t("nothingControlled")}</p>
          <button type="button" className="sc-big" onClick={onChooseControl}>
            {t("tabControl")}
          </button>
        </div>
      ) : (
        <p className="sc-controlled">
          {t("controlling")}{" "}
          {controlledPerformances.map((p, i) => (
            <span key={p.id}>
              {i > 0 && ", "}
              <strong>{p.eventName}</strong> {performanceWhen(p, when)}
            </span>
          ))}
        </p>
      )}

      <div className="sc-status-row">
        <div className="sc-counters">
          <p className="sc-counter">
            <span className="sc-counter-value" data-testid="counter-admitted">
              {counters.admitted}
            </span>{" "}
            <span className="sc-counter-label">
              {t("admitted")} {t("ofTickets", { count: counters.ticketCount })}
            </span>
          </p>
          <p className="sc-counter" data-mode={inOut ? "inOut" : "oneWay"}>
            <span className="sc-counter-value" data-testid="counter-inside">
              {counters.inside}
            </span>{" "}
            <span className="sc-counter-label">{t("inside")}</span>
          </p>
        </div>
        <div className="sc-actions">
          {conflicts.length > 0 && (
            <a href="#sc-conflicts" className="sc-badge" data-testid="conflict-badge">
              {t("conflictsBadge", { count: conflicts.length })}
            </a>
          )}
          <button type="button" data-testid="mute-toggle" data-muted={muted} onClick={toggleMuted}>
            {muted ? t("muted") : t("sound")}
          </button>
        </div>
      </div>

      {inOut && (
        <button
          type="button"
          className="sc-direction"
          data-testid="direction-switch"
          data-direction={direction}
          aria-label={`${t("direction")}${t("colon")} ${direction === "in" ? t("directionIn") : t("directionOut")}`}
          onClick={() => setDirection(direction === "in" ? "out" : "in")}
        >
          <span aria-hidden="true">{direction === "in" ? "→" : "←"}</span>{" "}
          {direction === "in" ? t("directionIn") : t("directionOut")}
        </button>
      )}

      {error && (
        <p className="sc-error sc-scan-error" role="alert" data-testid="scan-error">
          {error}
        </p>
      )}

      {shown && (
        <ScanResult
          key={shown.serial}
          outcome={shown.outcome}
          locale={locale}
          t={t}
          onClose={() => setShown(null)}
        />
      )}
      <CameraVideo camera={camera} />
      {!camera.on && (
        <div className="sc-ready">
          <p className="sc-ready-title">{t("ready")}</p>
          <p>{t("readyHelp")}</p>
        </div>
      )}

      <div className="sc-entry">
        <form className="sc-manual" onSubmit={submitManual}>
          <label htmlFor="sc-manual-code">{t("ticketNumber")}</label>
          <div className="sc-manual-row">
            <input
              id="sc-manual-code"
              data-testid="manual-code"
              value={manual}
              onChange={(e) => setManual(e.target.value)}
              autoComplete="off"
              autoCapitalize="characters"
              autoCorrect="off"
              spellCheck={false}
              enterKeyHint="go"
            />
            <button type="submit" className="sc-primary sc-big">
              {t("validate")}
            </button>
          </div>
        </form>
        <CameraButtons camera={camera} t={t} />
        {camera.error && (
          <p className="sc-error" role="alert">
            {camera.error}
          </p>
        )}
      </div>

      <ConflictList />
      <RejectedList />
    </section>
  );
}
