import type { TicketRecord } from "@billetix/connector-sdk";
import { type AnyBulkWriteOperation, type Collection, type Document, ObjectId } from "mongodb";
import { endReservations, reserveRevisions } from "../access/revisions";

/** What one import did to a performance's tickets. */
export interface UpsertTotals {
  /** Records read from the source. */
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Barcodes another source of the performance brought first (the first imported wins). */
  otherSource: number;
  /** Records no ticket can be made of (no barcode, unknown state…): skipped, counted. */
  rejected: number;
  /** The first few rejections, in French, for the source's status. */
  rejections: string[];
}

export const emptyTotals = (): UpsertTotals => ({
  records: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  otherSource: 0,
  rejected: 0,
  rejections: [],
});

/** The ticket fields a source owns; scan fields (passes, inside…) are never touched by an import. */
interface SourceFields {
  state: "valid" | "cancelled" | "duplicated";
  category?: string;
  holderName?: string;
  seat?: string;
  price?: number;
  extra: Record<string, string>;
}

const STATES = new Set(["valid", "cancelled", "duplicated"]);
const MAX_ROUNDS = 5;
const MAX_EXTRA_KEYS = 50;

/**
 * Upserts a source's ticket records into one performance, batch by batch, by (performance,
 * barcode). A barcode that another source brought first is left alone; an unchanged record
 * writes nothing; every created or changed ticket is stamped with a revision reserved on the
 * performance (so scanners' deltas get it) and the performance's ticket and valid counters
 * move with it. Updates are guarded by the revision read, like scans: a ticket a scan changed
 * in between is read again and the record applied on what the scan left.
 */
export class TicketUpserter {
  readonly totals = emptyTotals();

  constructor(
    private readonly tickets: Collection<Document>,
    private readonly performances: Collection<Document>,
    private readonly performanceId: ObjectId,
    private readonly sourceId: ObjectId,
    private readonly now: () => Date,
  ) {}

  /** Applies one batch; the later record wins when a barcode repeats within it. */
  async apply(records: readonly TicketRecord[]): Promise<void> {
    this.totals.records += records.length;
    const byBarcode = new Map<string, SourceFields>();
    for (const record of records) {
      const checked = this.check(record);
      if (checked) byBarcode.set(checked.barcode, checked.fields);
    }
    let pending = byBarcode;
    const requestId = new ObjectId();
    let reserved = false;
    const moved = { ticketCount: 0, validCount: 0 };
    try {
      for (let round = 0; pending.size > 0; round++) {
        if (round === MAX_ROUNDS)
          throw new Error(
            `tickets kept changing while importing: ${[...pending.keys()].slice(0, 5).join(", ")}`,
          );
        const retry = await this.round(pending, requestId, moved, () => {
          reserved = true;
        });
        pending = retry;
      }
    } finally {
      if (reserved || moved.ticketCount || moved.validCount) {
        await this.performances.updateOne(
          { _id: this.performanceId },
          {
            ...(moved.ticketCount || moved.validCount
              ? {
                  $inc: {
                    "counters.ticketCount": moved.ticketCount,
                    "counters.validCount": moved.validCount,
                  },
                }
              : {}),
            ...(reserved ? endReservations(requestId) : {}),
          },
        );
      }
    }
  }

  /** One pass over `pending`; returns the records to try again (a race with a scan or another import). */
  private async round(
    pending: Map<string, SourceFields>,
    requestId: ObjectId,
    moved: { ticketCount: number; validCount: number },
    onReserve: () => void,
  ): Promise<Map<string, SourceFields>> {
    const existing = await this.tickets
      .find(
        { performanceId: this.performanceId, barcode: { $in: [...pending.keys()] } },
        {
          projection: {
            barcode: 1,
            revision: 1,
            sourceId: 1,
            state: 1,
            category: 1,
            holderName: 1,
            seat: 1,
            price: 1,
            extra: 1,
          },
        },
      )
      .toArray();
    const found = new Map(existing.map((t) => [t.barcode as string, t]));
    const inserts: [string, SourceFields][] = [];
    const updates: { ticket: Document; set: Partial<SourceFields>; fields: SourceFields }[] = [];
    for (const [barcode, fields] of pending) {
      const ticket = found.get(barcode);
      if (!ticket) inserts.push([barcode, fields]);
      else if (!ticket.sourceId || !this.sourceId.equals(ticket.sourceId)) this.totals.otherSource++;
      else {
        const set = changedFields(ticket, fields);
        if (set) updates.push({ ticket, set, fields });
        else this.totals.unchanged++;
      }
    }
    const count = inserts.length + updates.length;
    if (count === 0) return new Map();
    const last = await reserveRevisions(this.performances, this.performanceId, count, requestId, this.now());
    onReserve();
    let revision = last - count;
    const now = this.now();
    const retry = new Map<string, SourceFields>();

    if (inserts.length > 0) {
      const docs = inserts.map(([barcode, fields]) => ({
        _id: new ObjectId(),
        performanceId: this.performanceId,
        barcode,
        ...withoutUndefined(fields),
        sourceId: this.sourceId,
        revision: ++revision,
        passes: 0,
        inside: false,
        passesByDay: {},
        appliedScans: [],
        createdAt: now,
        updatedAt: now,
      }));
      const failed = await insertAll(this.tickets, docs);
      docs.forEach((doc, i) => {
        if (failed.has(i)) retry.set(doc.barcode, inserts[i][1]);
        else {
          this.totals.created++;
          moved.ticketCount++;
          if (doc.state === "valid") moved.validCount++;
        }
      });
    }

    if (updates.length > 0) {
      const stamped = new Map<string, number>();
      const operations: AnyBulkWriteOperation<Document>[] = updates.map(({ ticket, set }) => {
        const unset = Object.keys(set).filter((k) => set[k as keyof SourceFields] === undefined);
        stamped.set(String(ticket._id), revision + 1);
        return {
          updateOne: {
            filter: { _id: ticket._id, revision: ticket.revision },
            update: {
              $set: { ...withoutUndefined(set), revision: ++revision, updatedAt: now },
              ...(unset.length && { $unset: Object.fromEntries(unset.map((k) => [k, ""])) }),
            },
          },
        };
      });
      const result = await this.tickets.bulkWrite(operations, { ordered: false });
      const lost =
        result.matchedCount === updates.length ? new Set<string>() : await this.changedMeanwhile(stamped);
      for (const { ticket, set, fields } of updates) {
        if (lost.has(String(ticket._id))) retry.set(ticket.barcode, fields);
        else {
          this.totals.updated++;
          if (set.state !== undefined && (set.state === "valid") !== (ticket.state === "valid"))
            moved.validCount += set.state === "valid" ? 1 : -1;
        }
      }
    }
    return retry;
  }

  /** The tickets whose guarded update did not apply: their revision is not the one stamped. */
  private async changedMeanwhile(stamped: Map<string, number>): Promise<Set<string>> {
    const now = await this.tickets
      .find(
        { _id: { $in: [...stamped.keys()].map((id) => new ObjectId(id)) } },
        { projection: { revision: 1 } },
      )
      .toArray();
    const revisionNow = new Map(now.map((t) => [String(t._id), t.revision as number]));
    return new Set(
      [...stamped].filter(([id, revision]) => revisionNow.get(id) !== revision).map(([id]) => id),
    );
  }

  /** A record as a ticket, or undefined (counted as rejected) when no ticket can be made of it. */
  private check(record: TicketRecord): { barcode: string; fields: SourceFields } | undefined {
    const reject = (why: string) => {
      this.totals.rejected++;
      if (this.totals.rejections.length < 5) this.totals.rejections.push(why);
      return undefined;
    };
    const barcode = typeof record?.barcode === "string" ? record.barcode.trim() : "";
    if (!barcode) return reject("un billet sans numéro a été ignoré");
    if (barcode.length > 200) return reject(`le numéro « ${barcode.slice(0, 20)}… » dépasse 200 caractères`);
    const state = record.state ?? "valid";
    if (!STATES.has(state)) return reject(`le billet ${barcode} a un état inconnu « ${String(state)} »`);
    if (
      record.price !== undefined &&
      record.price !== null &&
      !(Number.isFinite(record.price) && record.price >= 0)
    )
      return reject(`le billet ${barcode} a un prix invalide`);
    const extra: Record<string, string> = {};
    for (const [key, value] of Object.entries(record.extra ?? {}).slice(0, MAX_EXTRA_KEYS)) {
      if (value === undefined || value === null || !key) continue;
      extra[storableKey(key).slice(0, 100)] = String(value).slice(0, 500);
    }
    return {
      barcode,
      fields: {
        state,
        category: text(record.category),
        holderName: text(record.holderName),
        seat: text(record.seat),
        price: record.price ?? undefined,
        extra,
      },
    };
  }
}

/**
 * A column name as a document key: "." and a leading "$" have a meaning in MongoDB paths, so they
 * become their full-width look-alikes ("Réf. commande" stays readable in reports).
 */
const storableKey = (key: string): string => key.replace(/\./g, "\uFF0E").replace(/^\$/, "\uFF04");

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim().slice(0, 300);
  return s || undefined;
};

/** The source fields that differ from the stored ticket (undefined values clear the field), or undefined. */
function changedFields(ticket: Document, fields: SourceFields): Partial<SourceFields> | undefined {
  const set: Partial<SourceFields> = {};
  let changed = false;
  for (const key of ["state", "category", "holderName", "seat", "price"] as const) {
    if ((ticket[key] ?? undefined) !== fields[key]) {
      (set as Record<string, unknown>)[key] = fields[key];
      changed = true;
    }
  }
  if (!sameExtra(ticket.extra ?? {}, fields.extra)) {
    set.extra = fields.extra;
    changed = true;
  }
  return changed ? set : undefined;
}

function sameExtra(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Inserts unordered; returns the indexes refused as duplicates (another import created them meanwhile). */
async function insertAll(tickets: Collection<Document>, docs: Document[]): Promise<Set<number>> {
  try {
    await tickets.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { index: number; code?: number; err?: { code?: number } }[] })
      .writeErrors;
    if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== 11000)) throw err;
    return new Set(writeErrors.map((e) => e.index));
  }
}
