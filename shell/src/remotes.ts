import { REMOTES, type RemoteManifest, type RemoteName, remoteEntryUrl } from "@billetix/web-contract";
import { loadRemote, registerRemotes } from "@module-federation/enhanced/runtime";

export type RemoteState =
  | { status: "loading" }
  | { status: "ready"; manifest: RemoteManifest }
  | { status: "failed"; error: string };

let registered = false;

/** Tells the Module Federation runtime where each remote's entry is (served by the gateway). */
function register(force: boolean, names: readonly RemoteName[] = REMOTES): void {
  registerRemotes(
    names.map((name) => ({ name, entry: remoteEntryUrl(name, window.location.origin) })),
    { force },
  );
}

/**
 * Loads `<name>/manifest` (its default export). `retry` re-registers the remote first, so the
 * runtime forgets a failed entry script and fetches it again.
 */
export async function loadManifest(name: RemoteName, retry = false): Promise<RemoteManifest> {
  if (!registered) {
    register(false);
    registered = true;
  } else if (retry) {
    register(true, [name]);
  }
  const module = await loadRemote<{ default: RemoteManifest } | RemoteManifest>(`${name}/manifest`);
  const manifest = module && "default" in module ? module.default : module;
  if (!manifest || !Array.isArray(manifest.pages)) throw new Error(`${name}/manifest has no pages`);
  return manifest;
}
