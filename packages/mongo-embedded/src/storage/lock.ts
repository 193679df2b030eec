import { linkSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StorageError } from "./file-format";

export const LOCK_FILE_NAME = "billetix.lock";

/** Folders locked by this process: a second open in the same process is refused too. */
const heldHere = new Set<string>();

export interface DirLock {
  readonly path: string;
  release(): void;
}

interface Holder {
  pid: number;
  /** Process start time (Linux /proc), to notice a pid reused by another process. */
  startTime?: string;
}

/**
 * Takes the data folder's lock: a file holding the owner's pid (and start time where known).
 * A lock left by a process that no longer runs is taken over. The file is created with its
 * content in one step (hard link of a temporary file), so a reader never sees it half written.
 */
export function acquireLock(dir: string, log: (msg: string) => void): DirLock {
  const path = join(dir, LOCK_FILE_NAME);
  const key = realpathSync(dir);
  if (heldHere.has(key)) throw new StorageError(`${dir} is already open in this process (lock ${path})`);
  const content = `${process.pid}\n${startTimeOf(process.pid) ?? ""}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, content)) {
      heldHere.add(key);
      return { path, release: () => release(path, key, content) };
    }
    const holder = readHolder(path);
    if (holder === undefined) continue; // removed meanwhile: try again
    if (isRunning(holder)) {
      throw new StorageError(
        `${dir} is in use by process ${holder.pid} (lock file ${path}). Stop that server first; ` +
          "if no Billetix server runs with that pid, delete the lock file.",
      );
    }
    log(`taking over the stale lock ${path}: process ${holder.pid} is no longer running`);
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  throw new StorageError(`could not take the lock ${path}: it keeps changing hands`);
}

function tryCreate(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function readHolder(path: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const [pidText, startTime] = text.split("\n");
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    throw new StorageError(
      `${path} does not hold a process id (${JSON.stringify(text.slice(0, 40))}); delete it`,
    );
  }
  return { pid, startTime: startTime || undefined };
}

function isRunning(holder: Holder): boolean {
  // Our own pid here means a previous process that had the same pid (say, pid 1 in a
  // container): this process does not hold the lock, `heldHere` said so.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    // EPERM: it runs, under another user.
  }
  const startTime = startTimeOf(holder.pid);
  return !(holder.startTime && startTime && startTime !== holder.startTime);
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function release(path: string, key: string, content: string): void {
  if (!heldHere.delete(key)) return;
  try {
    if (readFileSync(path, "utf8") === content) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}
