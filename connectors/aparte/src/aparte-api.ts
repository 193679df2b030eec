/**
 * The Aparté-style web service's JSON shapes, shared by the connector (which checks them) and
 * the simulator (which serves them). Field names are the partner's, in French.
 */

/** A venue: `GET /v1/organismes/{organismeId}/lieux` → `{ lieux: AparteLieu[] }`. */
export interface AparteLieu {
  idLieu: string;
  nom: string;
  ville: string;
}

/** A show: `GET …/spectacles` → `{ spectacles: AparteSpectacle[] }`. */
export interface AparteSpectacle {
  idSpectacle: string;
  titre: string;
  idLieu: string;
}

/**
 * A session of a show: `GET …/spectacles/{idSpectacle}/seances` → `{ seances: AparteSeance[] }`.
 * Dates are Paris wall-clock time without an offset, e.g. `"2025-10-25T20:30:00"`.
 */
export interface AparteSeance {
  idSeance: string;
  dateDebut: string;
  dateFin: string;
}

/** `VALIDE`: admits; `ANNULE`: cancelled; `REEDITE`: replaced by a newly printed ticket. */
export type AparteEtat = "VALIDE" | "ANNULE" | "REEDITE";

export const APARTE_ETATS: readonly AparteEtat[] = ["VALIDE", "ANNULE", "REEDITE"];

/** A ticket, as listed by `GET …/seances/{idSeance}/billets`. */
export interface AparteBillet {
  numeroBillet: string;
  etat: AparteEtat;
  categorie: string;
  tarif: string;
  /** Price including VAT, French decimal comma: `"32,00"`. */
  prixTTC: string;
  /** `"Orchestre - Rang F - Place 12"`, or `""` for unnumbered seating. */
  placement: string;
  nom: string;
  prenom: string;
  numeroCommande: string;
}

/** One page of `GET …/seances/{idSeance}/billets?offset=N&limit=M`. */
export interface AparteBilletsPage {
  total: number;
  offset: number;
  limit: number;
  billets: AparteBillet[];
}

/** The largest `limit` the service accepts on the billets endpoint. */
export const APARTE_MAX_LIMIT = 2000;
