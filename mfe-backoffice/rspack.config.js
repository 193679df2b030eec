// @ts-check
const { rspack } = require("@rspack/core");
const { ModuleFederationPlugin } = require("@module-federation/enhanced/rspack");
// The same `shared` settings as the shell's, from the contract's list (one definition).
const { sharedSingletons, webAppConfig } = require("../scripts/web-shared");

const gateway = process.env.GATEWAY_URL ?? "http://localhost:4000";

/**
 * `rspack build` (production) or, through `npm run dev` (../scripts/dev-serve.js), development.
 * @returns {import("@rspack/core").Configuration}
 */
module.exports = (_env = {}, argv = {}) => {
  const development = argv.mode === "development";
  return {
    // The dev bootstrap (login, institution picker) lives behind the `main` entry only; the shell
    // loads `remoteEntry.js`, which exposes the manifest and the pages it names.
    ...webAppConfig({ name: "backoffice", dir: __dirname, production: !development, publicPath: "auto" }),
    plugins: [
      new ModuleFederationPlugin({
        name: "backoffice",
        filename: "remoteEntry.js",
        exposes: { "./manifest": "./src/manifest.ts" },
        shared: sharedSingletons(),
        dts: false,
      }),
      // The standalone page, for development only: the gateway serves the shell, not this.
      ...(development
        ? [new rspack.HtmlRspackPlugin({ template: "./index.html", chunks: ["main"], publicPath: "/" })]
        : []),
    ],
    // `rspack serve` (needs @rspack/dev-server): the API goes to a running gateway, same origin,
    // so its session cookie works. `npm run dev` does the same without it (../scripts/dev-serve.js).
    devServer: {
      port: Number(process.env.DEV_PORT ?? 4620),
      historyApiFallback: { index: "/index.html" },
      proxy: [{ context: ["/graphql", "/api", "/exports"], target: gateway, ws: true, changeOrigin: true }],
    },
  };
};
