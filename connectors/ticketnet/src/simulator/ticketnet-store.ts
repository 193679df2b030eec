import { mixSeed, SeededRandom } from "@billetix/connector-sdk/simulator";
import {
  TICKETNET_STATUSES,
  type TicketnetEvent,
  type TicketnetPerformance,
  type TicketnetStatus,
  type TicketnetTicket,
  type TicketnetTicketsPage,
  type TicketnetVenue,
} from "../ticketnet-api";
import { parisIso, parisIsoSeconds, parisWallTime } from "./paris-clock";

/** A performance as the simulator's handle describes it (for tests and demos). */
export interface SimulatedPerformance extends TicketnetPerformance {
  eventId: string;
  venueId: string;
  /** How many tickets the performance lists right now, whatever their status. */
  ticketCount: number;
}

/** An event with its performances, as the simulator's handle describes it. */
export interface SimulatedEvent {
  id: string;
  title: string;
  venueId: string;
  performances: SimulatedPerformance[];
}

/** A venue with its events: one entry of the simulator's `catalogue`. */
export interface SimulatedVenue extends TicketnetVenue {
  events: SimulatedEvent[];
}

/** What {@link TicketnetStore.tick} changed. */
export interface TicketnetTickResult {
  /** Barcodes of the tickets sold. */
  sold: string[];
  /** Barcodes of the tickets cancelled. */
  cancelled: string[];
}

export interface TicketnetStoreOptions {
  seed: number;
  ticketsPerPerformance: number;
  /** The first performance's day, `YYYY-MM-DD` (Paris). */
  firstDay: string;
}

/**
 * Hands out modification times: never backwards, and a change made after a page was read always
 * gets a later millisecond than that page's `serverTime`, so `modifiedSince=serverTime` (strictly
 * after) never misses it, even within the same millisecond.
 */
class MonotonicClock {
  private last = 0;

  /** The time a page is read at. */
  read(): number {
    this.last = Math.max(Date.now(), this.last);
    return this.last;
  }

  /** The time of a change. */
  stamp(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }
}

interface Category {
  name: string;
  cents: number;
}

const CARRE_OR: Category = { name: "Carré Or", cents: 8900 };
const CAT_1: Category = { name: "Cat 1", cents: 6500 };
const CAT_2: Category = { name: "Cat 2", cents: 4900 };
const FOSSE: Category = { name: "Fosse", cents: 3900 };

interface Seat {
  block: string;
  row: string;
  number: string;
  category: Category;
}

interface Hall {
  venue: TicketnetVenue;
  /** Every seat; those of a category are together, in the order they are sold. */
  seats: readonly Seat[];
  /** Each category's seats: `seats[start]` to `seats[end - 1]`. */
  sections: readonly { category: Category; start: number; end: number }[];
  /** The share of orders sold standing (`Fosse`, no seat) while seats remain. */
  standing: number;
}

interface BlockSpec {
  block: string;
  rows: number;
  seats: number;
  category: (row: number) => Category;
}

function makeHall(venue: TicketnetVenue, standing: number, specs: BlockSpec[]): Hall {
  const all: Seat[] = [];
  for (const spec of specs)
    for (let row = 1; row <= spec.rows; row++)
      for (let number = 1; number <= spec.seats; number++)
        all.push({
          block: spec.block,
          row: String(row),
          number: String(number),
          category: spec.category(row),
        });
  const categories = [...new Set(all.map((seat) => seat.category))];
  const seats = categories.flatMap((category) => all.filter((seat) => seat.category === category));
  let start = 0;
  const sections = categories.map((category) => {
    const end = start + all.filter((seat) => seat.category === category).length;
    const section = { category, start, end };
    start = end;
    return section;
  });
  return { venue, seats, sections, standing };
}

const HALLS: readonly Hall[] = [
  makeHall({ id: "11", name: "Transbordeur", city: "Villeurbanne" }, 0.7, [
    { block: "M", rows: 4, seats: 18, category: () => CAT_1 },
  ]),
  makeHall({ id: "12", name: "Le Radiant", city: "Caluire" }, 0, [
    { block: "B", rows: 14, seats: 20, category: (row) => (row <= 5 ? CARRE_OR : CAT_1) },
    { block: "A", rows: 14, seats: 16, category: (row) => (row <= 8 ? CAT_1 : CAT_2) },
    { block: "C", rows: 14, seats: 16, category: (row) => (row <= 8 ? CAT_1 : CAT_2) },
  ]),
  makeHall({ id: "13", name: "Halle Tony Garnier", city: "Lyon" }, 0.5, [
    { block: "A", rows: 6, seats: 30, category: () => CARRE_OR },
    { block: "B", rows: 20, seats: 30, category: (row) => (row <= 10 ? CAT_1 : CAT_2) },
    { block: "C", rows: 20, seats: 30, category: (row) => (row <= 10 ? CAT_1 : CAT_2) },
  ]),
];

const TITLES = [
  "La Nuit du Hip-Hop lyonnais",
  "Carmina Burana — Orchestre du Rhône",
  "Festival Électro Confluence",
  "Rires en Saône — plateau d'humour",
  "Le Lac des cygnes",
  "Chansons de Barbara, en trio",
  "Rock en Croix-Rousse",
  "Soirée jazz manouche",
  "Les Étoiles du cirque",
  "Gala des écoles de danse",
  "Tournée des Vieilles Canailles",
  "Requiem de Fauré",
];

const FIRST_NAMES = [
  "Camille",
  "Léa",
  "Chloé",
  "Manon",
  "Inès",
  "Élodie",
  "Hélène",
  "Françoise",
  "Maëlle",
  "Anaïs",
  "Zoé",
  "Océane",
  "Louis",
  "Hugo",
  "Gabriel",
  "Jules",
  "Théo",
  "Étienne",
  "François",
  "Benoît",
  "Jérôme",
  "Noël",
  "Rémi",
  "Loïc",
];

const LAST_NAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Lefèvre",
  "Girard",
  "Bonnet",
  "Dupont",
  "Lambert",
  "Fontaine",
  "Rousseau",
  "Chevalier",
  "Bérard",
  "Gauthier",
  "Perrin",
  "Mercier",
  "Faure",
  "Boyer",
  "Lemaître",
];

const VALID = 0;
const CANCELLED = TICKETNET_STATUSES.indexOf("CANCELLED");
const REPRINTED = TICKETNET_STATUSES.indexOf("REPRINTED");

/** Seeded tickets were sold and changed between these instants, long before any simulator runs. */
const SALES_FROM = Date.UTC(2026, 5, 1);
const SALES_TO = Date.UTC(2026, 9, 31);
const DAY_MS = 86_400_000;

/**
 * A performance's tickets, one array per field and one row per ticket, so that 100 000 tickets
 * cost a few arrays of small numbers instead of 100 000 objects; pages are built on demand.
 */
interface PerformanceState {
  performance: TicketnetPerformance;
  event: SimulatedEvent;
  hall: Hall;
  number: number;
  /** Index in `hall.seats`, or -1 for standing. */
  seat: number[];
  price: number[];
  status: number[];
  /** Indexes in FIRST_NAMES and LAST_NAMES, or -1 for an anonymous sale. */
  firstName: number[];
  lastName: number[];
  order: number[];
  modifiedAt: number[];
  random: SeededRandom;
  /** Per section of the hall, the next seat to sell. */
  nextSeat: number[];
  /** Seeded at start (as opposed to added by a test): the ones `tick()` changes. */
  seeded: boolean;
}

/** A 14-digit barcode: performance number (6 digits), rank in it (7 digits), Luhn check digit. */
export function ticketnetBarcode(performanceNumber: number, rank: number): string {
  const body = String(performanceNumber).padStart(6, "0") + String(rank).padStart(7, "0");
  return body + luhn(body);
}

function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function nextDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The simulator's data: venues, events, performances and their tickets, generated from a seed,
 * plus the changes made since. No randomness other than the seeded one.
 */
export class TicketnetStore {
  readonly venues: SimulatedVenue[] = [];
  private readonly performances = new Map<string, PerformanceState>();
  private readonly events = new Map<string, SimulatedEvent>();
  private readonly byNumber = new Map<number, PerformanceState>();
  private readonly clock = new MonotonicClock();
  private readonly seed: number;
  private readonly tickRandom: SeededRandom;
  private nextPerformanceNumber: number;
  private nextEventNumber = 4101;
  private nextOrder: number;
  private ticks = 0;

  constructor(options: TicketnetStoreOptions) {
    this.seed = options.seed;
    const random = new SeededRandom(mixSeed(options.seed, 1));
    this.tickRandom = new SeededRandom(mixSeed(options.seed, 2));
    // Different seeds get different performance numbers (hence barcodes) and order references.
    const slot = (options.seed >>> 0) % 8000;
    this.nextPerformanceNumber = 100_001 + slot * 100;
    this.nextOrder = 1 + slot * 1_000_000;

    const titles = random.shuffle(TITLES);
    let eventIndex = 0;
    for (const hall of HALLS) {
      const venue: SimulatedVenue = { ...hall.venue, events: [] };
      // A venue's events follow each other, one date a day, with a free day between two events.
      let day = options.firstDay;
      this.venues.push(venue);
      const eventCount = random.int(2, 3);
      for (let e = 0; e < eventCount; e++) {
        const event: SimulatedEvent = {
          id: String(this.nextEventNumber++),
          title: titles[eventIndex % titles.length],
          venueId: venue.id,
          performances: [],
        };
        venue.events.push(event);
        this.events.set(event.id, event);
        const count = random.int(1, 3);
        for (let p = 0; p < count; p++, day = nextDay(day, 1)) {
          const sunday = new Date(`${day}T00:00:00Z`).getUTCDay() === 0;
          const start = sunday ? parisWallTime(day, 17, 0) : parisWallTime(day, 20, random.pick([0, 30]));
          this.createPerformance(event, hall, start, options.ticketsPerPerformance, true);
        }
        day = nextDay(day, 1);
        eventIndex++;
      }
    }
  }

  /** `GET /venues`. */
  listVenues(): TicketnetVenue[] {
    return this.venues.map(({ id, name, city }) => ({ id, name, city }));
  }

  /** `GET /venues/{id}/events`, or undefined for an unknown venue. */
  listEvents(venueId: string): TicketnetEvent[] | undefined {
    return this.venues
      .find((v) => v.id === venueId)
      ?.events.map((e) => ({
        id: e.id,
        title: e.title,
        performances: e.performances.map(({ id, startDate, endDate }) => ({ id, startDate, endDate })),
      }));
  }

  /** Venues → events → performances as they stand (copies). */
  catalogue(): SimulatedVenue[] {
    return this.venues.map((v) => ({
      ...v,
      events: v.events.map((e) => ({ ...e, performances: e.performances.map((p) => this.info(p.id)) })),
    }));
  }

  /** Every performance, seeded or added, in creation order. */
  performanceInfos(): SimulatedPerformance[] {
    return [...this.performances.keys()].map((id) => this.info(id));
  }

  /** A performance's tickets as they stand, or undefined for an unknown performance. */
  tickets(performanceId: string): TicketnetTicket[] | undefined {
    const state = this.performances.get(performanceId);
    if (!state) return undefined;
    const ranks: number[] = [];
    for (let rank = 0; rank < state.status.length; rank++) ranks.push(rank);
    return ranks.map((rank) => this.ticket(state, rank));
  }

  /**
   * One page (from 1) of a performance's tickets in issue order, only those modified strictly
   * after `since` (epoch ms) when given; undefined for an unknown performance.
   */
  page(
    performanceId: string,
    page: number,
    pageSize: number,
    since?: number,
  ): TicketnetTicketsPage | undefined {
    const state = this.performances.get(performanceId);
    if (!state) return undefined;
    const serverTime = parisIso(this.clock.read());
    const from = (page - 1) * pageSize;
    let ranks: ArrayLike<number>;
    let totalCount: number;
    if (since === undefined) {
      totalCount = state.status.length;
      const end = Math.min(totalCount, from + pageSize);
      ranks = Array.from({ length: Math.max(0, end - from) }, (_, i) => from + i);
    } else {
      const matching: number[] = [];
      const modifiedAt = state.modifiedAt;
      for (let rank = 0; rank < modifiedAt.length; rank++) if (modifiedAt[rank] > since) matching.push(rank);
      totalCount = matching.length;
      ranks = matching.slice(from, from + pageSize);
    }
    const tickets: TicketnetTicket[] = [];
    for (let i = 0; i < ranks.length; i++) tickets.push(this.ticket(state, ranks[i]));
    return { page, pageCount: Math.ceil(totalCount / pageSize), totalCount, serverTime, tickets };
  }

  /** Sells `n` new VALID tickets (in orders of 1 to 4) and returns their barcodes. */
  sell(performanceId: string, n: number): string[] {
    const state = this.performances.get(performanceId);
    if (!state) throw new Error(`Unknown performance ${performanceId}`);
    if (!Number.isInteger(n) || n < 0) throw new Error(`Cannot sell ${n} tickets`);
    const now = this.clock.stamp();
    const first = state.status.length;
    while (state.status.length < first + n)
      this.issueOrder(state, Math.min(state.random.int(1, 4), first + n - state.status.length), now);
    const barcodes: string[] = [];
    for (let rank = first; rank < state.status.length; rank++)
      barcodes.push(ticketnetBarcode(state.number, rank));
    return barcodes;
  }

  /** Marks a VALID ticket CANCELLED. */
  cancel(barcode: string): void {
    const { state, rank } = this.locateValid(barcode, "cancel");
    state.status[rank] = CANCELLED;
    state.modifiedAt[rank] = this.clock.stamp();
  }

  /** Marks a VALID ticket REPRINTED and issues its replacement (same seat, holder and order); returns its barcode. */
  reprint(barcode: string): string {
    const { state, rank } = this.locateValid(barcode, "reprint");
    return ticketnetBarcode(state.number, this.reprintTicket(state, rank, this.clock.stamp()));
  }

  /**
   * On each seeded performance, one time in two, sells 1 to 3 tickets; then cancels one valid
   * ticket on one seeded performance (each in turn).
   */
  tick(): TicketnetTickResult {
    const seeded = [...this.performances.values()].filter((s) => s.seeded);
    const sold: string[] = [];
    const cancelled: string[] = [];
    for (const state of seeded)
      if (this.tickRandom.chance(0.5))
        sold.push(...this.sell(state.performance.id, this.tickRandom.int(1, 3)));
    const target = seeded[this.ticks++ % seeded.length];
    if (target) {
      const count = target.status.length;
      const start = this.tickRandom.int(0, count - 1);
      for (let k = 0; k < count; k++) {
        const rank = (start + k) % count;
        if (target.status[rank] !== VALID) continue;
        const barcode = ticketnetBarcode(target.number, rank);
        this.cancel(barcode);
        cancelled.push(barcode);
        break;
      }
    }
    return { sold, cancelled };
  }

  /**
   * Adds a performance with `tickets` tickets (a few cancelled and reprinted among them) to an
   * event (the first one by default), the day after that event's last performance unless
   * `startDate` (ISO) says. Its tickets are sold "now" (their `modifiedAt`).
   */
  addPerformance(options: { tickets: number; eventId?: string; startDate?: string }): SimulatedPerformance {
    const event = options.eventId ? this.events.get(options.eventId) : this.venues[0]?.events[0];
    if (!event) throw new Error(`Unknown event ${options.eventId}`);
    if (!Number.isInteger(options.tickets) || options.tickets < 0)
      throw new Error(`Cannot add a performance of ${options.tickets} tickets`);
    const hall = HALLS.find((h) => h.venue.id === event.venueId) ?? HALLS[0];
    let start: number;
    if (options.startDate !== undefined) {
      start = Date.parse(options.startDate);
      if (Number.isNaN(start)) throw new Error(`Unreadable startDate ${options.startDate}`);
    } else {
      const last = event.performances.at(-1)?.startDate.slice(0, 10) ?? "2027-01-01";
      start = parisWallTime(nextDay(last, 1), 20, 30);
    }
    const state = this.createPerformance(event, hall, start, options.tickets, false);
    return this.info(state.performance.id);
  }

  private createPerformance(
    event: SimulatedEvent,
    hall: Hall,
    start: number,
    tickets: number,
    seeded: boolean,
  ): PerformanceState {
    const number = this.nextPerformanceNumber++;
    if (number > 999_999) throw new Error("Too many performances for 6-digit performance numbers");
    const random = new SeededRandom(mixSeed(this.seed, number));
    const performance: TicketnetPerformance = {
      id: String(number),
      startDate: parisIsoSeconds(start),
      endDate: parisIsoSeconds(start + 150 * 60_000),
    };
    const state: PerformanceState = {
      performance,
      event,
      hall,
      number,
      seat: [],
      price: [],
      status: [],
      firstName: [],
      lastName: [],
      order: [],
      modifiedAt: [],
      random,
      nextSeat: hall.sections.map((section) => section.start),
      seeded,
    };
    this.performances.set(performance.id, state);
    this.byNumber.set(number, state);
    event.performances.push({ ...performance, eventId: event.id, venueId: event.venueId, ticketCount: 0 });
    const now = seeded ? 0 : this.clock.stamp();
    const saleTime = () => (seeded ? SALES_FROM + Math.floor(random.next() * (SALES_TO - SALES_FROM)) : now);
    const laterTime = (sold: number) =>
      seeded ? Math.min(SALES_TO, sold + random.int(1, 20) * DAY_MS) : now;
    while (state.status.length < tickets) {
      const sold = saleTime();
      const first = this.issueOrder(state, Math.min(random.int(1, 4), tickets - state.status.length), sold);
      const end = state.status.length;
      if (random.chance(0.03)) {
        const at = laterTime(sold);
        for (let rank = first; rank < end; rank++) {
          state.status[rank] = CANCELLED;
          state.modifiedAt[rank] = at;
        }
        continue;
      }
      for (let rank = first; rank < end; rank++)
        if (state.status.length < tickets && random.chance(0.02))
          this.reprintTicket(state, rank, laterTime(sold));
    }
    return state;
  }

  /** Appends an order's tickets, all modified at `at`; returns the first one's rank. */
  private issueOrder(state: PerformanceState, size: number, at: number): number {
    const random = state.random;
    const anonymous = random.chance(0.05);
    const firstName = anonymous ? -1 : random.int(0, FIRST_NAMES.length - 1);
    const lastName = anonymous ? -1 : random.int(0, LAST_NAMES.length - 1);
    const order = this.nextOrder++;
    // An order sits together in one category that has room left; past the hall's capacity, it stands.
    const { sections } = state.hall;
    const open = sections.map((_, i) => i).filter((i) => state.nextSeat[i] < sections[i].end);
    const section = open.length === 0 || random.chance(state.hall.standing) ? -1 : random.pick(open);
    const first = state.status.length;
    for (let k = 0; k < size; k++) {
      const seat =
        section >= 0 && state.nextSeat[section] < sections[section].end ? state.nextSeat[section]++ : -1;
      const category = seat < 0 ? FOSSE : state.hall.seats[seat].category;
      // One ticket in eight at the reduced price (5 € off).
      const cents = random.chance(0.125) ? category.cents - 500 : category.cents;
      state.seat.push(seat);
      state.price.push(cents);
      state.status.push(VALID);
      state.firstName.push(firstName);
      state.lastName.push(lastName);
      state.order.push(order);
      state.modifiedAt.push(at);
    }
    return first;
  }

  /** Marks a ticket REPRINTED and appends its replacement; returns the replacement's rank. */
  private reprintTicket(state: PerformanceState, rank: number, at: number): number {
    state.status[rank] = REPRINTED;
    state.modifiedAt[rank] = at;
    state.seat.push(state.seat[rank]);
    state.price.push(state.price[rank]);
    state.status.push(VALID);
    state.firstName.push(state.firstName[rank]);
    state.lastName.push(state.lastName[rank]);
    state.order.push(state.order[rank]);
    state.modifiedAt.push(at);
    return state.status.length - 1;
  }

  private ticket(state: PerformanceState, rank: number): TicketnetTicket {
    const seat = state.seat[rank] < 0 ? undefined : state.hall.seats[state.seat[rank]];
    const first = state.firstName[rank];
    return {
      barcode: ticketnetBarcode(state.number, rank),
      status: TICKETNET_STATUSES[state.status[rank]] as TicketnetStatus,
      priceCategory: seat ? seat.category.name : FOSSE.name,
      priceCents: state.price[rank],
      seat: seat ? { block: seat.block, row: seat.row, number: seat.number } : null,
      customer:
        first < 0 ? null : { firstName: FIRST_NAMES[first], lastName: LAST_NAMES[state.lastName[rank]] },
      orderRef: `TN${String(state.order[rank]).padStart(10, "0")}`,
      modifiedAt: parisIso(state.modifiedAt[rank]),
    };
  }

  private locateValid(barcode: string, action: string): { state: PerformanceState; rank: number } {
    const state = /^\d{14}$/.test(barcode) ? this.byNumber.get(Number(barcode.slice(0, 6))) : undefined;
    const rank = Number(barcode.slice(6, 13));
    if (!state || rank >= state.status.length || ticketnetBarcode(state.number, rank) !== barcode)
      throw new Error(`Unknown ticket ${barcode}`);
    if (state.status[rank] !== VALID)
      throw new Error(`Cannot ${action} ticket ${barcode}: it is ${TICKETNET_STATUSES[state.status[rank]]}`);
    return { state, rank };
  }

  private info(performanceId: string): SimulatedPerformance {
    const state = this.performances.get(performanceId) as PerformanceState;
    return {
      ...state.performance,
      eventId: state.event.id,
      venueId: state.event.venueId,
      ticketCount: state.status.length,
    };
  }
}
