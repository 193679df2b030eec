import { startAparteSimulator } from "@billetix/connector-aparte/simulator";
import { startAttendeesSimulator } from "@billetix/connector-attendees/simulator";
import { startTicketnetSimulator } from "@billetix/connector-ticketnet/simulator";
import type { EntityManager } from "@mikro-orm/mongodb";
import { Login } from "../auth/login.entity";
import type { AppDeps } from "../common/context";
import { systemContext } from "../common/system-context";
import { Institution } from "../institutions/institution.entity";
import { PartnerCatalogService } from "../sources/partner-catalog.service";
import { Source } from "../sources/source.entity";
import { SourceService } from "../sources/source.service";

/** The partners' simulators the demo syncs with: sales and cancellations keep coming. */
export interface DemoPartners {
  sources: { type: string; name: string; config: Record<string, string> }[];
  close(): Promise<void>;
}

const TICK_MS = 20_000;

/** The day `days` from now, `YYYY-MM-DD`. */
const parisDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Starts the three partner simulators on free loopback ports, with fixed seeds (same catalogue every time). */
export async function startDemoPartners(): Promise<DemoPartners> {
  const [ticketnet, aparte, attendees] = await Promise.all([
    startTicketnetSimulator({ seed: 2026, tickEveryMs: TICK_MS }),
    // Its séances start a week from now, so they keep syncing during the demo.
    startAparteSimulator({ seed: 2026, tickEveryMs: TICK_MS, firstDay: parisDay(7) }),
    startAttendeesSimulator({ seed: 2026, tickEveryMs: TICK_MS }),
  ]);
  return {
    sources: [
      {
        type: "ticketnet",
        name: "WS Ticketnet (simulateur)",
        config: { baseUrl: ticketnet.url, ...ticketnet.credentials },
      },
      {
        type: "aparte",
        name: "WS Aparté (simulateur)",
        config: { baseUrl: aparte.url, organismeId: aparte.organismeId, apiKey: aparte.apiKey },
      },
      {
        type: "attendees",
        name: "WS Participants (simulateur)",
        config: { baseUrl: attendees.url, ...attendees.credentials },
      },
    ],
    close: async () => {
      await Promise.all([ticketnet.close(), aparte.close(), attendees.close()]);
    },
  };
}

/**
 * Gives the demo theatre a source per simulated partner (pointing at this run's simulators: their
 * ports change between runs) and a file source. The first time, it also adds the first dates of
 * each partner's catalogue, as "Ajouter des représentations automatiquement" does, which imports
 * their tickets and keeps them in sync.
 */
export async function seedDemoSources(
  em: EntityManager,
  app: AppDeps,
  theatreName: string,
  partners: DemoPartners,
): Promise<void> {
  const theatre = await em.findOneOrFail(Institution, { name: theatreName, depth: 1 });
  const master = await em.findOneOrFail(Login, { username: "demo-master" });
  const ctx = systemContext(em, master, app);
  const sources = new SourceService(ctx);
  const existing = await em.find(Source, { institutionId: theatre._id });
  if (!existing.some((s) => s.connectorId === "file"))
    await sources.create({
      institutionId: theatre.id,
      type: "file",
      name: "Fichiers de la billetterie",
      config: {},
    });
  for (const partner of partners.sources) {
    if (!app.connectors.get(partner.type)) continue;
    const found = existing.find((s) => s.name === partner.name);
    if (found) {
      await sources.update(found.id, { name: partner.name, config: partner.config });
      continue;
    }
    const source = await sources.create({ institutionId: theatre.id, ...partner });
    const [catalog] = (await new PartnerCatalogService(ctx).catalogs(theatre.id)).filter(
      (c) => c.source.id === source.id,
    );
    const dates = catalog?.venues.flatMap((v) => v.events.flatMap((e) => e.dates.map((d) => d.id))) ?? [];
    if (dates.length) await new PartnerCatalogService(ctx).create(source.id, dates.slice(0, 2));
  }
}
