import type { ConfigValues } from "@billetix/connector-sdk";
import { Entity, Index, Property, Unique } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Int, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/**
 * Where an institution's ticket numbers come from: a connector type and its configuration
 * (credentials included: never returned nor logged, see `SourceService.publicConfig`).
 */
@ObjectType({
  description: "Une source de billets d'une institution (fichier ou service web d'un partenaire).",
})
@Entity()
@Index({ properties: ["institutionId"] })
// File sources: one per type per institution (the guide); web-service sources leave it unset.
@Unique({ properties: ["fileSlot"], options: { sparse: true } })
export class Source extends BaseEntity<"configProblems"> {
  @Property()
  institutionId!: ObjectId;

  /** The connector's id (`file`, `ticketnet`…). */
  @Field({ description: "Le type de source : l'identifiant de son connecteur." })
  @Property()
  connectorId!: string;

  @Field()
  @Property()
  name!: string;

  @Property()
  config: ConfigValues = {};

  /** Online sources: minutes between syncs far from the performance ("temps long"). */
  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  syncSlowEveryMinutes?: number;

  /** Online sources: minutes between syncs close to and during the performance ("temps court"). */
  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  syncFastEveryMinutes?: number;

  /** Online sources: how long before the performance the fast interval starts. */
  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  fastWindowHours?: number;

  /** What the connector's `checkConfig` said at the last save, in French (empty: usable). */
  @Field(() => [String])
  @Property()
  configProblems: string[] = [];

  @Property({ nullable: true })
  fileSlot?: string;
}
