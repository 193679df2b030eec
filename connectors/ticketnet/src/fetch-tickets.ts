import type { FetchTicketsArgs, TicketRecord } from "@billetix/connector-sdk";
import { TICKETNET_MAX_PAGE_SIZE } from "./ticketnet-api";
import { TicketnetClient } from "./ticketnet-client";
import type { TicketnetConfig, TicketnetParams } from "./ticketnet-config";
import { checkTicketsPage } from "./ticketnet-shape";

/**
 * Reads the tickets of a performance page by page (`pageSize` at the API's maximum), only those
 * modified since `since` when it is given (`modifiedSince`).
 *
 * Once the last page is read, `checkpoint` gets the `serverTime` of the first page: the partner's
 * clock, not ours, so that a change made while the pages were read, or on a partner whose clock
 * is off, is read again by the next sync rather than lost. A `since` that is not a date (a cursor
 * from elsewhere) is ignored: the sync reads everything, which the gateway's upsert makes
 * harmless. An abort of `signal` stops between or during pages and returns without a checkpoint.
 */
export async function* fetchTicketnetTickets(
  { config, params, since, checkpoint, signal }: FetchTicketsArgs<TicketnetConfig, TicketnetParams>,
  pageSize = TICKETNET_MAX_PAGE_SIZE,
): AsyncGenerator<TicketRecord> {
  const client = new TicketnetClient(config, signal);
  const performanceId = String(params.performanceId ?? "").trim();
  const modifiedSince = since !== undefined && !Number.isNaN(Date.parse(since)) ? since : undefined;
  const path = `performances/${encodeURIComponent(performanceId)}/tickets`;
  const notFound = `Ticketnet ne connaît pas la représentation « ${performanceId} » (HTTP 404) : vérifiez « Identifiant de la représentation chez Ticketnet ».`;
  const load = (page: number) => {
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (modifiedSince !== undefined) query.set("modifiedSince", modifiedSince);
    const what = `Billets de la représentation « ${performanceId} », page ${page}`;
    const checked = client
      .get(`${path}?${query}`, { what, notFound })
      .then((body) => checkTicketsPage(body, page, pageSize, what));
    checked.catch(() => undefined); // awaited in turn; this only marks it handled if the loop stops first
    return checked;
  };
  let firstServerTime: string | undefined;
  let pageCount = 1;
  let next = load(1);
  for (let page = 1; page <= pageCount; page++) {
    if (signal.aborted) return;
    let checked: Awaited<ReturnType<typeof load>>;
    try {
      checked = await next;
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    firstServerTime ??= checked.serverTime;
    // Tickets sold while the pages are read make more pages: they are read too.
    pageCount = checked.pageCount;
    // The next page is on its way while this one is handed over (the gateway writes meanwhile).
    if (page < pageCount) next = load(page + 1);
    for (const record of checked.records) {
      if (signal.aborted) return;
      yield record;
    }
  }
  if (firstServerTime !== undefined) checkpoint(firstServerTime);
}
