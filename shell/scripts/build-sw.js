// @ts-check
// The service worker: precaches the built app shell (workbox-build's generateSW; InjectManifest
// fails under rspack). Data is never cached: the API needs the network.
const path = require("node:path");
const { generateSW } = require("workbox-build");

const dist = path.resolve(__dirname, "..", "dist");

generateSW({
  globDirectory: dist,
  globPatterns: ["**/*.{js,html,webmanifest,svg,png}"],
  globIgnores: ["sw.js", "workbox-*.js"],
  swDest: path.join(dist, "sw.js"),
  inlineWorkboxRuntime: true,
  sourcemap: false,
  // Hashed names change with their content: no need for workbox's own revision on them.
  dontCacheBustURLsMatching: /\.[0-9a-f]{10}\.js$/,
  navigateFallback: "/index.html",
  navigateFallbackDenylist: [/^\/graphql/, /^\/api\//, /^\/exports\//, /^\/health/, /^\/mfe\//],
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  skipWaiting: true,
}).then(
  ({ count, size, warnings }) => {
    for (const warning of warnings) console.warn(warning);
    console.log(`service worker: ${count} files precached (${Math.round(size / 1024)} KiB)`);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
