import type { TicketRecord } from "@billetix/connector-sdk";
import type { RawParticipant } from "./partner/shapes";

const text = (v: unknown): string => (v === undefined || v === null ? "" : String(v).trim());

/** "Prénom Nom", or undefined when the partner has neither. */
export function holderName(owner: RawParticipant["owner"]): string | undefined {
  return [text(owner?.first_name), text(owner?.last_name)].filter(Boolean).join(" ") || undefined;
}

/** "Zone A, rang 3, place 12" (the parts the partner gives), or undefined for a standing ticket. */
export function seatLabel(seat: RawParticipant["seat"]): string | undefined {
  if (!seat) return undefined;
  const parts = [
    text(seat.zone) && `Zone ${text(seat.zone)}`,
    text(seat.row) && `rang ${text(seat.row)}`,
    text(seat.seat) && `place ${text(seat.seat)}`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : undefined;
}

/** One participant as a ticket record: refunded or deleted ones are cancelled. */
export function toTicketRecord(p: RawParticipant): TicketRecord {
  const extra: Record<string, string> = { "N° participant": text(p.id_participant) };
  if (text(p.rate?.name)) extra.Tarif = text(p.rate?.name);
  if (text(p.owner?.email)) extra["E-mail"] = text(p.owner?.email);
  const record: TicketRecord = {
    barcode: p.barcode.trim(),
    state: p.refunded || p.deleted ? "cancelled" : "valid",
    extra,
  };
  const category = text(p.category?.name);
  if (category) record.category = category;
  const holder = holderName(p.owner);
  if (holder) record.holderName = holder;
  const seat = seatLabel(p.seat);
  if (seat) record.seat = seat;
  if (typeof p.rate?.price === "number") record.price = p.rate.price;
  return record;
}

/** Cancelled records held back per sync; past this many, they are sent at once (a transfer's old one as cancelled). */
const MAX_HELD = 50_000;

/**
 * Turns a sync's participants into records, each barcode once, and makes a barcode that a
 * transfer replaced (named by another participant's `transfered_from`) come out `duplicated`
 * when the partner lists it, whichever of the two rows comes first. The partner deletes the
 * old row at the transfer, so cancelled rows are held back until {@link finish}: by then the
 * sync has seen every transfer that names them.
 */
export class ParticipantMapper {
  private readonly held = new Map<string, TicketRecord>();
  private readonly replaced = new Set<string>();

  /** The records to yield now for one participant (none when it is held back). */
  map(p: RawParticipant): TicketRecord[] {
    const record = toTicketRecord(p);
    const old = text(p.transfered_from);
    if (old && old !== record.barcode) this.replaced.add(old);
    if (this.replaced.has(record.barcode)) record.state = "duplicated";
    else if (record.state === "cancelled" && (this.held.has(record.barcode) || this.held.size < MAX_HELD)) {
      this.held.set(record.barcode, record);
      return [];
    }
    return [record];
  }

  /** The held-back cancelled records, those a transfer replaced as duplicated: to yield at the end of the sync. */
  finish(): TicketRecord[] {
    const out = [...this.held.values()].map((r) =>
      this.replaced.has(r.barcode) ? { ...r, state: "duplicated" as const } : r,
    );
    this.held.clear();
    return out;
  }
}
