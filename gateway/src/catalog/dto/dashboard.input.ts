import { IsInt, IsOptional, Max, MaxLength, Min } from "class-validator";
import { Field, ID, InputType, Int, registerEnumType } from "type-graphql";

export enum DashboardSortField {
  startsAt = "startsAt",
  endsAt = "endsAt",
  importEndsAt = "importEndsAt",
  createdAt = "createdAt",
}
registerEnumType(DashboardSortField, { name: "DashboardSortField" });

export enum SortDirection {
  asc = "asc",
  desc = "desc",
}
registerEnumType(SortDirection, { name: "SortDirection" });

@InputType()
export class DashboardFilter {
  @Field({ nullable: true, description: "Performances ending at or after this instant." })
  from?: Date;

  @Field({ nullable: true, description: "Performances starting before this instant." })
  to?: Date;

  @Field({ defaultValue: false, description: "true: the archived ones only." })
  archived!: boolean;

  @Field({ nullable: true })
  controlEnabled?: boolean;

  @Field(() => ID, { nullable: true })
  venueId?: string;

  @Field(() => ID, { nullable: true })
  eventId?: string;

  @Field({ nullable: true, description: "Part of the event's name (case- and accent-insensitive)." })
  @IsOptional()
  @MaxLength(100, { message: "La recherche est trop longue (100 caractères au plus)." })
  search?: string;
}

@InputType()
export class DashboardSort {
  @Field(() => DashboardSortField, { defaultValue: DashboardSortField.startsAt })
  field!: DashboardSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.asc })
  direction!: SortDirection;
}

@InputType()
export class PageInput {
  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(0, { message: "Le décalage de page ne peut pas être négatif." })
  offset!: number;

  @Field(() => Int, { defaultValue: 50 })
  @IsInt()
  @Min(1, { message: "Une page contient au moins 1 ligne." })
  @Max(200, { message: "Une page contient au plus 200 lignes." })
  limit!: number;
}
