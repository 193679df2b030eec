/**
 * Whether the gateway can be reached: the browser's own flag, corrected by what our requests
 * see (a network can be "up" with the gateway out of reach, and emulated offline modes leave
 * `navigator.onLine` true).
 */
let unreachable = false;
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

export function reportNetwork(reached: boolean): void {
  if (unreachable === !reached) return;
  unreachable = !reached;
  changed();
}

export function subscribeNetwork(listener: () => void): () => void {
  listeners.add(listener);
  const online = () => {
    unreachable = false;
    listener();
  };
  window.addEventListener("online", online);
  window.addEventListener("offline", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("online", online);
    window.removeEventListener("offline", listener);
  };
}

export const isOffline = (): boolean => !navigator.onLine || unreachable;
