import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { BaseEntity } from "../common/base.entity";

/** Every scan uploaded, accepted or not; `clientScanId` (made on the device) makes uploads idempotent. */
@Entity()
@Index({ properties: ["performanceId", "scannedAt"] })
@Index({ properties: ["recordedAt"] })
export class Scan extends BaseEntity<"conflict" | "recordedAt"> {
  @Property({ unique: true })
  clientScanId!: string;

  @Property()
  performanceId!: ObjectId;

  @Property({ nullable: true })
  ticketId?: ObjectId;

  @Property()
  barcode!: string;

  @Property({ nullable: true })
  deviceId?: string;

  @Property()
  loginId!: ObjectId;

  @Property()
  direction!: "in" | "out";

  /** The device's clock at the scan. */
  @Property()
  scannedAt!: Date;

  /** The device's time zone (its "today" for daily limits). */
  @Property({ nullable: true })
  timeZone?: string;

  /** What the device decided (offline); null for online checks. */
  @Property({ nullable: true })
  deviceAccepted?: boolean;

  /** When the server recorded it. */
  @Property()
  recordedAt: Date = new Date();

  @Property()
  accepted!: boolean;

  @Property()
  reason!: string;

  /** The server's verdict differed from the device's: shown as an anomaly. */
  @Property()
  conflict: boolean = false;

  /** How it moved the counters (admitted, inside, refused, anomalies): what a recount adds up. */
  @Property({ nullable: true })
  delta?: [number, number, number, number];
}
