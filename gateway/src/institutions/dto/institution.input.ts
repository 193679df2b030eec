import { IsOptional, Length, MaxLength, ValidateNested } from "class-validator";
import { Field, ID, InputType } from "type-graphql";

@InputType()
export class NewLoginInput {
  @Field({ description: "2 to 64 characters: letters, digits, . _ - @ (case-insensitive)." })
  @Length(2, 64, { message: "Le login doit contenir de 2 à 64 caractères." })
  username!: string;

  @Field({ description: "At least 8 characters. Never shown again." })
  password!: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(120, { message: "Le nom affiché est trop long (120 caractères au plus)." })
  displayName?: string;
}

@InputType()
export class CreateInstitutionInput {
  @Field(() => ID, {
    description: "The institution that will own the new one (root for a customer's main institution).",
  })
  parentId!: string;

  @Field()
  @Length(1, 120, { message: "Le nom de l'institution doit contenir de 1 à 120 caractères." })
  name!: string;

  @Field(() => NewLoginInput, {
    nullable: true,
    description: "Required for a main institution (child of root): its first login, who becomes its master.",
  })
  @IsOptional()
  @ValidateNested()
  master?: NewLoginInput;
}

@InputType()
export class MembershipFlagsInput {
  @Field({ defaultValue: false })
  admin!: boolean;

  @Field({ defaultValue: false })
  backoffice!: boolean;

  @Field({ defaultValue: false })
  scanner!: boolean;
}

@InputType()
export class CreateLoginInput extends NewLoginInput {
  @Field(() => ID)
  institutionId!: string;

  @Field(() => MembershipFlagsInput)
  @ValidateNested()
  flags!: MembershipFlagsInput;
}
