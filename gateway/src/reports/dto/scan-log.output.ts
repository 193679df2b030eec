import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ScanOutcome } from "../report-query";

export { ScanOutcome };

registerEnumType(ScanOutcome, {
  name: "ScanOutcome",
  description: "accepted / refused: the server's verdict; conflict: the device had decided otherwise.",
});

@ObjectType({ description: "One scan of a performance, accepted or refused." })
export class ScanLogEntry {
  @Field(() => ID) id!: string;
  @Field() barcode!: string;
  @Field() accepted!: boolean;
  @Field({ description: "A reason code of @billetix/access-rules (ACCEPTED, ALREADY_USED, …)." })
  reason!: string;
  @Field({ description: "The verdict in French." }) message!: string;
  @Field({ description: "The device decided otherwise (an anomaly)." }) conflict!: boolean;
  @Field({ description: '"in" or "out".' }) direction!: string;
  @Field(() => String, {
    nullable: true,
    description: "The device's key (Device.deviceKey); none for an online check without a device.",
  })
  deviceId?: string | null;
  @Field(() => String, { nullable: true, description: "The device's name, when it is known." })
  deviceName?: string | null;
  @Field({ description: "The device's clock at the scan." }) scannedAt!: Date;
  @Field({ description: "When the server recorded it." }) recordedAt!: Date;
}

@ObjectType({ description: "A page of a performance's scan log, newest first." })
export class ScanLogPage {
  @Field(() => Int, { description: "Scans matching the filters, over every page." }) totalCount!: number;
  @Field(() => [ScanLogEntry]) rows!: ScanLogEntry[];
}
