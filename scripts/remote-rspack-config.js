// @ts-check
// The rspack config of a placeholder remote: a Module Federation remote exposing `./manifest`,
// and a standalone page (its own index.html) for `npm run dev` (scripts/dev-serve.js).
const { rspack } = require("@rspack/core");
const { ModuleFederationPlugin } = require("@module-federation/enhanced/rspack");
const { sharedSingletons, webAppConfig } = require("./web-shared");

/**
 * @param {{ name: string; dir: string }} remote
 * @returns {(env: unknown, argv: { mode?: string }) => import("@rspack/core").Configuration}
 */
function remoteRspackConfig({ name, dir }) {
  return (_env, argv) => {
    const production = argv.mode !== "development";
    return {
      ...webAppConfig({ name, dir, production, publicPath: "auto" }),
      plugins: [
        new ModuleFederationPlugin({
          name,
          filename: "remoteEntry.js",
          exposes: { "./manifest": "./src/manifest.ts" },
          shared: sharedSingletons(),
          dts: false,
        }),
        new rspack.HtmlRspackPlugin({ template: "./src/index.html", chunks: ["main"] }),
      ],
    };
  };
}

module.exports = { remoteRspackConfig };
