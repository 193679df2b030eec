import type { ObjectId } from "@mikro-orm/mongodb";
import type { Collection, Document } from "mongodb";

/** How long a reservation counts as in flight; past that its request is taken for dead. */
export const PENDING_REVISION_TTL_MS = 60_000;

/**
 * Revisions are reserved before the tickets carrying them are written. Each reservation is listed
 * on the performance as pending (`{id, from, at}`) in the same atomic update, until its request
 * has written its tickets; a download reads {@link completeRevision}, never past a ticket change
 * still in flight, so the next delta cannot miss it.
 */
export async function reserveRevisions(
  performances: Collection<Document>,
  performanceId: ObjectId,
  count: number,
  requestId: ObjectId,
  now: Date,
): Promise<number> {
  const reserved = await performances.findOneAndUpdate(
    { _id: performanceId },
    [
      {
        $set: {
          pendingRevisions: {
            $concatArrays: [
              { $ifNull: ["$pendingRevisions", []] },
              [{ id: requestId, from: { $add: ["$revision", 1] }, at: now }],
            ],
          },
          revision: { $add: ["$revision", count] },
        },
      },
    ],
    { returnDocument: "after", projection: { revision: 1 } },
  );
  if (!reserved) throw new Error(`performance ${performanceId} vanished while scanning`);
  return reserved.revision as number;
}

/** The update clause that ends a request's reservations (its tickets are written). */
export function endReservations(requestId: ObjectId): Document {
  return { $pull: { pendingRevisions: { id: requestId } } };
}

/** The revision up to which every ticket change is written: where a download may say it is. */
export async function completeRevision(
  performances: Collection<Document>,
  performanceId: ObjectId,
  now: Date,
): Promise<number> {
  const doc = await performances.findOne(
    { _id: performanceId },
    { projection: { revision: 1, pendingRevisions: 1 } },
  );
  const live = ((doc?.pendingRevisions ?? []) as { from: number; at: Date }[]).filter(
    (p) => now.getTime() - p.at.getTime() < PENDING_REVISION_TTL_MS,
  );
  const revision = (doc?.revision as number | undefined) ?? 0;
  return live.length ? Math.min(revision, ...live.map((p) => p.from - 1)) : revision;
}

/** Drops the reservations of requests that died before writing their tickets. */
export async function clearStaleReservations(performances: Collection<Document>, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - PENDING_REVISION_TTL_MS);
  await performances.updateMany({ "pendingRevisions.at": { $lt: cutoff } }, {
    $pull: { pendingRevisions: { at: { $lt: cutoff } } },
  } as Document);
}
