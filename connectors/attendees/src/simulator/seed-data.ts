export interface SeedCategory {
  name: string;
  rates: { name: string; price: number }[];
  /** Standing categories have no seat. */
  seated: boolean;
}

export const CATEGORIES: readonly SeedCategory[] = [
  {
    name: "Cat 1 > Or",
    rates: [
      { name: "Plein tarif", price: 59 },
      { name: "Tarif réduit", price: 49.5 },
    ],
    seated: true,
  },
  {
    name: "Cat 2 > Argent",
    rates: [
      { name: "Plein tarif", price: 39 },
      { name: "Tarif réduit", price: 32.5 },
    ],
    seated: true,
  },
  {
    name: "Fosse > Debout",
    rates: [
      { name: "Plein tarif", price: 29 },
      { name: "Early bird", price: 22 },
    ],
    seated: false,
  },
];

export const FIRST_NAMES = [
  "Camille",
  "Léa",
  "Manon",
  "Chloé",
  "Inès",
  "Jade",
  "Louise",
  "Zoé",
  "Hugo",
  "Lucas",
  "Théo",
  "Nathan",
  "Louis",
  "Jules",
  "Gabriel",
  "Raphaël",
  "Noémie",
  "Amélie",
  "Mathis",
  "Élodie",
] as const;

export const LAST_NAMES = [
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
  "David",
  "Bertrand",
  "Roux",
  "Vincent",
  "Fournier",
] as const;

/** The seeded catalogue: days and local hours are relative to the simulator's start day. */
export interface SeedEvent {
  name: string;
  venue: string;
  /** Each date: days after the start day, local start hour, length in hours. */
  dates: { day: number; hour: number; hours: number }[];
}

export const SEED_EVENTS: readonly SeedEvent[] = [
  {
    name: "Nuits Sonores",
    venue: "Les Subsistances",
    dates: [
      { day: 40, hour: 18, hours: 8 },
      { day: 41, hour: 18, hours: 8 },
      { day: 42, hour: 18, hours: 8 },
    ],
  },
  {
    name: "Woodstower",
    venue: "Grand Parc Miribel Jonage",
    dates: [
      { day: 100, hour: 16, hours: 9 },
      { day: 101, hour: 16, hours: 9 },
    ],
  },
  { name: "Synapson (live)", venue: "Transbordeur", dates: [{ day: 12, hour: 20, hours: 3 }] },
  {
    name: "Jazz à Vienne : soirée d'ouverture",
    venue: "Théâtre antique de Vienne",
    dates: [{ day: 70, hour: 20, hours: 4 }],
  },
  { name: "Kettama, Fenrick, Bella", venue: "Le Sucre", dates: [{ day: 25, hour: 23, hours: 6 }] },
];

const asciiCache = new Map<string, string>();

/** Lower-case ASCII for e-mail addresses ("Élodie" → "elodie"); remembered, as the names repeat. */
export function asciiLower(text: string): string {
  let ascii = asciiCache.get(text);
  if (ascii === undefined) {
    ascii = text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
    asciiCache.set(text, ascii);
  }
  return ascii;
}
