import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/** A place (theatre, arena, pool) of an institution. */
@ObjectType()
@Entity()
@Index({ properties: ["institutionId", "name"] })
export class Venue extends BaseEntity<"archived"> {
  @Property()
  institutionId!: ObjectId;

  @Field()
  @Property()
  name!: string;

  @Field({ nullable: true })
  @Property({ nullable: true })
  address?: string;

  @Field({ nullable: true })
  @Property({ nullable: true })
  city?: string;

  @Field()
  @Property()
  archived: boolean = false;
}
