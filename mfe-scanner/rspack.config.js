// @ts-check
// A Module Federation remote (`./manifest` for the shell) that is also the installable scanner
// at /mfe/scanner/: its index.html, web manifest and icons (public/), and the service worker flag.
// The service worker itself is generated after the build (scripts/build-sw.js).
const { rspack } = require("@rspack/core");
const { remoteRspackConfig } = require("../scripts/remote-rspack-config");

const remote = remoteRspackConfig({ name: "scanner", dir: __dirname });

/** @type {(env: unknown, argv: { mode?: string }) => import("@rspack/core").Configuration} */
module.exports = (env, argv) => {
  const config = remote(env, argv);
  const production = argv.mode !== "development";
  return {
    ...config,
    // The camera decoder (zxing, ~470 KiB) is its own chunk, loaded only when the camera starts.
    performance: { assetFilter: (file) => file.endsWith(".js") && !file.startsWith("zxing.") },
    plugins: [
      ...(config.plugins ?? []),
      new rspack.CopyRspackPlugin({ patterns: [{ from: "public" }] }),
      new rspack.DefinePlugin({ __BILLETIX_SERVICE_WORKER__: JSON.stringify(production) }),
    ],
  };
};
