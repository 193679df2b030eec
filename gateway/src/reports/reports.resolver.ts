import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { SortDirection } from "../catalog/dto/dashboard.input";
import type { RequestContext } from "../common/context";
import { ScanLogPage, ScanOutcome } from "./dto/scan-log.output";
import { TicketReportPage } from "./dto/ticket-report.output";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./report-query";
import { ScanLogService } from "./scan-log.service";
import { TicketReportService } from "./ticket-report.service";

const OFFSET_DESCRIPTION = "Rows to skip (0 and up).";
const LIMIT_DESCRIPTION = `Rows per page, 1 to ${MAX_PAGE_SIZE}.`;

@Resolver(() => TicketReportPage)
export class TicketReportResolver {
  @Query(() => TicketReportPage, {
    description:
      "A performance's tickets with every column the sources gave and their scan state: searched, sorted, paged. Excel: GET /api/reports/performances/:id/tickets.xlsx with the same q, sortBy, sortDirection.",
  })
  ticketReport(
    @Arg("performanceId", () => ID) performanceId: string,
    @Arg("q", () => String, {
      nullable: true,
      description: "Part of a barcode or holder name, case and accents ignored (100 characters at most).",
    })
    q: string | null | undefined,
    @Arg("sortBy", () => String, {
      defaultValue: "barcode",
      description:
        "barcode, state, category, holderName, seat, price, passes, inside, firstEntryAt, lastScanAt, or extra.<column> (one of `columns`). Ties are ordered by barcode.",
    })
    sortBy: string,
    @Arg("sortDirection", () => SortDirection, { defaultValue: SortDirection.asc })
    sortDirection: SortDirection,
    @Arg("offset", () => Int, { defaultValue: 0, description: OFFSET_DESCRIPTION }) offset: number,
    @Arg("limit", () => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: LIMIT_DESCRIPTION })
    limit: number,
    @Ctx() ctx: RequestContext,
  ): Promise<TicketReportPage> {
    return new TicketReportService(ctx).page(performanceId, { q, sortBy, sortDirection }, { offset, limit });
  }

  @FieldResolver(() => [String], {
    description:
      "The extra columns found in the performance's tickets, in the sources' order (over every page).",
  })
  columns(@Root() page: TicketReportPage, @Ctx() ctx: RequestContext): Promise<string[]> {
    return new TicketReportService(ctx).columns(page.performanceId);
  }
}

@Resolver()
export class ScanLogResolver {
  @Query(() => ScanLogPage, {
    description:
      "Every scan of a performance, accepted or refused, newest first: filtered, paged. Excel: GET /api/reports/performances/:id/scans.xlsx with the same filters.",
  })
  scanLog(
    @Arg("performanceId", () => ID) performanceId: string,
    @Arg("deviceId", () => String, { nullable: true, description: "A device's key (Device.deviceKey)." })
    deviceId: string | null | undefined,
    @Arg("reason", () => String, {
      nullable: true,
      description: "A reason code of @billetix/access-rules (ACCEPTED, ALREADY_USED, …).",
    })
    reason: string | null | undefined,
    @Arg("outcome", () => ScanOutcome, { nullable: true }) outcome: ScanOutcome | null | undefined,
    @Arg("offset", () => Int, { defaultValue: 0, description: OFFSET_DESCRIPTION }) offset: number,
    @Arg("limit", () => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: LIMIT_DESCRIPTION })
    limit: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ScanLogPage> {
    return new ScanLogService(ctx).page(performanceId, { deviceId, reason, outcome }, { offset, limit });
  }
}
