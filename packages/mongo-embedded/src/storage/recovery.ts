import { readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import {
  fsyncDirSync,
  HEADER_SIZE,
  journalFileName,
  parseFileName,
  StorageError,
  snapshotFileName,
  TMP_SUFFIX,
} from "./file-format";
import { replayJournal } from "./journal";
import { replaySnapshot, verifySnapshot } from "./snapshot";
import type { StorageOp } from "./storage-op";

export interface Recovered {
  /** Newest journal (appends continue there), or undefined in an empty folder. */
  journal?: { seq: number; size: number };
  snapshot?: { seq: number; mtimeMs: number; docs: number; bytes: number };
  journalRecords: number;
  journalOps: number;
  tornBytes: number;
}

/**
 * Brings the state back: the newest intact snapshot whose following journals are all present
 * (none: every journal from the first), then those journals in order. Runs synchronously: the
 * server serves nothing before it is done, and it keeps the replay loop free of promises.
 */
export function recover(dir: string, apply: (op: StorageOp) => void, log: (msg: string) => void): Recovered {
  const journals: number[] = [];
  const snapshots: number[] = [];
  for (const name of readdirSync(dir)) {
    if (name.endsWith(TMP_SUFFIX)) {
      // A journal or snapshot that was never renamed into place: never part of the state.
      if (parseFileName(name.slice(0, -TMP_SUFFIX.length))) {
        unlinkSync(join(dir, name));
        log(`removed the unfinished file ${name}`);
      }
      continue;
    }
    const parsed = parseFileName(name);
    if (parsed?.kind === "journal") journals.push(parsed.seq);
    else if (parsed?.kind === "snapshot") snapshots.push(parsed.seq);
  }
  journals.sort((a, b) => a - b);
  snapshots.sort((a, b) => b - a);

  const base = chooseBase(dir, journals, snapshots, log);
  const recovered: Recovered = { journalRecords: 0, journalOps: 0, tornBytes: 0 };
  if (base !== undefined) {
    const path = join(dir, snapshotFileName(base));
    const summary = replaySnapshot(path, apply);
    const { mtimeMs, size } = statSync(path);
    recovered.snapshot = { seq: base, mtimeMs, docs: summary.docs, bytes: size };
  }
  const toReplay = journals.filter((seq) => seq >= (base ?? 0));
  const sizes = toReplay.map((seq) => statSync(join(dir, journalFileName(seq))).size);
  for (const [i, seq] of toReplay.entries()) {
    // A torn tail is a crash mid-write, so only in the last journal written to: later ones
    // may exist (created by a rotation) but must be empty.
    const tailAllowed = sizes.slice(i + 1).every((size) => size <= HEADER_SIZE);
    const replay = replayJournal(join(dir, journalFileName(seq)), apply, tailAllowed);
    recovered.journalRecords += replay.records;
    recovered.journalOps += replay.ops;
    if (replay.torn) {
      recovered.tornBytes += replay.torn.bytes;
      log(
        `${journalFileName(seq)}: dropped a torn tail of ${replay.torn.bytes} bytes at offset ${replay.torn.offset} ` +
          `(${replay.torn.reason}); it was never acknowledged`,
      );
    }
    if (i === toReplay.length - 1) recovered.journal = { seq, size: replay.size };
  }

  // Files older than the base are superseded (a crash came between a snapshot and their removal).
  const stale = [
    ...journals.filter((seq) => base !== undefined && seq < base).map(journalFileName),
    ...snapshots.filter((seq) => base !== undefined && seq < base).map(snapshotFileName),
  ];
  for (const name of stale) unlinkSync(join(dir, name));
  if (stale.length > 0) {
    fsyncDirSync(dir);
    log(`removed superseded files: ${stale.join(", ")}`);
  }
  return recovered;
}

/** The snapshot to start from (undefined: none, replay from journal 1); throws when no start is complete. */
function chooseBase(
  dir: string,
  journals: number[],
  snapshotsNewestFirst: number[],
  log: (msg: string) => void,
): number | undefined {
  const problems: string[] = [];
  const chainFrom = (first: number): string | undefined => {
    const chain = journals.filter((seq) => seq >= first);
    if (chain[0] !== first) return `${journalFileName(first)} is missing`;
    for (let i = 1; i < chain.length; i++) {
      if (chain[i] !== chain[i - 1] + 1) return `${journalFileName(chain[i - 1] + 1)} is missing`;
    }
    return undefined;
  };
  for (const seq of snapshotsNewestFirst) {
    const name = snapshotFileName(seq);
    try {
      verifySnapshot(join(dir, name));
    } catch (err) {
      // Damage may fall back to an older start; an unknown format or version never does.
      if (err instanceof StorageError && !err.unsupported) {
        problems.push(err.message);
        log(`skipping ${name}: ${err.message}`);
        continue;
      }
      throw err;
    }
    const gap = chainFrom(seq);
    if (gap === undefined) return seq;
    problems.push(`${name} is intact but ${gap}`);
    log(`skipping ${name}: ${gap}`);
  }
  if (journals.length === 0 && snapshotsNewestFirst.length === 0) return undefined;
  const gap = journals.length === 0 ? "there is no journal" : chainFrom(1);
  if (gap === undefined) return undefined;
  problems.push(`without a snapshot, every journal from ${journalFileName(1)} is needed, but ${gap}`);
  throw new StorageError(`${dir}: no complete starting point to recover from: ${problems.join("; ")}`);
}
