import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Login } from "../auth/login.entity";
import type { RequestContext } from "../common/context";
import { CreateLoginInput, MembershipFlagsInput } from "./dto/institution.input";
import { Institution } from "./institution.entity";
import { Membership } from "./membership.entity";
import { UserService } from "./user.service";

@Resolver(() => Membership)
export class UserResolver {
  @Query(() => [Membership], { description: "The users of an institution, with their rights." })
  institutionMembers(@Arg("institutionId", () => ID) institutionId: string, @Ctx() ctx: RequestContext) {
    return new UserService(ctx).members(institutionId);
  }

  @Query(() => [Login], { description: "Logins of the branch that can be added to this institution." })
  addableLogins(@Arg("institutionId", () => ID) institutionId: string, @Ctx() ctx: RequestContext) {
    return new UserService(ctx).addableLogins(institutionId);
  }

  @Mutation(() => Membership, { description: "Creates a login in an institution, with its rights there." })
  createLogin(@Arg("input") input: CreateLoginInput, @Ctx() ctx: RequestContext) {
    return new UserService(ctx).createLogin(input);
  }

  @Mutation(() => Membership)
  addMember(
    @Arg("institutionId", () => ID) institutionId: string,
    @Arg("loginId", () => ID) loginId: string,
    @Arg("flags") flags: MembershipFlagsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new UserService(ctx).addMember(institutionId, loginId, flags);
  }

  @Mutation(() => Membership)
  updateMembership(
    @Arg("institutionId", () => ID) institutionId: string,
    @Arg("loginId", () => ID) loginId: string,
    @Arg("flags") flags: MembershipFlagsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return new UserService(ctx).updateMembership(institutionId, loginId, flags);
  }

  @Mutation(() => Boolean, { description: "Takes a login out of an institution; the login itself is kept." })
  removeMember(
    @Arg("institutionId", () => ID) institutionId: string,
    @Arg("loginId", () => ID) loginId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return new UserService(ctx).removeMember(institutionId, loginId);
  }

  @Mutation(() => Login, {
    description: "Replaces a lost password (passwords are never shown); ends the login's sessions.",
  })
  setLoginPassword(
    @Arg("loginId", () => ID) loginId: string,
    @Arg("password") password: string,
    @Ctx() ctx: RequestContext,
  ) {
    return new UserService(ctx).setPassword(loginId, password);
  }

  @Mutation(() => Login, { description: "Logins are never deleted; a disabled one cannot log in." })
  setLoginDisabled(
    @Arg("loginId", () => ID) loginId: string,
    @Arg("disabled") disabled: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return new UserService(ctx).setDisabled(loginId, disabled);
  }

  @Mutation(() => Login, { description: "Root only: makes a login master of a branch." })
  grantMaster(
    @Arg("loginId", () => ID) loginId: string,
    @Arg("institutionId", () => ID) institutionId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return new UserService(ctx).grantMaster(loginId, institutionId);
  }

  @Mutation(() => Login, { description: "Root only." })
  revokeMaster(@Arg("loginId", () => ID) loginId: string, @Ctx() ctx: RequestContext) {
    return new UserService(ctx).revokeMaster(loginId);
  }

  @FieldResolver(() => Login)
  login(@Root() membership: Membership, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Login, membership.loginId);
  }

  @FieldResolver(() => Institution)
  institution(@Root() membership: Membership, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, membership.institutionId);
  }

  @FieldResolver(() => Boolean, {
    description: "The login is master of a branch containing this institution.",
  })
  async isMaster(@Root() membership: Membership, @Ctx() ctx: RequestContext) {
    const login = await ctx.loaders.load(Login, membership.loginId);
    const institution = await ctx.loaders.load(Institution, membership.institutionId);
    return Boolean(login?.masterOfId && institution?.isWithin(login.masterOfId));
  }
}
