import { ConnectorError, defineConnector, type TicketRecord } from "@billetix/connector-sdk";

/**
 * A partner kept in memory, for the gateway's tests of sources: its tickets change when a test
 * says so, it can fail in the ways partners fail, and it lists a small catalogue.
 */
export class FixturePartner {
  private seq = 0;
  readonly tickets = new Map<string, { record: TicketRecord; changedAt: number; eventId: string }>();
  mode: "ok" | "throw" | "hang" | "unavailable" = "ok";
  /** The `since` of each fetch, in order. */
  readonly sinces: (string | undefined)[] = [];

  put(eventId: string, record: TicketRecord): void {
    this.tickets.set(`${eventId}/${record.barcode}`, { record, changedAt: ++this.seq, eventId });
  }

  sell(eventId: string, count: number, prefix = eventId): string[] {
    const barcodes: string[] = [];
    for (let i = 0; i < count; i++) {
      const barcode = `${prefix}-${String(this.tickets.size + 1).padStart(5, "0")}`;
      this.put(eventId, {
        barcode,
        category: i % 2 ? "Balcon" : "Orchestre",
        holderName: `Client ${i}`,
        price: 20 + (i % 3),
      });
      barcodes.push(barcode);
    }
    return barcodes;
  }

  cancel(barcode: string): void {
    const entry = [...this.tickets.values()].find((t) => t.record.barcode === barcode);
    if (!entry) throw new Error(`no ticket ${barcode}`);
    this.put(entry.eventId, { ...entry.record, state: "cancelled" });
  }

  get cursor(): number {
    return this.seq;
  }

  connector() {
    const partner = this;
    return defineConnector({
      id: "fixture-partner",
      label: "WS Partenaire de test",
      kind: "online",
      compatibility: "^1.0.0",
      cancellations: true,
      sourceConfig: [
        { key: "account", label: "Compte", type: "text", required: true },
        { key: "password", label: "Mot de passe", type: "secret", required: true },
      ],
      performanceParams: [
        { key: "eventId", label: "Identifiant de la séance", type: "text", required: true },
      ],
      checkConfig(config) {
        return config.password === "wrong" ? ["Le partenaire refuse ces identifiants."] : [];
      },
      async *fetchTickets({ params, since, checkpoint, signal }) {
        partner.sinces.push(since);
        if (partner.mode === "throw") throw new Error("the partner's library crashed");
        if (partner.mode === "unavailable")
          throw new ConnectorError("unavailable", "Le service du partenaire est en erreur (HTTP 503).");
        const from = since ? Number(since) : 0;
        const reached = partner.seq;
        let sent = 0;
        for (const { record, changedAt, eventId } of partner.tickets.values()) {
          if (eventId !== params.eventId || changedAt <= from) continue;
          if (partner.mode === "hang" && sent === 3) await new Promise(() => undefined);
          if (signal.aborted) return;
          sent++;
          yield record;
        }
        checkpoint(String(reached));
      },
      async listCatalog() {
        return [
          {
            id: "v1",
            name: "Transbordeur",
            events: [
              {
                id: "e1",
                name: "SYNAPSON (LIVE)",
                dates: [
                  {
                    id: "d1",
                    startsAt: "2027-10-25T18:00:00+02:00",
                    endsAt: "2027-10-25T21:00:00+02:00",
                    params: { eventId: "d1" },
                  },
                  { id: "d2", startsAt: "2027-10-26T18:00:00+02:00", params: { eventId: "d2" } },
                ],
              },
            ],
          },
        ];
      },
    });
  }
}

/** A file type reading `barcode;state;category` lines; a line saying BAD is refused, naming it. */
export const fixtureFileConnector = defineConnector({
  id: "fixture-file",
  label: "Fichier de test",
  kind: "file",
  compatibility: "^1.0.0",
  cancellations: true,
  sourceConfig: [],
  performanceParams: [],
  async *parseFile({ content }) {
    let text = "";
    for await (const chunk of content) text += Buffer.from(chunk).toString("utf8");
    const lines = text.split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      if (line.includes("BAD"))
        throw new ConnectorError("bad-file", `Ligne ${i + 1} : ligne illisible.`, { line: i + 1 });
      const [barcode, state, category] = line.split(";");
      yield {
        barcode,
        state: (state || undefined) as TicketRecord["state"],
        category: category || undefined,
      };
    }
  },
});
