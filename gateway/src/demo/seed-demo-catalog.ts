import { Ticket, TicketState } from "../access/ticket.entity";
import { EventService } from "../catalog/event.service";
import { ControlMode, Performance } from "../catalog/performance.entity";
import { PerformanceService } from "../catalog/performance.service";
import { VenueService } from "../catalog/venue.service";
import type { RequestContext } from "../common/context";
import type { Institution } from "../institutions/institution.entity";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const FIRST_NAMES = [
  "Camille",
  "Léa",
  "Hugo",
  "Chloé",
  "Louis",
  "Manon",
  "Jules",
  "Inès",
  "Gabriel",
  "Zoé",
  "Arthur",
  "Éloïse",
];
const LAST_NAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Lefèvre",
  "Girard",
];
const CATEGORIES = [
  { name: "Plein tarif", price: 32 },
  { name: "Tarif réduit", price: 22 },
  { name: "Abonné", price: 25 },
  { name: "Invitation", price: 0 },
];

/**
 * Venues, events, dated and undated performances (each control mode), and their tickets —
 * some cancelled or duplicated, past performances partly admitted — so the dashboard, the
 * counters and the filters have something to show.
 */
export async function seedDemoCatalog(
  ctx: RequestContext,
  theatre: Institution,
  vilar: Institution,
): Promise<void> {
  const venues = new VenueService(ctx);
  const events = new EventService(ctx);
  const performances = new PerformanceService(ctx);
  const now = ctx.app.clock.now();
  const evening = (daysFromToday: number) => {
    const day = new Date(now.getTime() + daysFromToday * DAY);
    day.setUTCHours(18, 0, 0, 0);
    return day;
  };

  const lumieres = await venues.create(theatre.id, {
    name: "Théâtre des Lumières",
    address: "12 quai Saint-Antoine",
    city: "Lyon",
  });
  const salle = await venues.create(vilar.id, {
    name: "Salle Jean Vilar",
    address: "3 rue de la Scène",
    city: "Lyon",
  });
  const misanthrope = await events.create({ venueId: lumieres.id, name: "Le Misanthrope" });
  const jazz = await events.create({ venueId: lumieres.id, name: "Nuit du jazz" });
  const cyrano = await events.create({ venueId: salle.id, name: "Cyrano de Bergerac" });
  const expo = await events.create({ venueId: lumieres.id, name: "Lumières d'Orient (exposition)" });

  const dated = async (eventId: string, start: Date, tickets: number, mode = ControlMode.single) => {
    const performance = await performances.create({
      eventId,
      dated: true,
      startsAt: start,
      endsAt: new Date(start.getTime() + 3 * HOUR),
      controlEnabled: start.getTime() > now.getTime() - DAY,
      controlMode: mode,
    });
    await fillTickets(ctx, performance, tickets, start < now ? 0.9 : 0);
  };
  for (const days of [-9, -8, -2, 0, 1, 7]) await dated(misanthrope.id, evening(days), 548);
  await dated(jazz.id, evening(3), 320, ControlMode.inOut);
  for (const days of [-1, 2, 5]) await dated(cyrano.id, evening(days), 410);

  const exhibition = await performances.create({
    eventId: expo.id,
    dated: false,
    label: "Pass exposition — 5 visites, 1 par jour",
    startsAt: new Date(now.getTime() - 30 * DAY),
    endsAt: new Date(now.getTime() + 90 * DAY),
    controlEnabled: true,
    controlMode: ControlMode.multi,
    maxPasses: 5,
    maxPassesPerDay: 1,
  });
  await performances.setExcludedCategories(exhibition.id, ["Invitation"]);
  await fillTickets(ctx, exhibition, 300, 0.4);
}

async function fillTickets(
  ctx: RequestContext,
  performance: Performance,
  count: number,
  admittedShare: number,
) {
  const tickets = [];
  let admitted = 0;
  let valid = 0;
  for (let n = 1; n <= count; n++) {
    const category = CATEGORIES[n % 7 === 0 ? 3 : n % 3];
    const state =
      n % 41 === 0 ? TicketState.cancelled : n % 97 === 0 ? TicketState.duplicated : TicketState.valid;
    const isValid = state === TicketState.valid;
    const entered = isValid && n / count <= admittedShare;
    valid += isValid ? 1 : 0;
    admitted += entered ? 1 : 0;
    tickets.push({
      performanceId: performance._id,
      barcode: `${performance.id.slice(-6).toUpperCase()}${String(n).padStart(6, "0")}`,
      state,
      category: category.name,
      holderName: `${FIRST_NAMES[n % FIRST_NAMES.length]} ${LAST_NAMES[(n * 7) % LAST_NAMES.length]}`,
      seat: `Rang ${String.fromCharCode(65 + (n % 20))} — place ${(n % 30) + 1}`,
      price: category.price,
      extra: { canal: n % 2 ? "Guichet" : "Internet" },
      revision: n,
      passes: entered ? 1 : 0,
      inside: false,
      firstEntryAt: entered ? performance.startsAt : undefined,
    });
  }
  await ctx.em.insertMany(Ticket, tickets);
  await ctx.em.nativeUpdate(
    Performance,
    { _id: performance._id },
    {
      revision: count,
      counters: {
        ticketCount: count,
        validCount: valid,
        admittedCount: admitted,
        insideCount: 0,
        refusedCount: 0,
        anomalyCount: 0,
      },
    },
  );
}
