import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { BaseEntity } from "../common/base.entity";

/** Every scan uploaded, accepted or not; `clientScanId` (made on the device) makes uploads idempotent. */
@Entity()
@Index({ properties: ["performanceId", "scannedAt"] })
export class Scan extends BaseEntity<"conflict"> {
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

  @Property()
  accepted!: boolean;

  @Property()
  reason!: string;

  /** The server's verdict differed from the device's: shown as an anomaly. */
  @Property()
  conflict: boolean = false;
}
