import type { Locale } from "@billetix/web-contract";
import { useEffect, useReducer, useRef, useState, useSyncExternalStore } from "react";
import { ScannerEngine } from "../../local";

export type EngineState = { engine: ScannerEngine; error: null } | { engine: null; error: Error | null };

/**
 * Opens the device's engine for as long as the component lives. A second mount (React's strict
 * mode, a remount) opens its own copy and closes the first: both read the same IndexedDB.
 */
export function useOpenEngine(locale: Locale): EngineState {
  const [state, setState] = useState<EngineState>({ engine: null, error: null });
  // The locale only names the engine's own messages (the screens translate reasons themselves):
  // reopening the engine on a language switch would stop its sync for nothing.
  const openingLocale = useRef(locale);
  useEffect(() => {
    let cancelled = false;
    let opened: ScannerEngine | null = null;
    ScannerEngine.open({ baseUrl: window.location.origin, locale: openingLocale.current }).then(
      (engine) => {
        if (cancelled) {
          void engine.close();
          return;
        }
        opened = engine;
        setState({ engine, error: null });
      },
      (error: unknown) => {
        if (!cancelled)
          setState({ engine: null, error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => {
      cancelled = true;
      if (opened) void opened.close();
      setState({ engine: null, error: null });
    };
  }, []);
  return state;
}

/** Renders again whenever the engine says something changed (a scan, a sync, a conflict). */
export function useEngineUpdates(engine: ScannerEngine): number {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => engine.subscribe(bump), [engine]);
  return version;
}

function subscribeBrowserOnline(listener: () => void): () => void {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

/** The browser's own network flag (false: surely offline; true: perhaps online). */
export function useBrowserOnline(): boolean {
  return useSyncExternalStore(subscribeBrowserOnline, () => navigator.onLine);
}

/** Whether the gateway answers: the engine's view of its last exchange, corrected by the browser's flag. */
export function useOnline(engine: ScannerEngine): boolean {
  useEngineUpdates(engine);
  const browserOnline = useBrowserOnline();
  return browserOnline && engine.status().online;
}
