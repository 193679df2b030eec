import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Int, ObjectType } from "type-graphql";

/** How many logins an institution is billed for in one month. */
@ObjectType({ description: "How many logins an institution is billed for in one month." })
export class BillingSummaryLine {
  @Field()
  month!: string;

  /** Resolved to `institution` by the resolver, in one batch. */
  institutionId!: ObjectId;

  /** Name at the first import, shown if the institution is gone. */
  institutionName!: string;

  @Field(() => Int)
  loginCount!: number;
}
