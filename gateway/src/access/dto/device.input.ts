import { Length, Matches } from "class-validator";
import { Field, ID, InputType } from "type-graphql";

@InputType()
export class RegisterDeviceInput {
  @Field({ description: "Made on the device at first launch (8 to 64 letters, digits, - or _), kept there." })
  @Matches(/^[A-Za-z0-9_-]{8,64}$/, {
    message: "L'identifiant du terminal doit contenir de 8 à 64 lettres, chiffres, - ou _.",
  })
  deviceKey!: string;

  @Field({ description: "What staff call it: « Porte A », « Tablette 3 »." })
  @Length(1, 80, { message: "Le nom du terminal doit contenir de 1 à 80 caractères." })
  name!: string;

  @Field(() => ID)
  institutionId!: string;
}
