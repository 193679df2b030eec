import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Login } from "../auth/login.entity";
import type { RequestContext } from "../common/context";
import { Institution } from "../institutions/institution.entity";
import { requireActor } from "../institutions/permissions";
import { BillingService } from "./billing.service";
import { BillingUsage } from "./billing-usage.entity";
import { BillingSummaryLine } from "./dto/billing-summary.output";

const MONTH_DESCRIPTION = "Mois AAAA-MM (heure de Paris) ; tous les mois si absent.";
const BRANCH_DESCRIPTION =
  "Institution principale dont on veut la facturation ; pour un master, sa branche par défaut ; pour root, toutes si absent.";

@Resolver(() => BillingUsage)
export class BillingUsageResolver {
  @Query(() => [BillingUsage], {
    description: "Couples (institution, login) facturés. Masters : leur branche ; root : tout.",
  })
  billingUsage(
    @Ctx() ctx: RequestContext,
    @Arg("month", () => String, { nullable: true, description: MONTH_DESCRIPTION }) month?: string | null,
    @Arg("branchId", () => ID, { nullable: true, description: BRANCH_DESCRIPTION }) branchId?: string | null,
  ): Promise<BillingUsage[]> {
    return new BillingService(ctx.em).usages(requireActor(ctx.actor), { month, branchId });
  }

  @Query(() => [BillingSummaryLine], {
    description:
      "Nombre de logins facturés par institution et par mois, sur le même périmètre que billingUsage.",
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
    description: "L'institution principale de la branche.",
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
    description: "Nom actuel de l'institution (ou celui de la facturation si elle a disparu).",
  })
  async institutionName(@Root() line: BillingSummaryLine, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.load(Institution, line.institutionId))?.name ?? line.institutionName;
  }
}
