import { Field, ID, InputType } from "type-graphql";

/** Checked in the service (`checkScanUploads`), as the JSON route's scans are. */
@InputType({ description: "One scan as the device made it." })
export class ScanUploadInput {
  @Field({ description: "Made on the device (8 to 64 characters): a retried upload never counts twice." })
  clientScanId!: string;

  @Field(() => ID)
  performanceId!: string;

  @Field({ description: "1 to 128 characters." })
  barcode!: string;

  @Field({ description: '"in" or "out".' })
  direction!: string;

  @Field({ description: "The device's clock at the scan." })
  scannedAt!: Date;

  @Field({ description: "The device's IANA time zone (what 'today' means for daily limits)." })
  timeZone!: string;

  @Field({
    nullable: true,
    description: "The verdict the device showed (offline decisions); absent for online checks.",
  })
  deviceAccepted?: boolean;
}
