import { Field, InputType } from "type-graphql";

@InputType()
export class ChangeMyPasswordInput {
  @Field()
  currentPassword!: string;

  @Field()
  newPassword!: string;
}
