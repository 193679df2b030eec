import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { RequestContext } from "../common/context";
import { CreateInstitutionInput } from "./dto/institution.input";
import { Institution } from "./institution.entity";
import { InstitutionService } from "./institution.service";
import { requireActor } from "./permissions";

@ObjectType({
  description: "What the logged-in login may do in an institution (drives which screens are shown).",
})
class Rights {
  @Field() master!: boolean;
  @Field() admin!: boolean;
  @Field() backoffice!: boolean;
  @Field() scanner!: boolean;
}

@Resolver(() => Institution)
export class InstitutionResolver {
  @Query(() => [Institution], {
    description: "Every institution the login can see, root first, then by depth and name.",
  })
  institutions(@Ctx() ctx: RequestContext) {
    return new InstitutionService(ctx).listVisible();
  }

  @Query(() => Institution)
  institution(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return new InstitutionService(ctx).getVisible(id);
  }

  @Mutation(() => Institution)
  createInstitution(@Arg("input") input: CreateInstitutionInput, @Ctx() ctx: RequestContext) {
    return new InstitutionService(ctx).create(input);
  }

  @Mutation(() => Institution)
  renameInstitution(@Arg("id", () => ID) id: string, @Arg("name") name: string, @Ctx() ctx: RequestContext) {
    return new InstitutionService(ctx).rename(id, name);
  }

  @FieldResolver(() => ID, { nullable: true })
  parentId(@Root() institution: Institution): string | undefined {
    return institution.parentId?.toHexString();
  }

  @FieldResolver(() => Institution, { nullable: true })
  async parent(@Root() institution: Institution, @Ctx() ctx: RequestContext) {
    if (!institution.parentId) return null;
    const parent = await ctx.loaders.load(Institution, institution.parentId);
    // Only what the login may see: a customer sees its branch, not root.
    return parent && (await requireActor(ctx.actor).can("institution.view", parent)) ? parent : null;
  }

  @FieldResolver(() => Rights)
  async myRights(@Root() institution: Institution, @Ctx() ctx: RequestContext): Promise<Rights> {
    const roles = await requireActor(ctx.actor).rolesIn(institution);
    return {
      master: roles.has("master"),
      admin: roles.has("master") || roles.has("admin"),
      backoffice: roles.has("master") || roles.has("backoffice"),
      scanner: roles.has("master") || roles.has("scanner"),
    };
  }
}
