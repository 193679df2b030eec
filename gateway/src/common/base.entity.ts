import { OptionalProps, PrimaryKey, Property, SerializedPrimaryKey } from "@mikro-orm/core";
import { ObjectId } from "@mikro-orm/mongodb";
import { Field, ID, ObjectType } from "type-graphql";

/** Properties with defaults, optional in `em.create`; subclasses name theirs in `Optional`. */
type BaseOptional = "_id" | "id" | "createdAt" | "updatedAt";

// Optional properties are listed in [OptionalProps] rather than typed `& Opt`: an intersection
// type hides the property's type from the decorators' reflection (MikroORM and type-graphql).
@ObjectType()
export abstract class BaseEntity<Optional extends string = never> {
  [OptionalProps]?: BaseOptional | Optional;

  // Assigned at creation, not at flush, so related documents can point to it before the flush.
  @PrimaryKey()
  _id: ObjectId = new ObjectId();

  @Field(() => ID)
  @SerializedPrimaryKey()
  id!: string;

  @Field()
  @Property()
  createdAt: Date = new Date();

  @Field()
  @Property({ onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
