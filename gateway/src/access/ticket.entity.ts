import { Entity, Enum, Index, Property, Unique } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

export enum TicketState {
  valid = "valid",
  cancelled = "cancelled",
  duplicated = "duplicated",
}
registerEnumType(TicketState, {
  name: "TicketState",
  description: "duplicated: re-issued, the old number is refused.",
});

/**
 * A ticket number to control, unique per performance. Every change (import, cancellation, scan)
 * stamps it with the performance's next revision: the basis of incremental sync.
 */
@ObjectType()
@Entity()
@Unique({ properties: ["performanceId", "barcode"] })
@Index({ properties: ["performanceId", "revision"] })
export class Ticket extends BaseEntity<
  "state" | "extra" | "revision" | "passes" | "inside" | "passesByDay" | "appliedScans"
> {
  @Property()
  performanceId!: ObjectId;

  @Field()
  @Property()
  barcode!: string;

  @Field(() => TicketState)
  @Enum(() => TicketState)
  state: TicketState = TicketState.valid;

  @Field({ nullable: true })
  @Property({ nullable: true })
  category?: string;

  @Field({ nullable: true })
  @Property({ nullable: true })
  holderName?: string;

  @Field({ nullable: true })
  @Property({ nullable: true })
  seat?: string;

  @Field(() => Float, { nullable: true })
  @Property({ nullable: true })
  price?: number;

  /** The source's other columns, as it gave them. */
  @Property()
  extra: Record<string, string> = {};

  /** Which source brought it (the first source to bring a barcode wins). */
  @Property({ nullable: true })
  sourceId?: ObjectId;

  @Field(() => Int)
  @Property()
  revision: number = 0;

  @Field(() => Int)
  @Property()
  passes: number = 0;

  @Field()
  @Property()
  inside: boolean = false;

  /** Entries per day (YYYY-MM-DD in the scanning device's time zone), for multi-pass limits. */
  @Property()
  passesByDay: Record<string, number> = {};

  @Field({ nullable: true })
  @Property({ nullable: true })
  firstEntryAt?: Date;

  @Field({ nullable: true })
  @Property({ nullable: true })
  lastScanAt?: Date;

  /**
   * The last scans applied to this ticket, with their verdict and counter moves. Written in the
   * same atomic update as the state it produced, so a replayed scan is recognised (and never
   * applied twice) even if the gateway died before recording it anywhere else.
   */
  @Property()
  appliedScans: AppliedScan[] = [];
}

export interface AppliedScan {
  id: string;
  accepted: boolean;
  reason: string;
  /** Counter moves: admitted, inside, refused, anomalies. */
  delta: [number, number, number, number];
}
