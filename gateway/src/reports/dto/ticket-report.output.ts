import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { TicketState } from "../../access";

@ObjectType({ description: "One of the columns a source gave beyond the usual ones, on one ticket." })
export class TicketExtraValue {
  @Field({ description: "The column's name, as the source gave it." }) name!: string;
  @Field() value!: string;
}

/** A ticket as a report shows it: what the sources gave, and its scan state. */
@ObjectType({ description: "A ticket in a performance's report: what the sources gave and its scan state." })
export class TicketReportRow {
  @Field(() => ID) id!: string;
  @Field() barcode!: string;
  @Field(() => TicketState) state!: TicketState;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => String, { nullable: true }) holderName?: string | null;
  @Field(() => String, { nullable: true }) seat?: string | null;
  @Field(() => Float, { nullable: true }) price?: number | null;
  @Field(() => [TicketExtraValue], { description: "The source's other columns, in its order." })
  extra!: TicketExtraValue[];
  @Field(() => Int, { description: "Entries so far." }) passes!: number;
  @Field({ description: "In the venue now (in-and-out control)." }) inside!: boolean;
  @Field(() => Date, { nullable: true }) firstEntryAt?: Date | null;
  @Field(() => Date, { nullable: true }) lastScanAt?: Date | null;
}

@ObjectType({ description: "A page of a performance's ticket report." })
export class TicketReportPage {
  /** Resolved to `columns` only when asked for. */
  performanceId!: ObjectId;

  @Field(() => Int, { description: "Tickets matching the search, over every page." }) totalCount!: number;
  @Field(() => [TicketReportRow]) rows!: TicketReportRow[];
}
