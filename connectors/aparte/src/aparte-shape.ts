import {
  type ResponseItem,
  responseShape,
  type TicketRecord,
  type TicketRecordState,
} from "@billetix/connector-sdk";
import type { AparteEtat, AparteLieu, AparteSeance, AparteSpectacle } from "./aparte-api";

/**
 * Checks the partner's answers before anything is imported: a page that does not follow the
 * API stops the sync with `bad-response` and says where, rather than importing half of it.
 */

type Item = ResponseItem;

const STATES: Record<AparteEtat, TicketRecordState> = {
  VALIDE: "valid",
  ANNULE: "cancelled",
  REEDITE: "duplicated",
};

const { problem: shapeError, isItem, list, id, text } = responseShape("Aparté");

/** `body[key]` as a list of objects. */
function listOf(body: unknown, key: string, what: string): Item[] {
  if (!isItem(body)) throw shapeError(what, `« ${key} » n'est pas une liste`);
  return list(body[key], what, `« ${key} »`);
}

/**
 * `"32,00"` → 32, also `"1 234,50"`, `"32.5"` and `32`; undefined for an empty or unreadable price.
 *
 * @example
 * parsePrixTTC("32,00"); // 32
 */
export function parsePrixTTC(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const compact = value.replace(/[\s\u00a0\u202f€]/g, "");
  if (!/^-?\d+([,.]\d+)?$/.test(compact)) return undefined;
  return Number(compact.replace(",", "."));
}

export function checkLieux(body: unknown, what: string): AparteLieu[] {
  return listOf(body, "lieux", what).map((item, i) => {
    const at = `lieu n° ${i + 1}`;
    return {
      idLieu: id(item, "idLieu", what, at),
      nom: text(item, "nom", what, at),
      ville: text(item, "ville", what, at),
    };
  });
}

export function checkSpectacles(body: unknown, what: string): AparteSpectacle[] {
  return listOf(body, "spectacles", what).map((item, i) => {
    const at = `spectacle n° ${i + 1}`;
    return {
      idSpectacle: id(item, "idSpectacle", what, at),
      titre: text(item, "titre", what, at),
      idLieu: text(item, "idLieu", what, at),
    };
  });
}

/** Séances with their dates as sent (Paris time without offset). */
export function checkSeances(body: unknown, what: string): AparteSeance[] {
  return listOf(body, "seances", what).map((item, i) => {
    const at = `séance n° ${i + 1}`;
    const idSeance = id(item, "idSeance", what, at);
    const dateDebut = text(item, "dateDebut", what, `séance « ${idSeance} »`);
    if (!dateDebut) throw shapeError(what, `séance « ${idSeance} » : « dateDebut » manque`);
    return { idSeance, dateDebut, dateFin: text(item, "dateFin", what, `séance « ${idSeance} »`) };
  });
}

/** One billets page, checked, with its billets already mapped to ticket records. */
export interface CheckedPage {
  total: number;
  records: TicketRecord[];
  /** `numeroBillet:etat` of each billet, for the content hash given to `checkpoint`. */
  fingerprints: string[];
}

/**
 * Checks a page of `GET …/seances/{idSeance}/billets` asked at `offset`, and maps its billets:
 * VALIDE → valid, ANNULE → cancelled, REEDITE → duplicated; `"32,00"` → 32; `placement` → seat;
 * `"Prénom Nom"` → holder; `categorie` → category; `tarif` and `numeroCommande` → extra.
 */
export function checkBilletsPage(body: unknown, offset: number, what: string): CheckedPage {
  if (!isItem(body)) throw shapeError(what, "la réponse n'est pas un objet");
  const total = body.total;
  if (typeof total !== "number" || !Number.isInteger(total) || total < 0)
    throw shapeError(what, "« total » n'est pas un nombre entier");
  if (body.offset !== undefined && body.offset !== offset)
    throw shapeError(what, `la page commence à l'offset ${String(body.offset)} au lieu de ${offset}`);
  const billets = listOf(body, "billets", what);
  if (billets.length === 0 && offset < total)
    throw shapeError(what, `page vide alors que « total » annonce ${total} billets`);
  const records: TicketRecord[] = [];
  const fingerprints: string[] = [];
  billets.forEach((item, i) => {
    const raw = item.numeroBillet;
    if (typeof raw !== "string" || !raw.trim())
      throw shapeError(what, `billet n° ${offset + i + 1} : « numeroBillet » manque ou n'est pas un texte`);
    const barcode = raw.trim();
    const at = `billet « ${barcode} »`;
    const etat = item.etat;
    if (typeof etat !== "string" || !Object.hasOwn(STATES, etat))
      throw shapeError(what, `${at} : état « ${String(etat)} » inconnu (VALIDE, ANNULE ou REEDITE attendu)`);
    const prix = text(item, "prixTTC", what, at);
    const price = parsePrixTTC(prix);
    if (prix && price === undefined) throw shapeError(what, `${at} : prix « ${prix} » illisible`);
    const holder = [text(item, "prenom", what, at), text(item, "nom", what, at)].filter(Boolean).join(" ");
    const seat = text(item, "placement", what, at);
    const category = text(item, "categorie", what, at);
    const extra: Record<string, string> = {};
    const tarif = text(item, "tarif", what, at);
    const numeroCommande = text(item, "numeroCommande", what, at);
    if (tarif) extra.tarif = tarif;
    if (numeroCommande) extra.numeroCommande = numeroCommande;
    records.push({
      barcode,
      state: STATES[etat as AparteEtat],
      ...(category ? { category } : {}),
      ...(holder ? { holderName: holder } : {}),
      ...(seat ? { seat } : {}),
      ...(price === undefined ? {} : { price }),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    });
    fingerprints.push(`${barcode}:${etat}`);
  });
  return { total, records, fingerprints };
}
