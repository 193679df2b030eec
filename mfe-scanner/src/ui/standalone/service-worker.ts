import { useSyncExternalStore } from "react";
import { Workbox } from "workbox-window";

/** Set when a new version of the scanner is installed and waits for the operator's go. */
let applyUpdate: (() => void) | null = null;
const listeners = new Set<() => void>();

function setApplyUpdate(apply: () => void): void {
  applyUpdate = apply;
  for (const listener of listeners) listener();
}

/**
 * Installs the service worker that keeps the scanner working offline (production builds only; it
 * sits beside index.html, so its scope is the scanner's folder). A new version waits until the
 * operator chooses « Mettre à jour »: never in the middle of a scan.
 */
export function registerServiceWorker(): void {
  if (!__BILLETIX_SERVICE_WORKER__ || !("serviceWorker" in navigator)) return;
  const workbox = new Workbox(new URL("sw.js", document.baseURI).href);
  workbox.addEventListener("waiting", () =>
    setApplyUpdate(() => {
      workbox.addEventListener("controlling", () => window.location.reload());
      workbox.messageSkipWaiting();
    }),
  );
  // A failed registration only costs the offline start.
  workbox.register().catch((err: unknown) => console.warn("service worker not registered", err));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The function applying the waiting version, or null when there is none. */
export function useWaitingUpdate(): (() => void) | null {
  return useSyncExternalStore(subscribe, () => applyUpdate);
}
