import { createHash } from "node:crypto";
import type { FetchTicketsArgs, TicketRecord } from "@billetix/connector-sdk";
import { APARTE_MAX_LIMIT } from "./aparte-api";
import { AparteClient } from "./aparte-client";
import type { AparteConfig, AparteParams } from "./aparte-config";
import { checkBilletsPage } from "./aparte-shape";

/**
 * Reads every billet of a séance, page by page (`offset`/`limit`, `limit` at the API's maximum).
 *
 * Aparté has no "changed since" API, so every sync is a full read: `since` is ignored, and once
 * the last page is read `checkpoint` gets `complet:<billets>:<hash>`, a hash of each billet's
 * number and state, for the gateway's records only. Re-reading everything is harmless because
 * the gateway upserts by barcode. An abort of `signal` stops between or during pages and returns
 * without a checkpoint.
 */
export async function* fetchAparteTickets(
  { config, params, checkpoint, signal }: FetchTicketsArgs<AparteConfig, AparteParams>,
  pageSize = APARTE_MAX_LIMIT,
): AsyncGenerator<TicketRecord> {
  const client = new AparteClient(config, signal);
  const idSeance = String(params.idSeance ?? "").trim();
  const path = `seances/${encodeURIComponent(idSeance)}/billets`;
  const hash = createHash("sha256");
  let count = 0;
  let offset = 0;
  let total = 0;
  do {
    if (signal.aborted) return;
    const what = `Billets de la séance « ${idSeance} », page à l'offset ${offset}`;
    let body: unknown;
    try {
      body = await client.get(`${path}?offset=${offset}&limit=${pageSize}`, {
        what,
        notFound: `Aparté ne connaît pas la séance « ${idSeance} » de l'organisme « ${config.organismeId} » (HTTP 404) : vérifiez « Identifiant de la séance chez Aparté ».`,
      });
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const page = checkBilletsPage(body, offset, what);
    for (const record of page.records) yield record;
    for (const fingerprint of page.fingerprints) hash.update(`${fingerprint}\n`);
    count += page.records.length;
    offset += page.records.length;
    total = page.total;
  } while (offset < total);
  checkpoint(`complet:${count}:${hash.digest("hex").slice(0, 16)}`);
}
