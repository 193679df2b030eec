import { Entity, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/** A person's credentials. Never deleted, only disabled; the password hash never leaves the server. */
@ObjectType()
@Entity()
export class Login extends BaseEntity<"disabled" | "isRoot"> {
  /** Lower-cased; unique across the whole platform. */
  @Field()
  @Property({ unique: true })
  username!: string;

  @Field({ nullable: true })
  @Property({ nullable: true })
  displayName?: string;

  @Property({ hidden: true, lazy: false })
  passwordHash!: string;

  @Field()
  @Property()
  disabled: boolean = false;

  /** The platform operator's login: may do everything. */
  @Field()
  @Property()
  isRoot: boolean = false;

  /** The institution where the login was created; its branch is where the login may be added. */
  @Property()
  homeInstitutionId!: ObjectId;

  /** Master over this institution's branch (one branch only). */
  @Property({ nullable: true })
  masterOfId?: ObjectId;

  /** Where the back office reopens. */
  @Property({ nullable: true })
  lastInstitutionId?: ObjectId;
}
