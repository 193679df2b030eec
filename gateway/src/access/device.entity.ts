import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Float, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/**
 * A scanning device (phone, tablet, PC). Its key is made on the device at first launch and kept
 * there; staff share devices, so the login and institution are those of the last registration.
 */
@ObjectType()
@Entity()
@Index({ properties: ["institutionId", "lastSeenAt"] })
export class Device extends BaseEntity<"lastSkewMs"> {
  @Field()
  @Property({ unique: true })
  deviceKey!: string;

  @Field()
  @Property()
  name!: string;

  @Property()
  loginId!: ObjectId;

  @Property()
  institutionId!: ObjectId;

  @Field()
  @Property()
  lastSeenAt!: Date;

  /** Device clock minus server clock at the last sync, in ms. */
  @Field(() => Float)
  @Property()
  lastSkewMs: number = 0;
}
