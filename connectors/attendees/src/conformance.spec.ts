import { defineConnectorConformanceSuite } from "@billetix/connector-sdk/conformance";
import connector from "./index";
import { createManualClock, startAttendeesSimulator } from "./simulator";

defineConnectorConformanceSuite({
  connector,
  async setup() {
    // The partner's clock moves only when told, so a change lands in a second after the checkpoint's.
    const clock = createManualClock("2026-06-15T08:00:00.200Z");
    const sim = await startAttendeesSimulator({ seed: 1, now: clock.now });
    const config = { baseUrl: sim.url, ...sim.credentials };
    // A single-date concert of the seed: 200 participants, some refunded or deleted.
    const eventId = sim.events().find((e) => e.dateIds.length === 1)?.id ?? "";
    return {
      config,
      faultConfig: { ...config, timeoutSeconds: 1, retries: 1 },
      params: { eventId },
      expectedTickets: sim.participants(eventId).length,
      setFault: (fault) => sim.setFault(fault),
      async changeAtPartner() {
        clock.advance(1000);
        const added = sim.sell(eventId, 2);
        const cancelled = sim
          .participants(eventId)
          .filter((p) => !p.refunded && !p.deleted && !added.includes(p.barcode))
          .map((p) => p.barcode)
          .slice(0, 1);
        for (const barcode of cancelled) sim.refund(barcode);
        clock.advance(1000);
        return { added, cancelled };
      },
      close: () => sim.close(),
    };
  },
});
