import { type CatalogDate, type CatalogVenue, ConnectorError } from "@billetix/connector-sdk";
import type { AttendeesConfig } from "./config";
import { parisLocalToIso } from "./paris-time";
import { AttendeesClient } from "./partner/attendees-client";
import { readDates, readEvents } from "./partner/shapes";

/** Venues → events → dates, from the events list and each event's dates. */
export async function listCatalog({
  config,
  signal,
}: {
  config: AttendeesConfig;
  signal: AbortSignal;
}): Promise<CatalogVenue[]> {
  const client = new AttendeesClient(config, signal);
  const events = readEvents(await client.get("/v3/events", [], "liste des événements"), client.where);
  const venues = new Map<string, CatalogVenue>();
  const iso = (text: string | undefined | null, eventId: string) => {
    const value = text ? parisLocalToIso(text) : undefined;
    if (text && !value)
      throw new ConnectorError(
        "bad-response",
        `Le service ${client.where} a renvoyé une date illisible « ${text} » pour l'événement ${eventId}.`,
      );
    return value;
  };
  for (const event of events) {
    const eventId = String(event.id);
    const dates = readDates(
      await client.get(
        `/v3/events/${encodeURIComponent(eventId)}/dates`,
        [],
        `dates de l'événement ${eventId}`,
      ),
      eventId,
      client.where,
    );
    const catalogDates: CatalogDate[] = dates.map((d) => ({
      id: `${eventId}/${d.id}`,
      startsAt: iso(d.start, eventId) as string,
      ...(d.end && { endsAt: iso(d.end, eventId) }),
      params: { eventId, dateId: String(d.id) },
    }));
    // An event without dates of its own is one date: the event's.
    const start = iso(event.date?.start, eventId);
    if (catalogDates.length === 0 && start)
      catalogDates.push({
        id: eventId,
        startsAt: start,
        ...(event.date?.end && { endsAt: iso(event.date.end, eventId) }),
        params: { eventId },
      });
    const venueId = event.venue?.id === undefined || event.venue?.id === null ? "" : String(event.venue.id);
    let venue = venues.get(venueId);
    if (!venue) {
      venue = {
        id: venueId || "sans-lieu",
        name: event.venue?.name?.trim() || "Lieu non précisé",
        events: [],
      };
      venues.set(venueId, venue);
    }
    venue.events.push({ id: eventId, name: event.name, dates: catalogDates });
  }
  return [...venues.values()];
}
