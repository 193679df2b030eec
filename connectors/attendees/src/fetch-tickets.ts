import {
  ConnectorError,
  type FetchTicketsArgs,
  isConnectorError,
  type TicketRecord,
} from "@billetix/connector-sdk";
import type { AttendeesConfig, AttendeesParams } from "./config";
import { ParticipantMapper } from "./map-participant";
import { parseParisLocal } from "./paris-time";
import { AttendeesClient, PAGE_SIZE } from "./partner/attendees-client";
import { readParticipantsPage } from "./partner/shapes";

/**
 * The tickets of one event (or one of its dates), page by page. With `since` (the partner's
 * `server_time` of the previous sync's first page), only participants updated at or after that
 * second: the same second is read again, so a change made in it is never missed.
 */
export async function* fetchTickets({
  config,
  params,
  since,
  checkpoint,
  signal,
}: FetchTicketsArgs<AttendeesConfig, AttendeesParams>): AsyncGenerator<TicketRecord> {
  const client = new AttendeesClient(config, signal);
  const eventId = String(params.eventId ?? "").trim();
  const dateId = String(params.dateId ?? "").trim();
  if (!eventId)
    throw new ConnectorError("bad-config", "« Identifiant de l'événement » : ce champ est obligatoire.");
  // An unreadable cursor (hand-edited, older format) means a full import: repeats are harmless.
  const lastUpdate = since && parseParisLocal(since) ? since : undefined;
  const mapper = new ParticipantMapper();
  let cursor: string | undefined;
  for (let page = 1, lastPage = 1; page <= lastPage; page++) {
    if (signal.aborted) return;
    const query: [string, string][] = [["id_event[]", eventId]];
    if (dateId) query.push(["id_date", dateId]);
    if (lastUpdate) query.push(["last_update", lastUpdate]);
    query.push(["page", String(page)], ["per_page", String(PAGE_SIZE)], ["full", "1"]);
    let body: unknown;
    try {
      body = await client.get("/v3/participants", query, `page ${page} des participants`);
    } catch (err) {
      if (signal.aborted) return;
      if (isConnectorError(err) && err.code === "not-found")
        throw new ConnectorError(
          "not-found",
          dateId
            ? `Le service ${client.where} ne connaît pas la date ${dateId} de l'événement ${eventId} (HTTP 404) : vérifiez les paramètres de la représentation.`
            : `Le service ${client.where} ne connaît pas l'événement ${eventId} (HTTP 404) : vérifiez les paramètres de la représentation.`,
          { status: 404, cause: err },
        );
      throw err;
    }
    const checked = readParticipantsPage(body, page, client.where);
    // The partner's clock, not ours: what changes after this instant is read next time.
    cursor ??= checked.serverTime;
    lastPage = checked.lastPage;
    if (checked.participants.length === 0) break;
    for (const participant of checked.participants) {
      if (signal.aborted) return;
      yield* mapper.map(participant);
    }
  }
  if (signal.aborted) return;
  yield* mapper.finish();
  if (cursor) checkpoint(cursor);
}
