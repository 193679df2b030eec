import { Entity, Property, Unique } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/** What a login may do in one institution. `admin` requires `backoffice`. */
@ObjectType()
@Entity()
@Unique({ properties: ["institutionId", "loginId"] })
export class Membership extends BaseEntity<"admin" | "backoffice" | "scanner"> {
  @Property()
  institutionId!: ObjectId;

  @Property({ index: true })
  loginId!: ObjectId;

  @Field()
  @Property()
  admin: boolean = false;

  @Field()
  @Property()
  backoffice: boolean = false;

  @Field()
  @Property()
  scanner: boolean = false;
}
