import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { BaseEntity } from "../common/base.entity";

/**
 * An open session. Only the SHA-256 of its token is stored. Ending a session deletes it: the
 * delete travels through the change stream to every gateway, which closes its WebSockets.
 */
@Entity()
export class Session extends BaseEntity<"lastSeenAt"> {
  @Property({ unique: true })
  tokenHash!: string;

  @Property({ index: true })
  loginId!: ObjectId;

  @Property({ nullable: true })
  ip?: string;

  @Property({ nullable: true })
  userAgent?: string;

  @Property()
  lastSeenAt: Date = new Date();

  /** Removed by the database's TTL monitor once past. */
  @Index({ options: { expireAfterSeconds: 0 } })
  @Property()
  expiresAt!: Date;
}
