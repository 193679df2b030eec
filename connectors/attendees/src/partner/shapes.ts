import { ConnectorError } from "@billetix/connector-sdk";
import { parseParisLocal } from "../paris-time";

/** A participant as the partner sends it (`full=1`), after the checks of {@link readParticipantsPage}. */
export interface RawParticipant {
  id_participant: number | string;
  barcode: string;
  id_event?: number | string;
  id_date?: number | string | null;
  category?: { name?: string } | null;
  rate?: { name?: string; price?: number } | null;
  seat?: { zone?: string | number; row?: string | number; seat?: string | number } | null;
  owner?: { first_name?: string; last_name?: string; email?: string } | null;
  refunded: boolean;
  deleted: boolean;
  transfered_from?: string | null;
  update_date?: string;
  create_date?: string;
}

export interface ParticipantsPage {
  participants: RawParticipant[];
  lastPage: number;
  /** The partner's clock when it served the page, "YYYY-MM-DD HH:MM:SS" Paris time. */
  serverTime: string;
}

export interface RawEvent {
  id: number | string;
  name: string;
  date?: { start?: string; end?: string } | null;
  venue?: { id?: number | string; name?: string } | null;
}

export interface RawDate {
  id: number | string;
  start: string;
  end?: string | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown) =>
  (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && v !== "");
const optionalObject = (v: unknown) => v === undefined || v === null || isObject(v);
const optionalText = (v: unknown) => v === undefined || v === null || typeof v === "string";
const optionalScalar = (v: unknown) => optionalText(v) || typeof v === "number";

/** What is wrong with one participant, in French, or undefined when it has the expected shape. */
function participantProblem(p: unknown): string | undefined {
  if (!isObject(p)) return "ce n'est pas un objet";
  if (!isId(p.id_participant)) return "« id_participant » manque";
  if (typeof p.barcode !== "string" || !p.barcode.trim()) return "« barcode » manque ou est vide";
  if (typeof p.refunded !== "boolean") return "« refunded » n'est pas vrai/faux";
  if (typeof p.deleted !== "boolean") return "« deleted » n'est pas vrai/faux";
  if (!optionalText(p.transfered_from)) return "« transfered_from » n'est pas un code-barres";
  if (!optionalObject(p.category) || !optionalText((p.category as Json | null)?.name))
    return "« category » n'a pas de nom lisible";
  if (!optionalObject(p.rate)) return "« rate » n'est pas un objet";
  const price = (p.rate as Json | null)?.price;
  if (
    price !== undefined &&
    price !== null &&
    !(typeof price === "number" && Number.isFinite(price) && price >= 0)
  )
    return "« rate.price » n'est pas un prix";
  if (!optionalObject(p.owner)) return "« owner » n'est pas un objet";
  const owner = p.owner as Json | null | undefined;
  if (!optionalText(owner?.first_name) || !optionalText(owner?.last_name) || !optionalText(owner?.email))
    return "« owner » a des champs qui ne sont pas du texte";
  if (!optionalObject(p.seat)) return "« seat » n'est pas un objet";
  const seat = p.seat as Json | null | undefined;
  if (!optionalScalar(seat?.zone) || !optionalScalar(seat?.row) || !optionalScalar(seat?.seat))
    return "« seat » a des champs illisibles";
  return undefined;
}

/**
 * Checks one page of `GET /v3/participants` and returns what the sync needs. Throws a
 * `bad-response` ConnectorError naming the page (and the participant) when the shape is not the API's.
 */
export function readParticipantsPage(body: unknown, page: number, where: string): ParticipantsPage {
  const fail = (problem: string) =>
    new ConnectorError(
      "bad-response",
      `Le service ${where} a renvoyé une page ${page} des participants inattendue : ${problem}.`,
    );
  if (!isObject(body)) throw fail("la réponse n'est pas un objet JSON");
  if (!Array.isArray(body.participants)) throw fail("la liste « participants » manque");
  const pagination = body.pagination;
  if (
    !isObject(pagination) ||
    !Number.isInteger(pagination.last_page) ||
    (pagination.last_page as number) < 0
  )
    throw fail("« pagination.last_page » manque");
  if (typeof body.server_time !== "string" || !parseParisLocal(body.server_time))
    throw fail("« server_time » manque ou n'est pas une date AAAA-MM-JJ HH:MM:SS");
  body.participants.forEach((p, i) => {
    const problem = participantProblem(p);
    if (problem) throw fail(`le participant n° ${i + 1} de la page est illisible (${problem})`);
  });
  return {
    participants: body.participants as RawParticipant[],
    lastPage: pagination.last_page as number,
    serverTime: body.server_time,
  };
}

/** Checks `GET /v3/events`. */
export function readEvents(body: unknown, where: string): RawEvent[] {
  const fail = (problem: string) =>
    new ConnectorError(
      "bad-response",
      `Le service ${where} a renvoyé une liste d'événements inattendue : ${problem}.`,
    );
  if (!isObject(body) || !Array.isArray(body.events)) throw fail("la liste « events » manque");
  body.events.forEach((e, i) => {
    if (!isObject(e) || !isId(e.id)) throw fail(`l'événement n° ${i + 1} n'a pas d'identifiant`);
    if (typeof e.name !== "string") throw fail(`l'événement ${String(e.id)} n'a pas de nom`);
    if (!optionalObject(e.venue) || !optionalObject(e.date))
      throw fail(`l'événement ${String(e.id)} est illisible`);
  });
  return body.events as RawEvent[];
}

/** Checks `GET /v3/events/{id}/dates`. */
export function readDates(body: unknown, eventId: string, where: string): RawDate[] {
  const fail = (problem: string) =>
    new ConnectorError(
      "bad-response",
      `Le service ${where} a renvoyé des dates inattendues pour l'événement ${eventId} : ${problem}.`,
    );
  if (!isObject(body) || !Array.isArray(body.dates)) throw fail("la liste « dates » manque");
  body.dates.forEach((d, i) => {
    if (!isObject(d) || !isId(d.id)) throw fail(`la date n° ${i + 1} n'a pas d'identifiant`);
    if (typeof d.start !== "string" || !parseParisLocal(d.start))
      throw fail(`la date ${String(d.id)} n'a pas de début AAAA-MM-JJ HH:MM:SS`);
  });
  return body.dates as RawDate[];
}
