import type { Locale, PerformanceRules } from "@billetix/access-rules";
import { unwrap } from "idb";
import { type ScannerDb, type StoredTicket, ticketRange } from "./database";
import type { TicketDownload } from "./gateway-client";
import { ScannerError } from "./scanner.error";
import { byBarcode, mergeServerState, ticketDelta, ticketFromLine } from "./ticket-state";
import type { ImportedPerformance, ImportProgress, PerformanceMeta } from "./types";

/**
 * Tickets per transaction on a first import. Chromium spends ~50 µs per put whatever the batch
 * (100k tickets: ~5 s in any batch size), but a scan waits for the transaction under way: 500 keeps
 * that wait near 25 ms where 2000 made it 100 ms.
 */
const IMPORT_BATCH = 500;
/** Tickets per transaction when merging: each is read, then written. */
const MERGE_BATCH = 250;
/** Local tickets read per request before merging a whole list. */
const READ_CHUNK = 10_000;

export interface ImportContext {
  db: ScannerDb;
  now: () => number;
  locale: Locale;
  /** After each committed merge batch: the performance with its counters as stored. */
  onRecord: (record: ImportedPerformance) => void;
}

const META_FIELDS = [
  "id",
  "institutionId",
  "eventName",
  "venueName",
  "dated",
  "startsAt",
  "endsAt",
  "label",
] as const satisfies readonly (keyof PerformanceMeta)[];

function metaOf(meta: PerformanceMeta): PerformanceMeta {
  const copy = {} as Record<string, unknown>;
  for (const field of META_FIELDS) copy[field] = meta[field];
  return copy as unknown as PerformanceMeta;
}

/**
 * Stores a downloaded ticket list. A performance not on the device yet is imported all or nothing:
 * its tickets are written batch by batch while the next ones download, and its record is created
 * last; a failure removes what was written. A performance already here is merged (a delta, or a
 * whole list that replaces the copy), each ticket only if the server's state is newer.
 */
export function storeDownload(
  context: ImportContext,
  meta: PerformanceMeta,
  existing: ImportedPerformance | undefined,
  download: TicketDownload,
  onProgress?: ImportProgress,
  signal?: AbortSignal,
): Promise<ImportedPerformance> {
  return existing
    ? mergeDownload(context, meta, existing, download, onProgress, signal)
    : firstImport(context, meta, download, onProgress, signal);
}

async function firstImport(
  context: ImportContext,
  meta: PerformanceMeta,
  download: TicketDownload,
  onProgress: ImportProgress | undefined,
  signal: AbortSignal | undefined,
): Promise<ImportedPerformance> {
  const { db, locale } = context;
  const { header } = download;
  const id = meta.id;
  await markImporting(db, id, true);
  let writing: Promise<void> = Promise.resolve();
  try {
    await db.delete("tickets", ticketRange(id));
    // Scans of an earlier copy (removed before they were uploaded) still count on this one.
    const pending = byBarcode(await db.getAllFromIndex("outbox", "by-performance-state", [id, "pending"]));
    const counts = { ticketCount: 0, admitted: 0, inside: 0 };
    let written = 0;
    let batch: StoredTicket[] = [];
    const flush = async () => {
      const tickets = batch;
      batch = [];
      await writing;
      writing = putTickets(db, tickets, locale).then(() => {
        written += tickets.length;
        onProgress?.(written, header.total);
      });
      writing.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
    };

    onProgress?.(0, header.total);
    for await (const chunk of downloadedTickets(download, id, locale, signal)) {
      for (let ticket of chunk) {
        const scans = pending.get(ticket.barcode);
        if (scans) ticket = mergeServerState(undefined, ticket, scans, header.rules) ?? ticket;
        counts.ticketCount++;
        if (ticket.passes > 0) counts.admitted++;
        if (ticket.inside) counts.inside++;
        batch.push(ticket);
        if (batch.length >= IMPORT_BATCH) await flush();
      }
    }
    if (batch.length > 0) await flush();
    await writing;
    if (header.total !== null && counts.ticketCount !== header.total)
      throw ScannerError.of("INTERRUPTED", locale);
    if (signal?.aborted) throw ScannerError.of("ABORTED", locale);

    const now = context.now();
    const record: ImportedPerformance = {
      ...metaOf(meta),
      label: header.label ?? meta.label,
      rules: header.rules,
      categories: header.categories,
      revision: header.revision,
      ...counts,
      importedAt: now,
      lastSyncAt: now,
    };
    const tx = db.transaction(["performances", "meta"], "readwrite");
    const importing = ((await tx.objectStore("meta").get("importing")) as string[] | undefined) ?? [];
    await Promise.all([
      tx.objectStore("performances").put(record),
      tx.objectStore("meta").put(
        importing.filter((p) => p !== id),
        "importing",
      ),
      tx.done,
    ]);
    return record;
  } catch (error) {
    download.cancel();
    await writing.catch(() => undefined);
    await db.delete("tickets", ticketRange(id)).catch(() => undefined);
    await markImporting(db, id, false).catch(() => undefined);
    throw error;
  }
}

/**
 * The download's tickets, a chunk of lines at a time, each line read as the loop reaches it (what
 * came before a bad line is handled first). An abort is seen between chunks.
 */
async function* downloadedTickets(
  download: TicketDownload,
  performanceId: string,
  locale: Locale,
  signal: AbortSignal | undefined,
): AsyncGenerator<Iterable<StoredTicket>> {
  for (;;) {
    if (signal?.aborted) throw ScannerError.of("ABORTED", locale);
    const lines = await download.next();
    if (lines === null) return;
    yield ticketsOf(lines, performanceId, download.header.categories, locale);
  }
}

function* ticketsOf(
  lines: readonly string[],
  performanceId: string,
  categories: readonly string[],
  locale: Locale,
): Generator<StoredTicket> {
  for (const line of lines) {
    const ticket = ticketFromLine(performanceId, line, categories);
    if (!ticket) throw ScannerError.of("BAD_RESPONSE", locale);
    yield ticket;
  }
}

/** One transaction, requests not wrapped in promises: 100k tickets must import in seconds. */
async function putTickets(db: ScannerDb, tickets: readonly StoredTicket[], locale: Locale): Promise<void> {
  const tx = db.transaction("tickets", "readwrite");
  const store = unwrap(tx.objectStore("tickets"));
  for (const ticket of tickets) store.put(ticket);
  try {
    await tx.done;
  } catch (error) {
    throw storageError(error, locale);
  }
}

function storageError(error: unknown, locale: Locale): unknown {
  return error instanceof DOMException && error.name === "QuotaExceededError"
    ? ScannerError.of("STORAGE_FULL", locale)
    : error;
}

/** Remembers first imports under way, so that a tab closed mid-way leaves no orphan tickets. */
async function markImporting(db: ScannerDb, id: string, importing: boolean): Promise<void> {
  const tx = db.transaction("meta", "readwrite");
  const list = ((await tx.store.get("importing")) as string[] | undefined) ?? [];
  const next = list.filter((p) => p !== id);
  if (importing) next.push(id);
  await Promise.all([tx.store.put(next, "importing"), tx.done]);
}

/** Removes the tickets of first imports that never finished (the tab was closed mid-way). */
export async function removeUnfinishedImports(db: ScannerDb): Promise<void> {
  const list = ((await db.get("meta", "importing")) as string[] | undefined) ?? [];
  for (const id of list) {
    if (!(await db.getKey("performances", id))) await db.delete("tickets", ticketRange(id));
  }
  if (list.length > 0) await db.put("meta", [], "importing");
}

async function mergeDownload(
  context: ImportContext,
  meta: PerformanceMeta,
  existing: ImportedPerformance,
  download: TicketDownload,
  onProgress: ImportProgress | undefined,
  signal: AbortSignal | undefined,
): Promise<ImportedPerformance> {
  const { db, locale } = context;
  const { header } = download;
  const id = existing.id;
  // A whole list (tickets were removed on the server): what it lacks goes at the end.
  const seen = header.since === 0 ? new Set<string>() : undefined;
  // A whole list is mostly tickets the device already has as they are: one read of the local
  // revisions spares a request per unchanged ticket (IndexedDB costs tens of µs a request).
  const known = seen ? await localRevisions(db, id) : undefined;
  let read = 0;
  let reported = 0;
  let batch: StoredTicket[] = [];
  const apply = async () => {
    const tickets = batch;
    batch = [];
    const record = await mergeTickets(db, id, tickets, (t) => t, header.rules);
    if (!record) throw ScannerError.of("NOT_IMPORTED", locale);
    context.onRecord(record);
  };
  const progress = () => {
    reported = read;
    onProgress?.(read, header.total);
  };
  try {
    progress();
    for await (const chunk of downloadedTickets(download, id, locale, signal)) {
      for (const ticket of chunk) {
        read++;
        seen?.add(ticket.barcode);
        const revision = known?.get(ticket.barcode);
        if (revision !== undefined && revision >= ticket.revision) continue;
        batch.push(ticket);
        if (batch.length >= MERGE_BATCH) await apply();
      }
      if (read - reported >= MERGE_BATCH) progress();
    }
    if (batch.length > 0) await apply();
    if (seen && header.total !== null && seen.size !== header.total)
      throw ScannerError.of("INTERRUPTED", locale);
    if (read !== reported) progress();
  } catch (error) {
    // What was merged stays (each ticket is newer than before); the revision does not move, so
    // the next pull asks for the same changes again.
    download.cancel();
    throw error;
  }

  const tx = db.transaction(["tickets", "performances"], "readwrite");
  const record = await tx.objectStore("performances").get(id);
  if (!record) throw ScannerError.of("NOT_IMPORTED", locale);
  const writes: Promise<unknown>[] = [];
  if (seen && known) {
    // What the whole list lacks was removed on the server. (A ticket that arrived here after the
    // local revisions were read is newer than the list: it stays.)
    const store = tx.objectStore("tickets");
    const gone = [...known.keys()].filter((barcode) => !seen.has(barcode));
    const locals = await Promise.all(gone.map((barcode) => store.get([id, barcode])));
    gone.forEach((barcode, i) => {
      const delta = ticketDelta(locals[i], undefined);
      record.admitted += delta.admitted;
      record.inside += delta.inside;
      record.ticketCount += delta.tickets;
      writes.push(store.delete([id, barcode]));
    });
  }
  Object.assign(record, metaOf(meta), {
    label: header.label ?? meta.label,
    rules: header.rules,
    categories: header.categories,
    revision: Math.max(header.revision, record.revision),
    lastSyncAt: context.now(),
  });
  await Promise.all([...writes, tx.objectStore("performances").put(record), tx.done]);
  context.onRecord(record);
  return record;
}

/** Every local ticket's revision, read by chunks (a few requests for 100k tickets). */
async function localRevisions(db: ScannerDb, performanceId: string): Promise<Map<string, number>> {
  const revisions = new Map<string, number>();
  let range = ticketRange(performanceId);
  for (;;) {
    const tickets = await db.getAll("tickets", range, READ_CHUNK);
    for (const ticket of tickets) revisions.set(ticket.barcode, ticket.revision);
    if (tickets.length < READ_CHUNK) return revisions;
    range = IDBKeyRange.bound(
      [performanceId, tickets[tickets.length - 1].barcode],
      [performanceId, []],
      true,
      false,
    );
  }
}

/**
 * Applies server states to a performance's tickets in one transaction: each only if newer than
 * the local copy, with this device's pending scans replayed on top; the performance's counters
 * move by the difference. Undefined when the performance is not on the device.
 *
 * @param rules the rules to replay pending scans with (the performance's own when omitted)
 */
export async function mergeTickets<T extends { barcode: string }>(
  db: ScannerDb,
  performanceId: string,
  items: readonly T[],
  toTicket: (item: T, local: StoredTicket | undefined) => StoredTicket,
  rules?: PerformanceRules,
): Promise<ImportedPerformance | undefined> {
  const tx = db.transaction(["tickets", "outbox", "performances"], "readwrite");
  const tickets = tx.objectStore("tickets");
  const [record, pendingList, locals] = await Promise.all([
    tx.objectStore("performances").get(performanceId),
    tx.objectStore("outbox").index("by-performance-state").getAll([performanceId, "pending"]),
    Promise.all(items.map((item) => tickets.get([performanceId, item.barcode]))),
  ]);
  if (!record) {
    await tx.done;
    return undefined;
  }
  const pending = byBarcode(pendingList);
  const writes: Promise<unknown>[] = [];
  let moved = false;
  items.forEach((item, i) => {
    const local = locals[i];
    const next = mergeServerState(
      local,
      toTicket(item, local),
      pending.get(item.barcode),
      rules ?? record.rules,
    );
    if (!next) return;
    writes.push(tickets.put(next));
    const delta = ticketDelta(local, next);
    record.admitted += delta.admitted;
    record.inside += delta.inside;
    record.ticketCount += delta.tickets;
    moved ||= delta.admitted !== 0 || delta.inside !== 0 || delta.tickets !== 0;
  });
  if (moved) writes.push(tx.objectStore("performances").put(record));
  await Promise.all([...writes, tx.done]);
  return record;
}
