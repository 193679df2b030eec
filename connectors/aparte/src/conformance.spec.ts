import { defineConnectorConformanceSuite, type PartnerFault } from "@billetix/connector-sdk/conformance";
import connector from "./index";
import { startAparteSimulator } from "./simulator";

// Aparté has no "changed since" API: the connector declares incremental: false, so the kit's
// incremental test only asks that a fetch after changeAtPartner() shows the sale and the cancellation.
defineConnectorConformanceSuite({
  connector,
  async setup() {
    const sim = await startAparteSimulator({ seed: 11 });
    const [seance] = sim.seances();
    const config = { baseUrl: sim.url, organismeId: sim.organismeId, apiKey: sim.apiKey };
    return {
      config,
      faultConfig: { ...config, timeoutSeconds: 1, retries: 1 },
      params: { idSeance: seance.idSeance },
      expectedTickets: seance.total,
      // Typed with the kit's fault names: the simulator must accept every one of them.
      setFault: (fault: PartnerFault | null) => sim.setFault(fault),
      async changeAtPartner() {
        const added = sim.sell(seance.idSeance, 2);
        const victim = sim
          .billets(seance.idSeance)
          .find((b) => b.etat === "VALIDE" && !added.includes(b.numeroBillet));
        if (!victim) throw new Error(`no VALIDE billet left to cancel in séance ${seance.idSeance}`);
        sim.cancel(victim.numeroBillet);
        return { added, cancelled: [victim.numeroBillet] };
      },
      close: () => sim.close(),
    };
  },
});
