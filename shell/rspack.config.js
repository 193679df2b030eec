// @ts-check
const { rspack } = require("@rspack/core");
const { ModuleFederationPlugin } = require("@module-federation/enhanced/rspack");
const { sharedSingletons, webAppConfig } = require("../scripts/web-shared");

/** The host: remotes are registered at run time (see src/remotes.ts), none at build time. */
module.exports = (_env, argv) => {
  const production = argv.mode !== "development";
  return {
    ...webAppConfig({ name: "shell", dir: __dirname, production, publicPath: "/" }),
    plugins: [
      new ModuleFederationPlugin({
        name: "shell",
        remotes: {},
        shared: sharedSingletons(),
        dts: false,
      }),
      new rspack.HtmlRspackPlugin({ template: "./src/index.html" }),
      new rspack.CopyRspackPlugin({ patterns: [{ from: "public" }] }),
      new rspack.DefinePlugin({ __BILLETIX_SERVICE_WORKER__: JSON.stringify(production) }),
    ],
  };
};
