import { IsIn, IsOptional, Length, Matches, MaxLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "One scan as the device made it." })
export class ScanUploadInput {
  @Field({ description: "Made on the device (8 to 64 characters): a retried upload never counts twice." })
  @Matches(/^[A-Za-z0-9_:.-]{8,64}$/, {
    message: "L'identifiant du scan doit contenir de 8 à 64 caractères simples.",
  })
  clientScanId!: string;

  @Field(() => ID)
  performanceId!: string;

  @Field()
  @Length(1, 128, { message: "Le numéro de billet doit contenir de 1 à 128 caractères." })
  barcode!: string;

  @Field({ description: '"in" or "out".' })
  @IsIn(["in", "out"], { message: "Le sens doit être « in » ou « out »." })
  direction!: "in" | "out";

  @Field({ description: "The device's clock at the scan." })
  scannedAt!: Date;

  @Field({ description: "The device's IANA time zone (what 'today' means for daily limits)." })
  @MaxLength(64, { message: "Fuseau horaire invalide." })
  timeZone!: string;

  @Field({
    nullable: true,
    description: "The verdict the device showed (offline decisions); absent for online checks.",
  })
  @IsOptional()
  deviceAccepted?: boolean;
}
