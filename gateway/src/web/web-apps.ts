import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import express, { type Express, type Response } from "express";
import type { Logger } from "pino";

/** Where the built web apps are: the shell's folder and one folder per remote. */
export interface WebAppFolders {
  shell?: string;
  remotes: Record<string, string>;
}

/** The repository root, from `gateway/src/web` (tests) as from `gateway/dist/web` (npm start). */
const REPOSITORY_ROOT = path.resolve(__dirname, "../../..");

/** Paths that belong to the API: never answered with the shell's index.html. */
const API_PREFIXES = ["/graphql", "/api/", "/exports/", "/health", "/mfe/"];

/** Files a browser must check at every load: the entry points that name the hashed files. */
const ENTRY_FILES = new Set([
  "index.html",
  "remoteEntry.js",
  "mf-manifest.json",
  "sw.js",
  "manifest.webmanifest",
]);

/** rspack's `[contenthash]` in a file name, e.g. `main.3f9a1c2b.js`. */
const HASHED_FILE = /\.[0-9a-f]{8,}\.[a-z0-9]+$/i;

const REMOTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Finds the built apps. Without `webRoot`: `shell/dist` and every `mfe-<name>/dist` of the
 * repository. With `webRoot` (`WEB_ROOT`), a folder laid out as served: the shell at its top,
 * each remote in `mfe/<name>/`.
 *
 * @example
 * locateWebApps("/srv/billetix-web") // { shell: "/srv/billetix-web", remotes: { backoffice: "/srv/billetix-web/mfe/backoffice" } }
 */
export function locateWebApps(webRoot?: string): WebAppFolders {
  const remotes: Record<string, string> = {};
  if (webRoot) {
    const root = path.resolve(webRoot);
    const mfe = path.join(root, "mfe");
    for (const name of listDirs(mfe)) if (REMOTE_NAME.test(name)) remotes[name] = path.join(mfe, name);
    return { shell: existsSync(path.join(root, "index.html")) ? root : undefined, remotes };
  }
  for (const dir of listDirs(REPOSITORY_ROOT)) {
    const name = dir.slice("mfe-".length);
    const dist = path.join(REPOSITORY_ROOT, dir, "dist");
    if (dir.startsWith("mfe-") && REMOTE_NAME.test(name) && existsSync(path.join(dist, "remoteEntry.js")))
      remotes[name] = dist;
  }
  const shell = path.join(REPOSITORY_ROOT, "shell", "dist");
  return { shell: existsSync(path.join(shell, "index.html")) ? shell : undefined, remotes };
}

/**
 * Serves the shell at `/` (index.html for every app route) and each remote at `/mfe/<name>/`.
 * Mount it after the API routes: it answers what they did not.
 */
export function mountWebApps(app: Express, folders: WebAppFolders, log: Logger): void {
  const names = Object.keys(folders.remotes);
  log.info({ shell: folders.shell ?? null, remotes: names }, "web apps served");
  if (!folders.shell) log.warn("no built shell found: run `npm run build:web` (or set WEB_ROOT)");

  for (const name of names) {
    app.use(`/mfe/${name}`, staticFolder(folders.remotes[name]));
  }
  const shell = folders.shell;
  if (!shell) return;
  app.use(staticFolder(shell));
  app.use((req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !isAppRoute(req.path)) return next();
    setCaching(res, "index.html");
    res.sendFile(path.join(shell, "index.html"), { etag: true, lastModified: true }, (err) => {
      if (err) next(err);
    });
  });
}

/** An app route is a path outside the API whose last segment has no file extension. */
export function isAppRoute(urlPath: string): boolean {
  if (API_PREFIXES.some((prefix) => urlPath === prefix.replace(/\/$/, "") || urlPath.startsWith(prefix)))
    return false;
  const last = urlPath.slice(urlPath.lastIndexOf("/") + 1);
  return !last.includes(".");
}

function staticFolder(root: string) {
  return express.static(root, {
    index: "index.html",
    fallthrough: true,
    redirect: true,
    setHeaders: (res, filePath) => setCaching(res, path.basename(filePath)),
  });
}

function setCaching(res: Response, fileName: string): void {
  if (ENTRY_FILES.has(fileName)) res.setHeader("Cache-Control", "no-cache");
  else if (HASHED_FILE.test(fileName)) res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
  // Icons and other unhashed files: kept an hour at most, so a new build shows within the hour.
  else res.setHeader("Cache-Control", "public, max-age=3600");
}

function listDirs(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}
