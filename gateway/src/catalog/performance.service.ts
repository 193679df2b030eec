import type { RequestContext } from "../common/context";
import { badInput, notFound } from "../common/domain-error";
import { parseId } from "../common/object-id";
import { optionalText } from "../common/text";
import { assertOnInstitution } from "./catalog-access";
import type { CreatePerformanceInput, PerformanceFieldsInput } from "./dto/catalog.input";
import { EventService } from "./event.service";
import { ControlMode, Performance, purgeDateFor } from "./performance.entity";

const MAX_CATEGORIES = 200;
/**
 * Tickets may keep syncing a little after the end (the guide's lists stop imports at 23:58 for an
 * evening show), but not indefinitely: a sync schedule must end.
 */
const IMPORT_GRACE_MS = 24 * 3600_000;

export class PerformanceService {
  constructor(private readonly ctx: RequestContext) {}

  async get(
    id: string,
    action: "shows.view" | "shows.manage" = "shows.view",
    field = "id",
  ): Promise<Performance> {
    const performance = await this.ctx.em.findOne(Performance, { _id: parseId(id, field) });
    if (!performance) throw notFound("Représentation");
    await assertOnInstitution(this.ctx, performance.institutionId, action);
    return performance;
  }

  async list(eventId: string, includeArchived: boolean): Promise<Performance[]> {
    const event = await new EventService(this.ctx).get(eventId, "shows.view", "eventId");
    return this.ctx.em.find(
      Performance,
      { eventId: event._id, ...(includeArchived ? {} : { archived: false }) },
      { orderBy: { startsAt: "asc", _id: "asc" } },
    );
  }

  async create(input: CreatePerformanceInput): Promise<Performance> {
    const event = await new EventService(this.ctx).get(input.eventId, "shows.manage", "eventId");
    const performance = this.ctx.em.create(Performance, {
      institutionId: event.institutionId,
      venueId: event.venueId,
      eventId: event._id,
      ...schedule(input),
    });
    await this.ctx.em.flush();
    return performance;
  }

  async update(id: string, input: PerformanceFieldsInput): Promise<Performance> {
    const performance = await this.get(id, "shows.manage");
    Object.assign(performance, schedule(input));
    await this.ctx.em.flush();
    await this.rescheduleSyncs(performance);
    return performance;
  }

  /** Dates, import end or archiving changed: its online sources work out their schedule again soon. */
  private async rescheduleSyncs(performance: Performance): Promise<void> {
    await this.ctx.em
      .getConnection()
      .getCollection("performance_source")
      .updateMany(
        { performanceId: performance._id, online: true },
        { $set: { nextSyncAt: this.ctx.app.clock.now() } },
      );
  }

  /** The PDA checkbox: submit the performance to access control (scanners may import it). */
  async setControlEnabled(id: string, enabled: boolean): Promise<Performance> {
    const performance = await this.get(id, "shows.manage");
    performance.controlEnabled = enabled;
    await this.ctx.em.flush();
    return performance;
  }

  /** Categories refused at the door; can change at any time. */
  async setExcludedCategories(id: string, categories: string[]): Promise<Performance> {
    const performance = await this.get(id, "shows.manage");
    const cleaned = [...new Set(categories.map((c) => (typeof c === "string" ? c.trim() : "")))];
    if (cleaned.some((c) => !c || c.length > 100)) {
      throw badInput("categories", "Chaque catégorie doit contenir de 1 à 100 caractères.");
    }
    if (cleaned.length > MAX_CATEGORIES) {
      throw badInput("categories", `Au plus ${MAX_CATEGORIES} catégories peuvent être filtrées.`);
    }
    performance.excludedCategories = cleaned.sort((a, b) => a.localeCompare(b, "fr"));
    await this.ctx.em.flush();
    return performance;
  }

  async setArchived(id: string, archived: boolean): Promise<Performance> {
    const performance = await this.get(id, "shows.manage");
    performance.archived = archived;
    await this.ctx.em.flush();
    await this.rescheduleSyncs(performance);
    return performance;
  }
}

/** Checks the dates and control rules of a performance form and returns what to store. */
function schedule(input: PerformanceFieldsInput) {
  const { startsAt, endsAt } = input;
  if (!isDate(startsAt)) throw badInput("startsAt", "La date de début est obligatoire.");
  if (!isDate(endsAt)) throw badInput("endsAt", "La date de fin est obligatoire.");
  if (endsAt <= startsAt) throw badInput("endsAt", "La fin doit être postérieure au début.");
  const label = optionalText(input.label);
  if (!input.dated && !label) {
    throw badInput("label", "Une représentation non datée a un libellé, affiché sur le scanner.");
  }
  const importEndsAt = input.importEndsAt ?? endsAt;
  if (!isDate(importEndsAt)) throw badInput("importEndsAt", "La date de fin d'importation est invalide.");
  if (importEndsAt.getTime() > endsAt.getTime() + IMPORT_GRACE_MS) {
    throw badInput(
      "importEndsAt",
      "La fin d'importation ne peut pas dépasser de plus de 24 heures la fin de la représentation.",
    );
  }
  const multi = input.controlMode === ControlMode.multi;
  if (multi && !input.maxPasses) {
    throw badInput("maxPasses", "En multipassage, indiquez le nombre total de passages par billet.");
  }
  if (multi && input.maxPassesPerDay && input.maxPasses && input.maxPassesPerDay > input.maxPasses) {
    throw badInput("maxPassesPerDay", "Le nombre de passages par jour ne peut pas dépasser le nombre total.");
  }
  return {
    dated: input.dated,
    startsAt,
    endsAt,
    label,
    importEndsAt,
    controlEnabled: Boolean(input.controlEnabled),
    controlMode: input.controlMode ?? ControlMode.single,
    maxPasses: multi ? input.maxPasses : undefined,
    maxPassesPerDay: multi ? (input.maxPassesPerDay ?? undefined) : undefined,
    purgeAfter: purgeDateFor(endsAt),
  };
}

function isDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
