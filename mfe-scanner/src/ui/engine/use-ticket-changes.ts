import { useEffect } from "react";
import { TICKET_CHANGES } from "../scanner.queries";
import { useScanner } from "../scanner-context";

/** The gateway takes at most this many performances in one `ticketChanges` subscription. */
const MAX_PERFORMANCES = 20;
/** After the subscription failed (a refusal, or the shell's socket gave up), subscribe again. */
const RESUBSCRIBE_MS = 15_000;

/**
 * Feeds the other devices' scans and the sources' changes of the controlled performances to the
 * engine, live. What is missed while offline comes back with the engine's next delta pull.
 */
export function useTicketChanges(controlled: readonly string[], enabled: boolean): void {
  const { client, engine } = useScanner();
  const key = controlled.slice(0, MAX_PERFORMANCES).join(",");
  useEffect(() => {
    if (!key || !enabled) return;
    const performanceIds = key.split(",");
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    const again = () => {
      subscription?.unsubscribe();
      if (!stopped) timer = setTimeout(start, RESUBSCRIBE_MS);
    };
    const start = () => {
      subscription = client.subscribe({ query: TICKET_CHANGES, variables: { performanceIds } }).subscribe({
        next: (result) => {
          if (result.error) return again();
          const change = result.data?.ticketChanges;
          if (change) void Promise.resolve(engine.applyTicketChange(change)).catch(() => undefined);
        },
        error: again,
        complete: again,
      });
    };
    start();
    return () => {
      stopped = true;
      clearTimeout(timer);
      subscription?.unsubscribe();
    };
  }, [client, engine, key, enabled]);
}
