import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { Login } from "./login.entity";

@Resolver(() => Login)
export class LoginFieldsResolver {
  @FieldResolver(() => Institution, { nullable: true, description: "The branch this login is master of." })
  masterOf(@Root() login: Login, @Ctx() ctx: RequestContext) {
    return login.masterOfId ? ctx.loaders.load(Institution, login.masterOfId) : null;
  }

  @FieldResolver(() => Institution, { nullable: true, description: "Where the login was created." })
  homeInstitution(@Root() login: Login, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, login.homeInstitutionId);
  }
}
