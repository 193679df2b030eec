import type { CookieOptions } from "express";
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { Membership } from "../institutions/membership.entity";
import { requireActor } from "../institutions/permissions";
import { AuthService, SESSION_IDLE_LIFETIME_MS } from "./auth.service";
import { ChangeMyPasswordInput } from "./dto/login.input";
import { Login } from "./login.entity";
import { MeService } from "./me.service";
import { SESSION_COOKIE } from "./session-tokens";

@ObjectType()
class LoginResult {
  @Field({
    description: "Session token, for clients that send `Authorization: Bearer`. Web apps use the cookie.",
  })
  token!: string;

  @Field(() => Login)
  login!: Login;
}

@ObjectType()
class Me {
  @Field(() => Login)
  login!: Login;

  @Field(() => [Membership])
  memberships!: Membership[];

  @Field(() => Institution, { nullable: true, description: "Where the back office reopens." })
  lastInstitution?: Institution;

  @Field(() => Institution, { nullable: true, description: "The branch this login is master of." })
  masterOf?: Institution;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginResult, { description: "Opens a session and ends every other session of this login." })
  async login(
    @Arg("username") username: string,
    @Arg("password") password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<LoginResult> {
    const result = await new AuthService(ctx.em, ctx.app.clock, ctx.app.throttle).login(username, password, {
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    ctx.res?.cookie(SESSION_COOKIE, result.token, sessionCookieOptions(ctx));
    return { token: result.token, login: result.login };
  }

  @Mutation(() => Boolean)
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    if (ctx.session) await new AuthService(ctx.em, ctx.app.clock, ctx.app.throttle).logout(ctx.session);
    ctx.res?.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(ctx), maxAge: undefined });
    return true;
  }

  @Query(() => Me, { nullable: true, description: "The logged-in login, or null." })
  async me(@Ctx() ctx: RequestContext): Promise<Me | null> {
    if (!ctx.actor) return null;
    return new MeService(ctx).describe(ctx.actor);
  }

  @Mutation(() => Institution, {
    description: "Remembers the institution worked in; the back office reopens there.",
  })
  async switchInstitution(@Arg("institutionId", () => ID) institutionId: string, @Ctx() ctx: RequestContext) {
    return new MeService(ctx).switchInstitution(requireActor(ctx.actor), institutionId);
  }

  @Mutation(() => Boolean, { description: "Changes one's own password; other sessions of the login end." })
  async changeMyPassword(
    @Arg("input") input: ChangeMyPasswordInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    await new MeService(ctx).changeMyPassword(
      requireActor(ctx.actor),
      input.currentPassword,
      input.newPassword,
    );
    return true;
  }
}

function sessionCookieOptions(ctx: RequestContext): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.app.config.secureCookies,
    path: "/",
    maxAge: SESSION_IDLE_LIFETIME_MS,
  };
}
