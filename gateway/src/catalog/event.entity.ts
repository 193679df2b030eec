import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/** A show, match, film or exhibition at a venue; it gathers performances. */
@ObjectType("Event")
@Entity({ collection: "event" })
@Index({ properties: ["institutionId", "name"] })
export class ShowEvent extends BaseEntity<"archived"> {
  @Property()
  institutionId!: ObjectId;

  @Property({ index: true })
  venueId!: ObjectId;

  @Field()
  @Property()
  name!: string;

  /** The name lower-cased without accents, for the dashboard's search. */
  @Property()
  searchName!: string;

  @Field()
  @Property()
  archived: boolean = false;
}
