import { mixSeed, SeededRandom } from "@billetix/connector-sdk/simulator";
import type {
  AparteBillet,
  AparteBilletsPage,
  AparteEtat,
  AparteLieu,
  AparteSeance,
  AparteSpectacle,
} from "../aparte-api";

/** A séance as the simulator's handle describes it (for tests and demos). */
export interface AparteSeanceInfo extends AparteSeance {
  idSpectacle: string;
  idLieu: string;
  /** How many billets the séance lists right now, whatever their state. */
  total: number;
}

/** What {@link AparteStore.tick} changed. */
export interface AparteTickResult {
  sold: string[];
  cancelled: string[];
}

export interface AparteStoreOptions {
  seed: number;
  ticketsPerSeance: number;
  /** The first séance's day, `YYYY-MM-DD` (Paris). */
  firstDay: string;
}

interface SpectacleState extends AparteSpectacle {
  unnumbered: boolean;
  minutes: number;
}

/**
 * A séance's billets, one column per field and one row per billet, so that 100 000 billets
 * cost a few small-integer arrays instead of 100 000 objects; pages are built on demand.
 */
interface SeanceState {
  seance: AparteSeance;
  spectacle: SpectacleState;
  number: number;
  /** Index in HALL, or -1 for unnumbered seating. */
  seat: number[];
  tarif: number[];
  etat: number[];
  prenom: number[];
  nom: number[];
  commande: number[];
  random: SeededRandom;
  nextSeat: number;
  /** Seeded at start (as opposed to added by a test): the ones `tick()` changes. */
  seeded: boolean;
}

const VALIDE = 0;
const ETATS: readonly AparteEtat[] = ["VALIDE", "ANNULE", "REEDITE"];
const ANNULE = ETATS.indexOf("ANNULE");
const REEDITE = ETATS.indexOf("REEDITE");

const LIEUX = [
  { nom: "Théâtre des Célestins", ville: "Lyon", unnumbered: false },
  { nom: "Théâtre de la Croix-Rousse", ville: "Lyon", unnumbered: false },
  { nom: "Théâtre National Populaire", ville: "Villeurbanne", unnumbered: false },
  { nom: "Théâtre du Point du Jour", ville: "Lyon", unnumbered: true },
  { nom: "Théâtre de la Renaissance", ville: "Oullins", unnumbered: false },
];

const TITRES = [
  "Cyrano de Bergerac",
  "Le Misanthrope",
  "Phèdre",
  "En attendant Godot",
  "La Cerisaie",
  "Tartuffe",
  "Le Malade imaginaire",
  "Les Fourberies de Scapin",
  "Britannicus",
  "Ruy Blas",
  "On ne badine pas avec l'amour",
  "La Mouette",
  "Le Jeu de l'amour et du hasard",
  "Antigone",
  "Les Bonnes",
];

const PRENOMS = [
  "Camille",
  "Léa",
  "Chloé",
  "Manon",
  "Inès",
  "Élodie",
  "Hélène",
  "Françoise",
  "Margaux",
  "Anaïs",
  "Zoé",
  "Sophie",
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
  "Antoine",
];

const NOMS = [
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
  "Simon",
  "Laurent",
  "Lefèvre",
  "Michel",
  "Garcia",
  "Fournier",
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
];

const TARIFS = [
  { tarif: "Plein tarif", factor: 1, below: 0.6 },
  { tarif: "Réduit", factor: 0.75, below: 0.85 },
  { tarif: "Abonné", factor: 0.8, below: 1 },
];

interface Seat {
  placement: string;
  categorie: string;
  /** Full price, in cents. */
  cents: number;
}

const UNNUMBERED: Seat = { placement: "", categorie: "Placement libre", cents: 2200 };

// Every numbered séance fills the same hall, seat after seat; past its capacity, tickets are unnumbered.
const HALL: readonly Seat[] = (() => {
  const sections = [
    { name: "Orchestre", rows: 18, seats: 24 },
    { name: "Corbeille", rows: 6, seats: 20 },
    { name: "Balcon", rows: 8, seats: 22 },
  ];
  const seats: Seat[] = [];
  for (const section of sections) {
    for (let row = 0; row < section.rows; row++) {
      const [categorie, cents] =
        section.name === "Balcon"
          ? ["Catégorie 3", 1900]
          : section.name === "Orchestre" && row < 10
            ? ["Catégorie 1", 3800]
            : ["Catégorie 2", 2900];
      for (let place = 1; place <= section.seats; place++) {
        seats.push({
          placement: `${section.name} - Rang ${String.fromCharCode(65 + row)} - Place ${place}`,
          categorie,
          cents,
        });
      }
    }
  }
  return seats;
})();

/** `"32,00"`: how the service writes a price. */
export function formatPrixTTC(cents: number): string {
  return (cents / 100).toFixed(2).replace(".", ",");
}

const prices = new Map<number, string>();
function prixTTC(seat: Seat, tarif: number): string {
  const key = seat.cents * TARIFS.length + tarif;
  let price = prices.get(key);
  if (price === undefined) {
    price = formatPrixTTC(Math.round((seat.cents * TARIFS[tarif].factor) / 50) * 50);
    prices.set(key, price);
  }
  return price;
}

/** A 13-digit number: séance (5 digits), rank in the séance (7 digits), EAN-13 check digit. */
export function numeroBillet(seanceNumber: number, rank: number): string {
  const body = String(seanceNumber).padStart(5, "0") + String(rank).padStart(7, "0");
  return body + checkDigit(body);
}

function checkDigit(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (twelve.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** Naive wall-clock arithmetic on `YYYY-MM-DDTHH:MM:SS` (Paris time has no offset in this API). */
function addMinutes(local: string, minutes: number): string {
  const [date, time = "00:00:00"] = local.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi, s = 0] = time.split(":").map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi + minutes, s)).toISOString().slice(0, 19);
}

/**
 * The simulator's data: venues, shows, séances and their billets, generated from a seed, plus
 * the changes a test makes. No randomness other than the seeded one.
 */
export class AparteStore {
  readonly organismeId: string;
  readonly apiKey: string;
  readonly lieux: AparteLieu[] = [];
  readonly spectacles: SpectacleState[] = [];
  private readonly seances = new Map<string, SeanceState>();
  private readonly seancesBySpectacle = new Map<string, SeanceState[]>();
  private readonly seed: number;
  private readonly firstDay: string;
  private nextSeanceNumber: number;
  private nextOrder = 1;
  private ticks = 0;

  constructor(options: AparteStoreOptions) {
    this.seed = options.seed;
    this.firstDay = options.firstDay;
    const random = new SeededRandom(mixSeed(options.seed, 1));
    this.organismeId = "1042";
    this.apiKey = `apk_${random.hex(24)}`;
    // Different seeds get different séance (hence billet) numbers, so two simulators never share one.
    this.nextSeanceNumber = 10001 + (Math.abs(options.seed * 1000) % 89000);

    const lieux = random
      .shuffle(LIEUX.map((l, i) => ({ ...l, id: String(101 + i) })))
      .slice(0, random.int(2, 3));
    const titres = random.shuffle(TITRES);
    let showIndex = 0;
    for (const lieu of lieux) {
      this.lieux.push({ idLieu: lieu.id, nom: lieu.nom, ville: lieu.ville });
      const shows = random.int(2, 3);
      for (let i = 0; i < shows; i++) {
        const spectacle: SpectacleState = {
          idSpectacle: String(2001 + showIndex),
          titre: titres[showIndex % titres.length],
          idLieu: lieu.id,
          unnumbered: lieu.unnumbered,
          minutes: 15 * random.int(6, 10),
        };
        this.spectacles.push(spectacle);
        this.seancesBySpectacle.set(spectacle.idSpectacle, []);
        const count = random.int(2, 4);
        for (let j = 0; j < count; j++) {
          // Spread over two weeks from firstDay, so that the default dates cross the end of summer time.
          const day = addMinutes(`${options.firstDay}T00:00:00`, (showIndex + 4 * j) * 24 * 60).slice(0, 10);
          const sunday = new Date(`${day}T00:00:00Z`).getUTCDay() === 0;
          const start = `${day}T${sunday ? "15:00:00" : random.pick(["20:00:00", "20:30:00"])}`;
          this.createSeance(spectacle, start, options.ticketsPerSeance, true);
        }
        showIndex++;
      }
    }
  }

  listSpectacles(): AparteSpectacle[] {
    return this.spectacles.map(({ idSpectacle, titre, idLieu }) => ({ idSpectacle, titre, idLieu }));
  }

  /** The séances of a show, or undefined for an unknown show. */
  listSeances(idSpectacle: string): AparteSeance[] | undefined {
    return this.seancesBySpectacle.get(idSpectacle)?.map((s) => ({ ...s.seance }));
  }

  /** Every séance, seeded or added, in creation order. */
  seanceInfos(): AparteSeanceInfo[] {
    return [...this.seances.values()].map((s) => this.info(s));
  }

  /** A séance's billets as they stand, or undefined for an unknown séance. */
  billets(idSeance: string): AparteBillet[] | undefined {
    const state = this.seances.get(idSeance);
    return state && this.slice(state, 0, state.etat.length);
  }

  /** One page of billets, or undefined for an unknown séance. */
  page(idSeance: string, offset: number, limit: number): AparteBilletsPage | undefined {
    const state = this.seances.get(idSeance);
    if (!state) return undefined;
    return { total: state.etat.length, offset, limit, billets: this.slice(state, offset, offset + limit) };
  }

  /** Sells `n` new VALIDE billets (in orders of 1 to 4) and returns their numbers. */
  sell(idSeance: string, n: number): string[] {
    const state = this.seances.get(idSeance);
    if (!state) throw new Error(`Unknown séance ${idSeance}`);
    if (!Number.isInteger(n) || n < 0) throw new Error(`Cannot sell ${n} billets`);
    const first = state.etat.length;
    while (state.etat.length < first + n)
      this.issueOrder(state, Math.min(state.random.int(1, 4), first + n - state.etat.length));
    return this.numbers(state, first, state.etat.length);
  }

  /** Marks a VALIDE billet ANNULE. */
  cancel(numero: string): void {
    const { state, rank } = this.locateValid(numero, "cancel");
    state.etat[rank] = ANNULE;
  }

  /** Marks a VALIDE billet REEDITE and issues its replacement (same seat and holder); returns the new number. */
  reissue(numero: string): string {
    const { state, rank } = this.locateValid(numero, "reissue");
    return numeroBillet(state.number, this.reissueBillet(state, rank));
  }

  /** A few sales on every seeded séance, and one cancellation on one of them (in turn). */
  tick(): AparteTickResult {
    const seeded = [...this.seances.values()].filter((s) => s.seeded);
    const sold: string[] = [];
    const cancelled: string[] = [];
    for (const state of seeded) sold.push(...this.sell(state.seance.idSeance, state.random.int(1, 3)));
    const target = seeded[this.ticks++ % seeded.length];
    if (target) {
      const count = target.etat.length;
      const start = target.random.int(0, count - 1);
      for (let k = 0; k < count; k++) {
        const rank = (start + k) % count;
        if (target.etat[rank] === VALIDE) {
          target.etat[rank] = ANNULE;
          cancelled.push(numeroBillet(target.number, rank));
          break;
        }
      }
    }
    return { sold, cancelled };
  }

  /**
   * Adds a séance with `tickets` billets (a few cancelled and re-issued among them) to a show
   * (the first one by default), the day after that show's last séance unless `dateDebut` says.
   */
  addSeance(options: { tickets: number; idSpectacle?: string; dateDebut?: string }): AparteSeanceInfo {
    const spectacle = options.idSpectacle
      ? this.spectacles.find((s) => s.idSpectacle === options.idSpectacle)
      : this.spectacles[0];
    if (!spectacle) throw new Error(`Unknown spectacle ${options.idSpectacle}`);
    if (!Number.isInteger(options.tickets) || options.tickets < 0)
      throw new Error(`Cannot add a séance of ${options.tickets} billets`);
    const siblings = this.seancesBySpectacle.get(spectacle.idSpectacle) ?? [];
    const last = siblings.at(-1)?.seance.dateDebut.slice(0, 10) ?? this.firstDay;
    const start = options.dateDebut ?? `${addMinutes(`${last}T00:00:00`, 24 * 60).slice(0, 10)}T20:30:00`;
    return this.info(this.createSeance(spectacle, start, options.tickets, false));
  }

  private createSeance(
    spectacle: SpectacleState,
    start: string,
    tickets: number,
    seeded: boolean,
  ): SeanceState {
    const number = this.nextSeanceNumber++;
    if (number > 99999) throw new Error("Too many séances for 5-digit séance numbers");
    const state: SeanceState = {
      seance: { idSeance: String(number), dateDebut: start, dateFin: addMinutes(start, spectacle.minutes) },
      spectacle,
      number,
      seat: [],
      tarif: [],
      etat: [],
      prenom: [],
      nom: [],
      commande: [],
      random: new SeededRandom(mixSeed(this.seed, number)),
      nextSeat: 0,
      seeded,
    };
    this.seances.set(state.seance.idSeance, state);
    this.seancesBySpectacle.get(spectacle.idSpectacle)?.push(state);
    const random = state.random;
    while (state.etat.length < tickets) {
      const first = this.issueOrder(state, Math.min(random.int(1, 4), tickets - state.etat.length));
      const end = state.etat.length;
      if (random.chance(0.03)) {
        state.etat.fill(ANNULE, first, end);
        continue;
      }
      for (let rank = first; rank < end; rank++)
        if (state.etat.length < tickets && random.chance(0.02)) this.reissueBillet(state, rank);
    }
    return state;
  }

  /** Appends an order's billets; returns the first one's rank. */
  private issueOrder(state: SeanceState, size: number): number {
    const random = state.random;
    const prenom = random.int(0, PRENOMS.length - 1);
    const nom = random.int(0, NOMS.length - 1);
    const commande = this.nextOrder++;
    const first = state.etat.length;
    const numbered = !state.spectacle.unnumbered;
    for (let k = 0; k < size; k++) {
      const roll = random.next();
      let tarif = 0;
      while (roll >= TARIFS[tarif].below) tarif++;
      state.seat.push(numbered && state.nextSeat < HALL.length ? state.nextSeat++ : -1);
      state.tarif.push(tarif);
      state.etat.push(VALIDE);
      state.prenom.push(prenom);
      state.nom.push(nom);
      state.commande.push(commande);
    }
    return first;
  }

  /** Marks a billet REEDITE and appends its replacement; returns the replacement's rank. */
  private reissueBillet(state: SeanceState, rank: number): number {
    state.etat[rank] = REEDITE;
    state.seat.push(state.seat[rank]);
    state.tarif.push(state.tarif[rank]);
    state.etat.push(VALIDE);
    state.prenom.push(state.prenom[rank]);
    state.nom.push(state.nom[rank]);
    state.commande.push(state.commande[rank]);
    return state.etat.length - 1;
  }

  private slice(state: SeanceState, from: number, to: number): AparteBillet[] {
    const end = Math.min(to, state.etat.length);
    const billets: AparteBillet[] = [];
    for (let rank = from; rank < end; rank++) {
      const seat = state.seat[rank] < 0 ? UNNUMBERED : HALL[state.seat[rank]];
      billets.push({
        numeroBillet: numeroBillet(state.number, rank),
        etat: ETATS[state.etat[rank]],
        categorie: seat.categorie,
        tarif: TARIFS[state.tarif[rank]].tarif,
        prixTTC: prixTTC(seat, state.tarif[rank]),
        placement: seat.placement,
        nom: NOMS[state.nom[rank]],
        prenom: PRENOMS[state.prenom[rank]],
        numeroCommande: String(30000000 + state.commande[rank]),
      });
    }
    return billets;
  }

  private numbers(state: SeanceState, from: number, to: number): string[] {
    const numbers: string[] = [];
    for (let rank = from; rank < to; rank++) numbers.push(numeroBillet(state.number, rank));
    return numbers;
  }

  private locateValid(numero: string, action: string): { state: SeanceState; rank: number } {
    const state = /^\d{13}$/.test(numero) ? this.seances.get(String(Number(numero.slice(0, 5)))) : undefined;
    const rank = Number(numero.slice(5, 12));
    if (!state || rank >= state.etat.length || numeroBillet(state.number, rank) !== numero)
      throw new Error(`Unknown billet ${numero}`);
    if (state.etat[rank] !== VALIDE)
      throw new Error(`Cannot ${action} billet ${numero}: it is ${ETATS[state.etat[rank]]}`);
    return { state, rank };
  }

  private info(state: SeanceState): AparteSeanceInfo {
    return {
      ...state.seance,
      idSpectacle: state.spectacle.idSpectacle,
      idLieu: state.spectacle.idLieu,
      total: state.etat.length,
    };
  }
}
