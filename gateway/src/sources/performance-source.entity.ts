import type { ConfigValues } from "@billetix/connector-sdk";
import { Embeddable, Embedded, Entity, Index, Property, Unique } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, Float, Int, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/** How the last import of a performance source went, and the one running now. */
@ObjectType({ description: "L'état des imports d'une source sur une représentation." })
@Embeddable()
export class SyncStatus {
  @Field({ nullable: true, description: "Fin du dernier import réussi." })
  @Property({ nullable: true })
  lastSyncAt?: Date;

  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  lastDurationMs?: number;

  @Field(() => Int, { nullable: true, description: "Billets lus au dernier import." })
  @Property({ nullable: true })
  lastRecords?: number;

  @Field(() => Int, { nullable: true, description: "Billets créés ou modifiés au dernier import." })
  @Property({ nullable: true })
  lastChanged?: number;

  @Field({ nullable: true, description: "La dernière erreur, en clair ; vide après un import réussi." })
  @Property({ nullable: true })
  lastError?: string;

  @Field({ nullable: true })
  @Property({ nullable: true })
  lastErrorAt?: Date;

  /** Failed attempts in a row (the next one waits longer). */
  @Property()
  failures: number = 0;

  @Field({ nullable: true, description: "Début de l'import en cours, s'il y en a un." })
  @Property({ nullable: true })
  runningSince?: Date;

  @Field(() => Int, { nullable: true, description: "Billets lus par l'import en cours." })
  @Property({ nullable: true })
  runningRecords?: number;

  @Field(() => Float, { nullable: true, description: "Part lue d'un fichier en cours d'import (0 à 1)." })
  @Property({ nullable: true })
  runningProgress?: number;
}

/**
 * A source feeding a performance, with the partner's parameters (its event/date id) and the
 * sync's state: where the partner's incremental feed stands, when to sync next, who syncs now.
 */
@ObjectType({ description: "Une source associée à une représentation." })
@Entity({ collection: "performance_source" })
@Unique({ properties: ["performanceId", "sourceId"] })
@Index({ properties: ["nextSyncAt"] })
@Index({ properties: ["sourceId"] })
export class PerformanceSource extends BaseEntity<"params" | "status" | "online"> {
  @Property()
  performanceId!: ObjectId;

  @Property()
  sourceId!: ObjectId;

  @Property()
  institutionId!: ObjectId;

  @Property()
  params: ConfigValues = {};

  /** An online source: synced on a schedule (a file source waits for files). */
  @Property()
  online: boolean = false;

  /** The partner's date this performance was created from ("Ajouter des représentations automatiquement"). */
  @Property({ nullable: true })
  catalogDateId?: string;

  @Field(() => SyncStatus)
  @Embedded(() => SyncStatus, { object: true })
  status: SyncStatus = new SyncStatus();

  /** The partner's cursor after the last complete sync (`since` of the next one). */
  @Property({ nullable: true })
  cursor?: string;

  @Field({
    nullable: true,
    description: "Prochaine synchronisation automatique ; vide quand il n'y en a plus.",
  })
  @Property({ nullable: true })
  nextSyncAt?: Date;

  /** Held by the gateway that runs this source's import, until `until` (renewed while it runs). */
  @Property({ nullable: true })
  lease?: { by: string; until: Date };
}
