// @ts-check
// The standalone scanner's service worker (workbox-build's generateSW, run after `rspack build`;
// InjectManifest fails under rspack). It precaches every built file the scanner may need offline:
// index.html, every script (the camera decoder's lazy chunk too), the web manifest and the icons.
// The API is never cached. URLs are relative to sw.js, so it serves /mfe/scanner/ as scope.
const path = require("node:path");
const { generateSW } = require("workbox-build");

const dist = path.resolve(__dirname, "..", "dist");

generateSW({
  globDirectory: dist,
  globPatterns: ["**/*.{js,html,webmanifest,svg,png}"],
  globIgnores: ["sw.js", "workbox-*.js", "**/*.map"],
  swDest: path.join(dist, "sw.js"),
  inlineWorkboxRuntime: true,
  sourcemap: false,
  // The camera decoder alone is several hundred KiB: keep the default 2 MiB limit from skipping it.
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  // Hashed names change with their content: no need for workbox's own revision on them.
  dontCacheBustURLsMatching: /\.[0-9a-f]{10}\.js$/,
  // Any page under the scope opens the scanner, offline included; the API stays on the network.
  navigateFallback: "index.html",
  navigateFallbackDenylist: [/^\/graphql/, /^\/api\//, /^\/exports\//, /^\/health/],
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  // A new version waits for the operator's « Mettre à jour » (workbox-window's messageSkipWaiting).
  skipWaiting: false,
}).then(
  ({ count, size, warnings }) => {
    for (const warning of warnings) console.warn(warning);
    if (warnings.length) process.exitCode = 1;
    console.log(`service worker: ${count} files precached (${Math.round(size / 1024)} KiB)`);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
