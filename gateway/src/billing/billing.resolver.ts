import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Login } from "../auth/login.entity";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { BillingService } from "./billing.service";
import { BillingUsage } from "./billing-usage.entity";
import { BillingSummaryLine } from "./dto/billing-summary.output";

const MONTH_DESCRIPTION = "YYYY-MM, Paris time; every month when absent.";
const BRANCH_DESCRIPTION =
  "A main institution. Defaults to the master's own branch; for root, every branch when absent.";

@Resolver(() => BillingUsage)
export class BillingUsageResolver {
  @Query(() => [BillingUsage], {
    description: "Billed (institution, login) pairs: a master sees its branch, root everything.",
  })
  billingUsage(
    @Ctx() ctx: RequestContext,
    @Arg("month", () => String, { nullable: true, description: MONTH_DESCRIPTION }) month?: string | null,
    @Arg("branchId", () => ID, { nullable: true, description: BRANCH_DESCRIPTION }) branchId?: string | null,
  ): Promise<BillingUsage[]> {
    return new BillingService(ctx.em).usages(requireActor(ctx.actor), { month, branchId });
  }

  @Query(() => [BillingSummaryLine], {
    description: "Billed logins per institution and month, over the same scope as billingUsage.",
  })
  billingSummary(
    @Ctx() ctx: RequestContext,
    @Arg("month", () => String, { nullable: true, description: MONTH_DESCRIPTION }) month?: string | null,
    @Arg("branchId", () => ID, { nullable: true, description: BRANCH_DESCRIPTION }) branchId?: string | null,
  ): Promise<BillingSummaryLine[]> {
    return new BillingService(ctx.em).summary(requireActor(ctx.actor), { month, branchId });
  }

  @FieldResolver(() => Institution, { nullable: true })
  institution(@Root() usage: BillingUsage, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, usage.institutionId);
  }

  @FieldResolver(() => Login, { nullable: true })
  login(@Root() usage: BillingUsage, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Login, usage.loginId);
  }

  @FieldResolver(() => Institution, {
    nullable: true,
    description: "The main institution of the branch.",
  })
  branch(@Root() usage: BillingUsage, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, usage.branchId);
  }
}

@Resolver(() => BillingSummaryLine)
export class BillingSummaryLineResolver {
  @FieldResolver(() => Institution, { nullable: true })
  institution(@Root() line: BillingSummaryLine, @Ctx() ctx: RequestContext) {
    return ctx.loaders.load(Institution, line.institutionId);
  }

  @FieldResolver(() => String, {
    description: "The institution's current name (the name at billing time if it is gone).",
  })
  async institutionName(@Root() line: BillingSummaryLine, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.load(Institution, line.institutionId))?.name ?? line.institutionName;
  }
}
