import { type EntityManager, type FilterQuery, ObjectId } from "@mikro-orm/mongodb";
import { Login } from "../auth/login.entity";
import { badInput, forbidden, notFound } from "../common/domain-error";
import { Loaders } from "../common/loaders";
import { parseId } from "../common/object-id";
import { Institution } from "../institutions/institution.entity";
import type { Actor } from "../institutions/permissions";
import { billingMonthOf, parseBillingMonth } from "./billing-month";
import { BillingUsage } from "./billing-usage.entity";
import { BillingSummaryLine } from "./dto/billing-summary.output";

/** What a billing query asks for; both optional, checked here. */
export interface BillingFilter {
  month?: string | null;
  branchId?: string | null;
}

/** One line of an export, with the current names. */
export interface BillingExportRow {
  month: string;
  institutionName: string;
  username: string;
  firstImportAt: Date;
}

export interface RecordImportResult {
  /** True only for the call that created the month's record. */
  created: boolean;
  month: string;
}

const DUPLICATE_KEY = 11000;

/**
 * Billing usage: recorded by the device-import path, read by masters (their branch) and root.
 * Built from an EntityManager alone, so internal callers need no request context.
 */
export class BillingService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Records that `loginId` imported ticket numbers onto a scanner for `institutionId` at `at`.
   * Idempotent and safe under concurrency: one upsert keyed by the unique index, so only the first
   * call of the month creates the record. No permission check: the caller already checked `scan`.
   *
   * @example await new BillingService(ctx.em).recordImport(institution._id, actor.login._id, clock.now())
   */
  async recordImport(
    institutionId: string | ObjectId,
    loginId: string | ObjectId,
    at: Date,
  ): Promise<RecordImportResult> {
    const institutionKey = toId(institutionId, "institutionId");
    const loginKey = toId(loginId, "loginId");
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      throw badInput("at", "La date d'importation est invalide.");
    }
    const month = billingMonthOf(at);
    const key = { month, institutionId: institutionKey, loginId: loginKey };
    const collection = this.em.getCollection<BillingUsage>(BillingUsage);

    // Already billed this month (the common case on later imports): no need to look anything up.
    const existing = await collection.findOne(key, { projection: { firstImportAt: 1 } });
    if (existing) {
      if (at < existing.firstImportAt) await collection.updateOne(key, { $min: { firstImportAt: at } });
      return { created: false, month };
    }

    const [institution, login] = await Promise.all([
      this.em.findOne(Institution, { _id: institutionKey }),
      this.em.findOne(Login, { _id: loginKey }),
    ]);
    if (!institution) throw notFound("Institution");
    if (!login) throw notFound("Login");

    const now = new Date();
    try {
      const result = await collection.updateOne(
        key,
        {
          // $min keeps the earliest import whatever order concurrent calls land in.
          $min: { firstImportAt: at },
          $setOnInsert: {
            _id: new ObjectId(),
            branchId: institution.branchId,
            institutionName: institution.name,
            username: login.username,
            createdAt: now,
            updatedAt: now,
          },
        },
        { upsert: true },
      );
      return { created: result.upsertedCount === 1, month };
    } catch (error) {
      // Two upserts racing on a real replica set: the loser hits the unique index. Already billed.
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return { created: false, month };
      throw error;
    }
  }

  /** The usages the actor may see, newest month first, then by institution and login. */
  async usages(actor: Actor, filter: BillingFilter): Promise<BillingUsage[]> {
    const where = await this.scope(actor, filter);
    return this.em.find(BillingUsage, where, {
      orderBy: { month: "desc", institutionName: "asc", username: "asc" },
    });
  }

  /** Billed logins per institution and month, over the same scope as `usages`. */
  async summary(actor: Actor, filter: BillingFilter): Promise<BillingSummaryLine[]> {
    const where = await this.scope(actor, filter);
    const groups: {
      _id: { month: string; institutionId: ObjectId };
      institutionName: string;
      loginCount: number;
    }[] = await this.em.aggregate(BillingUsage, [
      { $match: where },
      {
        $group: {
          _id: { month: "$month", institutionId: "$institutionId" },
          institutionName: { $first: "$institutionName" },
          loginCount: { $sum: 1 },
        },
      },
      { $sort: { "_id.month": -1, institutionName: 1 } },
    ]);
    return groups.map((g) =>
      Object.assign(new BillingSummaryLine(), {
        month: g._id.month,
        institutionId: g._id.institutionId,
        institutionName: g.institutionName,
        loginCount: g.loginCount,
      }),
    );
  }

  /** The rows of a billing export, with the names as they are today (batched lookups). */
  async exportRows(actor: Actor, filter: BillingFilter): Promise<BillingExportRow[]> {
    const usages = await this.usages(actor, filter);
    const loaders = new Loaders(this.em);
    const rows = await Promise.all(
      usages.map(async (usage) => {
        const [institution, login] = await Promise.all([
          loaders.load(Institution, usage.institutionId),
          loaders.load(Login, usage.loginId),
        ]);
        return {
          month: usage.month,
          institutionName: institution?.name ?? usage.institutionName,
          username: login?.username ?? usage.username,
          firstImportAt: usage.firstImportAt,
        };
      }),
    );
    return rows.sort(
      (a, b) =>
        b.month.localeCompare(a.month) ||
        a.institutionName.localeCompare(b.institutionName, "fr") ||
        a.username.localeCompare(b.username, "fr"),
    );
  }

  /**
   * The query filter for what the actor may see: root sees every branch (or the one asked),
   * a master its own branch only, anyone else nothing.
   */
  private async scope(actor: Actor, filter: BillingFilter): Promise<FilterQuery<BillingUsage>> {
    const month = filter.month == null ? undefined : parseBillingMonth(filter.month, "month");
    const where: FilterQuery<BillingUsage> = month ? { month } : {};

    if (filter.branchId == null) {
      if (actor.isRoot) return where;
      if (!actor.login.masterOfId) throw forbidden("voir la facturation");
      const branch = await this.em.findOne(Institution, { _id: actor.login.masterOfId });
      if (!branch) throw notFound("Institution");
      await actor.assert("billing.view", branch);
      return { ...where, branchId: branch.branchId };
    }

    const branchId = parseId(filter.branchId, "branchId");
    // Anyone but root and masters is refused before learning whether the id exists.
    if (!actor.isRoot && !actor.login.masterOfId) throw forbidden("voir la facturation");
    const branch = await this.em.findOne(Institution, { _id: branchId });
    if (!branch) throw notFound("Institution");
    await actor.assert("billing.view", branch);
    if (branch.depth > 1) {
      throw badInput("branchId", "Le champ « branchId » doit désigner une institution principale.");
    }
    return { ...where, branchId: branch._id };
  }
}

function toId(value: string | ObjectId, field: string): ObjectId {
  return value instanceof ObjectId ? value : parseId(value, field);
}
