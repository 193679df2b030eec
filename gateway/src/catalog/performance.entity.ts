import { Embeddable, Embedded, Entity, Enum, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

export enum ControlMode {
  single = "single",
  inOut = "inOut",
  multi = "multi",
}
registerEnumType(ControlMode, {
  name: "ControlMode",
  description: "single: one pass, one way; inOut: in and out, never on both sides; multi: N passes, M a day.",
});

/** Live counters of a performance, moved with $inc by the scan path. */
@ObjectType()
@Embeddable()
export class PerformanceCounters {
  @Field(() => Int) @Property() ticketCount: number = 0;
  @Field(() => Int) @Property() validCount: number = 0;
  @Field(() => Int) @Property() admittedCount: number = 0;
  @Field(() => Int) @Property() insideCount: number = 0;
  @Field(() => Int) @Property() refusedCount: number = 0;
  @Field(() => Int) @Property() anomalyCount: number = 0;
}

/** Performances are deleted, with their tickets and scans, two calendar years after their end. */
export function purgeDateFor(end: Date): Date {
  const purge = new Date(end);
  purge.setUTCFullYear(purge.getUTCFullYear() + 2);
  return purge;
}

/**
 * One occurrence of an event, holding the ticket numbers to control. Dated: a start and an end.
 * Undated (an exhibition): a label shown on the scanner and a validity period.
 */
@ObjectType()
@Entity()
@Index({ properties: ["institutionId", "startsAt"] })
@Index({ properties: ["eventId", "startsAt"] })
export class Performance extends BaseEntity<
  "dated" | "controlEnabled" | "controlMode" | "excludedCategories" | "archived" | "revision" | "counters"
> {
  @Property()
  institutionId!: ObjectId;

  @Property()
  venueId!: ObjectId;

  @Property()
  eventId!: ObjectId;

  @Field()
  @Property()
  dated: boolean = true;

  @Field({ nullable: true, description: "Dated: when it starts; undated: the start of its validity period." })
  @Property({ nullable: true })
  startsAt?: Date;

  @Field({ nullable: true, description: "Dated: when it ends; undated: the end of its validity period." })
  @Property({ nullable: true })
  endsAt?: Date;

  @Field({ nullable: true, description: "Undated: the label the scanner shows." })
  @Property({ nullable: true })
  label?: string;

  @Field({ nullable: true, description: "When automatic updates of its tickets stop." })
  @Property({ nullable: true })
  importEndsAt?: Date;

  @Field({ description: "Submitted to access control (the PDA checkbox): scanners may import it." })
  @Property()
  controlEnabled: boolean = false;

  @Field(() => ControlMode)
  @Enum(() => ControlMode)
  controlMode: ControlMode = ControlMode.single;

  @Field(() => Int, { nullable: true, description: "multi: passes in total per ticket." })
  @Property({ nullable: true })
  maxPasses?: number;

  @Field(() => Int, {
    nullable: true,
    description: "multi: passes a day per ticket (none = no daily limit).",
  })
  @Property({ nullable: true })
  maxPassesPerDay?: number;

  @Field(() => [String], { description: 'Categories refused at the door ("billet filtré").' })
  @Property()
  excludedCategories: string[] = [];

  @Field()
  @Property()
  archived: boolean = false;

  /**
   * The revision at which tickets were last removed (a source detached). A scanner's delta from
   * before it comes back as a full list (`since: 0` in its header): replace the local copy.
   */
  @Property({ nullable: true })
  ticketsRemovedAtRevision?: number;

  /** Bumped on every ticket change; tickets carry the revision of their last change. */
  @Field(() => Int)
  @Property()
  revision: number = 0;

  @Field(() => PerformanceCounters)
  @Embedded(() => PerformanceCounters, { object: true })
  counters: PerformanceCounters = new PerformanceCounters();

  @Index()
  @Property()
  purgeAfter!: Date;
}
