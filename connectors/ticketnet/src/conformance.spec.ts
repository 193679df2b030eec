import { defineConnectorConformanceSuite } from "@billetix/connector-sdk/conformance";
import connector from "./index";
import { startTicketnetSimulator } from "./simulator";

defineConnectorConformanceSuite({
  connector,
  async setup() {
    const sim = await startTicketnetSimulator({ seed: 7 });
    const config = { baseUrl: sim.url, login: sim.credentials.login, password: sim.credentials.password };
    const performance = sim.performances()[0];
    return {
      config,
      // Short timeouts and one retry, so that the fault cases end within seconds.
      faultConfig: { ...config, timeoutSeconds: 1, retries: 1 },
      params: { performanceId: performance.id },
      expectedTickets: performance.ticketCount,
      setFault: (fault) => sim.setFault(fault),
      async changeAtPartner() {
        const valid = sim.tickets(performance.id).find((t) => t.status === "VALID");
        if (!valid) throw new Error(`no valid ticket left on performance ${performance.id}`);
        const added = sim.sell(performance.id, 2);
        sim.cancel(valid.barcode);
        return { added, cancelled: [valid.barcode] };
      },
      close: () => sim.close(),
    };
  },
});
