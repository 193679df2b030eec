import { Entity, Index, Property, Unique } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/**
 * One billed (institution, login) pair for one month: written the first time that login imports
 * ticket numbers onto a scanner for that institution in that month (user guide, "facturation").
 * Never updated afterwards, except `firstImportAt` which only moves earlier.
 */
@ObjectType({ description: "An (institution, login) pair billed for one month." })
@Entity()
// Month first: the same index serves root's "every usage of a month" query.
@Unique({ properties: ["month", "institutionId", "loginId"] })
// A master's query: its branch, one month or all.
@Index({ properties: ["branchId", "month"] })
export class BillingUsage extends BaseEntity {
  @Property()
  institutionId!: ObjectId;

  @Property()
  loginId!: ObjectId;

  /** "YYYY-MM" in Europe/Paris time (see billing-month.ts). */
  @Field({ description: "The billing month, YYYY-MM in Paris time." })
  @Property()
  month!: string;

  @Field({ description: "The first import of ticket numbers onto a scanner that month." })
  @Property()
  firstImportAt!: Date;

  /** The main institution of the institution's branch, copied so a branch is one indexed query. */
  @Property()
  branchId!: ObjectId;

  /** Names at the first import: a record of what was billed, and a fallback if renamed or gone. */
  @Property()
  institutionName!: string;

  @Property()
  username!: string;
}
