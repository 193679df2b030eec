import type { CatalogEvent, CatalogVenue } from "@billetix/connector-sdk";
import { TicketnetClient } from "./ticketnet-client";
import type { TicketnetConfig } from "./ticketnet-config";
import { checkEvents, checkVenues } from "./ticketnet-shape";

/** Event lists asked at once: enough to be quick, few enough to spare the partner. */
const PARALLEL = 4;

/**
 * The partner's venues → events → dates (`params: {performanceId}`), with dates as the partner
 * writes them (ISO 8601 with the Paris offset). Events without a date and venues without an
 * event are left out: there is nothing to create for them.
 */
export async function listTicketnetCatalog({
  config,
  signal,
}: {
  config: TicketnetConfig;
  signal: AbortSignal;
}): Promise<CatalogVenue[]> {
  const client = new TicketnetClient(config, signal);
  const venues = checkVenues(
    await client.get("venues", {
      what: "Liste des lieux",
      notFound: `Ticketnet ne propose pas la liste des lieux à l'adresse ${client.root}/venues (HTTP 404) : vérifiez « Adresse du service Ticketnet ».`,
    }),
    "Liste des lieux",
  );
  const catalog: CatalogVenue[] = venues.map((v) => ({
    id: v.id,
    name: v.name || `Lieu ${v.id}`,
    events: [],
  }));
  for (let i = 0; i < venues.length; i += PARALLEL) {
    await Promise.all(
      venues.slice(i, i + PARALLEL).map(async (venue, j) => {
        const what = `Événements du lieu « ${venue.name || venue.id} »`;
        const body = await client.get(`venues/${encodeURIComponent(venue.id)}/events`, {
          what,
          notFound: `Ticketnet ne connaît pas le lieu « ${venue.id} » qu'il vient de lister (HTTP 404).`,
        });
        catalog[i + j].events = checkEvents(body, what)
          .filter((event) => event.performances.length > 0)
          .map(
            (event): CatalogEvent => ({
              id: event.id,
              name: event.title || `Événement ${event.id}`,
              dates: event.performances.map((p) => ({
                id: p.id,
                startsAt: p.startDate,
                ...(p.endDate ? { endsAt: p.endDate } : {}),
                params: { performanceId: p.id },
              })),
            }),
          );
      }),
    );
  }
  return catalog.filter((v) => v.events.length > 0);
}
