import type { ObjectId } from "@mikro-orm/mongodb";
import type { Collection, Document } from "mongodb";
import { TicketState } from "../access";
import type { Performance } from "../catalog";
import type { RequestContext } from "../common/context";
import { badInput } from "../common/domain-error";
import type { TicketExtraValue, TicketReportPage, TicketReportRow } from "./dto/ticket-report.output";
import { exportBatches } from "./export-cursor";
import { reportedPerformance } from "./report-access";
import { type PageRequest, parsePage, parseTicketSort, searchPattern, type TicketSort } from "./report-query";

const REPORT_FIELDS = {
  barcode: 1,
  state: 1,
  category: 1,
  holderName: 1,
  seat: 1,
  price: 1,
  extra: 1,
  passes: 1,
  inside: 1,
  firstEntryAt: 1,
  lastScanAt: 1,
};

/** What a report asks for, as the GraphQL query and the export both receive it (checked here). */
export interface TicketReportQuery {
  q?: string | null;
  sortBy?: string | null;
  sortDirection?: string | null;
}

export interface TicketExport {
  performance: Performance;
  /** The extra columns, in the sources' order. */
  columns: string[];
  /** Every matching ticket in the asked order, a batch at a time, from one cursor; stopping early closes it. */
  rows: AsyncGenerator<Iterable<TicketReportRow>>;
}

/**
 * A performance's tickets as the back office reports them: what the sources gave and the scan
 * state, searched by barcode or holder name, sorted on any column, paged or exported whole.
 */
export class TicketReportService {
  constructor(private readonly ctx: RequestContext) {}

  private tickets(): Collection<Document> {
    return this.ctx.em.getConnection().getCollection("ticket") as unknown as Collection<Document>;
  }

  async page(performanceId: string, query: TicketReportQuery, page: PageRequest): Promise<TicketReportPage> {
    const performance = await reportedPerformance(this.ctx, performanceId);
    const { offset, limit } = parsePage(page);
    const { where, sort } = await this.plan(performance, query);
    const [docs, totalCount] = await Promise.all([
      this.tickets()
        .find(where, { projection: REPORT_FIELDS, sort: sort.spec, skip: offset, limit })
        .toArray(),
      this.tickets().countDocuments(where),
    ]);
    return { performanceId: performance._id, totalCount, rows: docs.map(reportRow) };
  }

  /**
   * The extra column names found in the performance's tickets, in the order the sources gave
   * them (a column's smallest position in any ticket, then by name).
   */
  async columns(performanceId: ObjectId): Promise<string[]> {
    // Grouped by each ticket's list of names: a source gives every ticket the same few lists, so
    // the database returns a handful of documents (and unwinding every value would cost 4x more).
    const lists = await this.tickets()
      .aggregate<{ _id: unknown }>([
        { $match: { performanceId } },
        {
          $group: {
            _id: { $map: { input: { $objectToArray: { $ifNull: ["$extra", {}] } }, in: "$$this.k" } },
          },
        },
      ])
      .toArray();
    const positions = new Map<string, number>();
    for (const { _id: names } of lists) {
      if (!Array.isArray(names)) continue;
      names.forEach((name, position) => {
        if (typeof name === "string" && position < (positions.get(name) ?? Number.POSITIVE_INFINITY)) {
          positions.set(name, position);
        }
      });
    }
    return [...positions]
      .sort(([a, pa], [b, pb]) => pa - pb || (a < b ? -1 : a > b ? 1 : 0))
      .map(([name]) => name);
  }

  /** Everything an export needs, checked before the first byte goes out; the rows are read lazily. */
  async export(performanceId: string, query: TicketReportQuery): Promise<TicketExport> {
    const performance = await reportedPerformance(this.ctx, performanceId);
    const columns = await this.columns(performance._id);
    const { where, sort } = await this.plan(performance, query, columns);
    const rows = exportBatches(
      this.tickets(),
      where,
      { projection: REPORT_FIELDS, sort: sort.spec },
      reportRow,
    );
    return { performance, columns, rows };
  }

  /** The checked search and sort; an extra column must exist in this performance's tickets. */
  private async plan(
    performance: Performance,
    query: TicketReportQuery,
    columns?: string[],
  ): Promise<{ where: Document; sort: TicketSort }> {
    const sort = parseTicketSort(query.sortBy, query.sortDirection);
    const pattern = searchPattern(query.q);
    if (sort.extraName !== undefined) {
      const exists = columns
        ? columns.includes(sort.extraName)
        : (await this.tickets().findOne(
            { performanceId: performance._id, [`extra.${sort.extraName}`]: { $exists: true } },
            { projection: { _id: 1 } },
          )) !== null;
      if (!exists) {
        throw badInput(
          "sortBy",
          `Tri impossible : la colonne « ${sort.extraName} » n'existe pas dans les billets de cette représentation.`,
        );
      }
    }
    const where: Document = { performanceId: performance._id };
    if (pattern) where.$or = [{ barcode: pattern }, { holderName: pattern }];
    return { where, sort };
  }
}

function reportRow(doc: Document): TicketReportRow {
  return {
    id: String(doc._id),
    barcode: doc.barcode,
    state: doc.state ?? TicketState.valid,
    category: doc.category ?? null,
    holderName: doc.holderName ?? null,
    seat: doc.seat ?? null,
    price: typeof doc.price === "number" ? doc.price : null,
    extra: extraValues(doc.extra),
    passes: doc.passes ?? 0,
    inside: Boolean(doc.inside),
    firstEntryAt: doc.firstEntryAt ?? null,
    lastScanAt: doc.lastScanAt ?? null,
  };
}

function extraValues(extra: unknown): TicketExtraValue[] {
  if (!extra || typeof extra !== "object") return [];
  const values: TicketExtraValue[] = [];
  for (const [name, value] of Object.entries(extra)) {
    if (value !== null && value !== undefined) values.push({ name, value: String(value) });
  }
  return values;
}
