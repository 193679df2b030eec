import { SeededRandom } from "@billetix/connector-sdk/simulator";
import { formatParisLocal, parseParisLocal } from "../paris-time";
import { asciiLower, CATEGORIES, FIRST_NAMES, LAST_NAMES, SEED_EVENTS, type SeedCategory } from "./seed-data";

/** One participant as the simulated partner keeps it. Times are ms, floored to the second. */
export interface StoredParticipant {
  id: number;
  barcode: string;
  eventId: number;
  dateId: number;
  category: SeedCategory;
  rate: { name: string; price: number };
  /** Index of the seat on the date (see {@link seatOf}), -1 for a standing ticket. */
  seatIndex: number;
  firstName: string;
  lastName: string;
  refunded: boolean;
  deleted: boolean;
  transferedFrom: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface StoredDate {
  id: number;
  start: number;
  end: number;
  /** Seats given so far on this date, so seats never repeat. */
  seatsGiven: number;
}

export interface StoredEvent {
  id: number;
  name: string;
  venue: { id: number; name: string };
  dates: StoredDate[];
}

export interface ParticipantQuery {
  eventIds: number[];
  dateId?: number;
  /** Only those updated at or after this instant (ms, whole second). */
  since?: number;
  page: number;
  perPage: number;
}

const SECOND = 1000;
const DAY = 86_400_000;
const BARCODE_SPACE = 1e12;
/** Odd and not a multiple of 5, so `seq * MULTIPLIER mod 10^12` never repeats: unique barcodes without a lookup. */
const MULTIPLIER = 982_451;

const floorSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/**
 * The simulated partner's data: events, dates and participants, kept in participant-id order per
 * event and per date so a page of a full import is a slice, not a scan.
 */
export class PartnerStore {
  readonly events = new Map<number, StoredEvent>();
  private readonly byEvent = new Map<number, StoredParticipant[]>();
  private readonly byDate = new Map<number, StoredParticipant[]>();
  private readonly dateEvent = new Map<number, number>();
  private readonly byBarcode = new Map<string, StoredParticipant>();
  private readonly venues = new Map<string, number>();
  private readonly random: SeededRandom;
  private readonly barcodeOffset: number;
  private nextParticipantId = 1;
  private nextEventId = 1;
  private nextDateId = 1;
  private barcodeSeq = 1;
  /** Bumped on every change, so a cached filtered list is never served stale. */
  private version = 0;
  private cache?: { key: string; items: StoredParticipant[] };

  constructor(
    seed: number,
    private readonly now: () => Date,
    participantsPerDate: number,
  ) {
    this.random = new SeededRandom(seed);
    this.barcodeOffset = Math.floor(this.random.next() * BARCODE_SPACE);
    this.seed(participantsPerDate);
  }

  private seed(participantsPerDate: number): void {
    const startDay = formatParisLocal(this.now()).slice(0, 10);
    const current = this.nowMs();
    for (const seedEvent of SEED_EVENTS) {
      const event = this.createEvent(
        seedEvent.name,
        seedEvent.venue,
        seedEvent.dates.map(({ day, hour, hours }) => {
          const start = localDayAt(startDay, day, hour);
          return { start, end: start + hours * 3_600_000 };
        }),
      );
      for (const date of event.dates) {
        for (let i = 0; i < participantsPerDate; i++) {
          const createdAt = floorSecond(current - 1000 - this.random.next() * 60 * DAY);
          const p = this.createParticipant(event, date, createdAt);
          const fate = this.random.next();
          if (fate < 0.03) {
            p.refunded = fate < 0.02;
            p.deleted = !p.refunded;
            p.updatedAt = floorSecond(createdAt + this.random.next() * (current - createdAt));
          }
        }
      }
    }
  }

  nowMs(): number {
    return floorSecond(this.now().getTime());
  }

  /** Creates an event with its dates (instants in ms) and returns it. */
  createEvent(name: string, venueName: string, dates: { start: number; end: number }[]): StoredEvent {
    let venueId = this.venues.get(venueName);
    if (venueId === undefined) {
      venueId = this.venues.size + 1;
      this.venues.set(venueName, venueId);
    }
    const event: StoredEvent = {
      id: this.nextEventId++,
      name,
      venue: { id: venueId, name: venueName },
      dates: dates.map(({ start, end }) => ({ id: this.nextDateId++, start, end, seatsGiven: 0 })),
    };
    this.events.set(event.id, event);
    this.byEvent.set(event.id, []);
    for (const date of event.dates) {
      this.byDate.set(date.id, []);
      this.dateEvent.set(date.id, event.id);
    }
    this.version++;
    return event;
  }

  /** Sells one ticket on `date`, stamped `at` (default now). */
  createParticipant(event: StoredEvent, date: StoredDate, at = this.nowMs()): StoredParticipant {
    const roll = this.random.next();
    const category = roll < 0.2 ? CATEGORIES[0] : roll < 0.5 ? CATEGORIES[1] : CATEGORIES[2];
    const firstName = this.random.pick(FIRST_NAMES);
    const lastName = this.random.pick(LAST_NAMES);
    const id = this.nextParticipantId++;
    const participant: StoredParticipant = {
      id,
      barcode: this.nextBarcode(),
      eventId: event.id,
      dateId: date.id,
      category,
      rate: this.random.pick(category.rates),
      seatIndex: category.seated ? date.seatsGiven++ : -1,
      firstName,
      lastName,
      refunded: false,
      deleted: false,
      transferedFrom: null,
      createdAt: at,
      updatedAt: at,
    };
    this.byEvent.get(event.id)?.push(participant);
    this.byDate.get(date.id)?.push(participant);
    this.byBarcode.set(participant.barcode, participant);
    this.version++;
    return participant;
  }

  private nextBarcode(): string {
    const n = (this.barcodeSeq++ * MULTIPLIER + this.barcodeOffset) % BARCODE_SPACE;
    return String(n).padStart(12, "0");
  }

  /** The event and date a sale goes to: the given date, or the event's first. */
  resolve(eventId: string | number, dateId?: string | number): { event: StoredEvent; date: StoredDate } {
    const event = this.events.get(Number(eventId));
    if (!event) throw new Error(`attendees simulator: no event ${eventId}`);
    const date = dateId === undefined ? event.dates[0] : event.dates.find((d) => d.id === Number(dateId));
    if (!date) throw new Error(`attendees simulator: event ${eventId} has no date ${dateId}`);
    return { event, date };
  }

  get(barcode: string): StoredParticipant {
    const participant = this.byBarcode.get(barcode);
    if (!participant) throw new Error(`attendees simulator: no participant with barcode ${barcode}`);
    return participant;
  }

  /** Applies a change to a participant and stamps its update time. */
  update(barcode: string, change: (p: StoredParticipant) => void): StoredParticipant {
    const participant = this.get(barcode);
    change(participant);
    participant.updatedAt = this.nowMs();
    this.version++;
    return participant;
  }

  /** Re-issues a ticket to a new holder: a new participant pointing at the old barcode, which is deleted. */
  transfer(barcode: string): StoredParticipant {
    const old = this.update(barcode, (p) => {
      p.deleted = true;
    });
    const event = this.events.get(old.eventId) as StoredEvent;
    const date = event.dates.find((d) => d.id === old.dateId) as StoredDate;
    const fresh = this.createParticipant(event, date);
    fresh.category = old.category;
    fresh.rate = old.rate;
    fresh.seatIndex = old.seatIndex;
    fresh.transferedFrom = old.barcode;
    return fresh;
  }

  /** A random participant neither refunded nor deleted, for `tick`; undefined when none is found quickly. */
  randomValid(): StoredParticipant | undefined {
    const lists = [...this.byEvent.values()].filter((l) => l.length > 0);
    for (let attempt = 0; attempt < 20 && lists.length > 0; attempt++) {
      const list = this.random.pick(lists);
      const p = this.random.pick(list);
      if (!p.refunded && !p.deleted) return p;
    }
    return undefined;
  }

  pickRandom<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  /** One page of participants, in participant-id order. */
  query(q: ParticipantQuery): { items: StoredParticipant[]; total: number } {
    const all = this.matching(q);
    const from = (q.page - 1) * q.perPage;
    return { items: all.slice(from, from + q.perPage), total: all.length };
  }

  private matching(q: ParticipantQuery): StoredParticipant[] {
    let base: StoredParticipant[] | undefined;
    if (q.dateId !== undefined) {
      const owner = this.dateEvent.get(q.dateId);
      base = owner !== undefined && q.eventIds.includes(owner) ? (this.byDate.get(q.dateId) ?? []) : [];
    } else if (q.eventIds.length === 1) base = this.byEvent.get(q.eventIds[0]) ?? [];
    // A full import is served straight from the kept list: a page is a slice.
    if (base && q.since === undefined) return base;
    const key = `${q.eventIds.join(",")}|${q.dateId}|${q.since}|${this.version}`;
    if (this.cache?.key === key) return this.cache.items;
    let items = base ?? q.eventIds.flatMap((id) => this.byEvent.get(id) ?? []).sort((a, b) => a.id - b.id);
    const since = q.since;
    if (since !== undefined) items = items.filter((p) => p.updatedAt >= since);
    this.cache = { key, items };
    return items;
  }

  /** All participants of an event (or one of its dates), in id order. */
  list(eventId: number, dateId?: number): StoredParticipant[] {
    const all = this.byEvent.get(eventId) ?? [];
    return dateId === undefined ? all : all.filter((p) => p.dateId === dateId);
  }
}

/** The seat of a participant; kept as a number so 100 000 participants stay light. */
export function seatOf(p: StoredParticipant): { zone: string; row: string; seat: string } | null {
  const k = p.seatIndex;
  if (k < 0) return null;
  return {
    zone: "ABCD"[Math.floor(k / 600) % 4],
    row: String((Math.floor(k / 30) % 20) + 1),
    seat: String((k % 30) + 1),
  };
}

/** The e-mail of a participant, made when served rather than stored. */
export function emailOf(p: StoredParticipant): string {
  return `${asciiLower(p.firstName)}.${asciiLower(p.lastName)}.${p.id}@example.fr`;
}

/** The instant of local Paris time `hour`:00 on `days` after the local day `startDay` ("YYYY-MM-DD"). */
function localDayAt(startDay: string, days: number, hour: number): number {
  const [y, m, d] = startDay.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d + days));
  const text = `${day.toISOString().slice(0, 10)} ${String(hour).padStart(2, "0")}:00:00`;
  return (parseParisLocal(text) as Date).getTime();
}
