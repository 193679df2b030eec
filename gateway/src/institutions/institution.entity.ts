import { Entity, Index, Property } from "@mikro-orm/core";
import type { ObjectId } from "@mikro-orm/mongodb";
import { Field, ObjectType } from "type-graphql";
import { BaseEntity } from "../common/base.entity";

/**
 * A node of the tree root → main institution → sub-institutions. `ancestors` lists every
 * ancestor from the root down, so a whole branch is one indexed query:
 * `{ $or: [{ _id: X }, { ancestors: X }] }`.
 */
@ObjectType()
@Entity()
export class Institution extends BaseEntity<"ancestors" | "depth" | "isRoot" | "branchId"> {
  @Field()
  @Property()
  name!: string;

  @Property({ nullable: true })
  parentId?: ObjectId;

  @Index()
  @Property()
  ancestors: ObjectId[] = [];

  /** 0 for root, 1 for a customer's main institution, 2+ below. */
  @Field()
  @Property()
  depth: number = 0;

  get isRoot(): boolean {
    return this.depth === 0;
  }

  /** The main institution of the branch this one belongs to (itself when it is one). */
  get branchId(): ObjectId {
    return this.depth <= 1 ? this._id : this.ancestors[1];
  }

  /** True when `id` is this institution or one of its ancestors. */
  isWithin(id: ObjectId): boolean {
    return this._id.equals(id) || this.ancestors.some((a) => a.equals(id));
  }
}
