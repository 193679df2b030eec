import { IsInt, IsOptional, Length, Max, MaxLength, Min } from "class-validator";
import { Field, ID, InputType, Int } from "type-graphql";
import { ControlMode } from "../performance.entity";

@InputType()
export class VenueInput {
  @Field()
  @Length(1, 200, { message: "Le nom du lieu doit contenir de 1 à 200 caractères." })
  name!: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(300, { message: "L'adresse est trop longue (300 caractères au plus)." })
  address?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(120, { message: "La ville est trop longue (120 caractères au plus)." })
  city?: string;
}

@InputType()
export class EventInput {
  @Field(() => ID)
  venueId!: string;

  @Field()
  @Length(1, 200, { message: "Le nom de l'événement doit contenir de 1 à 200 caractères." })
  name!: string;
}

/** The fields of a performance the back office edits (the whole form is sent). */
@InputType()
export class PerformanceFieldsInput {
  @Field({ description: "false: undated (a label and a validity period, e.g. an exhibition)." })
  dated!: boolean;

  @Field({ description: "Dated: start; undated: start of the validity period." })
  startsAt!: Date;

  @Field({ description: "Dated: end; undated: end of the validity period." })
  endsAt!: Date;

  @Field({ nullable: true, description: "Undated: the label shown on the scanner (required)." })
  @IsOptional()
  @MaxLength(120, { message: "Le libellé est trop long (120 caractères au plus)." })
  label?: string;

  @Field({ nullable: true, description: "End of automatic ticket updates; defaults to the end." })
  importEndsAt?: Date;

  @Field({ defaultValue: false })
  controlEnabled!: boolean;

  @Field(() => ControlMode, { defaultValue: ControlMode.single })
  controlMode!: ControlMode;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt({ message: "Le nombre de passages doit être un entier." })
  @Min(1, { message: "Le nombre total de passages doit être d'au moins 1." })
  @Max(10_000, { message: "Le nombre total de passages est limité à 10 000." })
  maxPasses?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt({ message: "Le nombre de passages par jour doit être un entier." })
  @Min(1, { message: "Le nombre de passages par jour doit être d'au moins 1." })
  maxPassesPerDay?: number;
}

@InputType()
export class CreatePerformanceInput extends PerformanceFieldsInput {
  @Field(() => ID)
  eventId!: string;
}
