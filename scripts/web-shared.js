// @ts-check
// What the shell and every remote build the same way: the Module Federation `shared` settings
// (from the contract's list) and the base of their rspack configs.
const path = require("node:path");
const { SHARED_SINGLETONS } = require("@billetix/web-contract");

/** @typedef {{ singleton: true; requiredVersion: string | false }} SharedSetting */

/**
 * One copy of each for the whole page. `@apollo/client/` (with the slash) also shares its entry
 * points (`@apollo/client/react`, `/link/…`), so one ApolloProvider serves every remote; and
 * `react/jsx-runtime`, as the back office shares it.
 * @returns {Record<string, SharedSetting>}
 */
function sharedSingletons() {
  /** @type {Record<string, SharedSetting>} */
  const shared = {};
  for (const name of SHARED_SINGLETONS) {
    const own = name.startsWith("@billetix/");
    const version = own
      ? false
      : require(require.resolve(`${name}/package.json`, { paths: [__dirname] })).version;
    shared[name] = { singleton: true, requiredVersion: version };
    if (name === "@apollo/client") shared[`${name}/`] = { singleton: true, requiredVersion: version };
    if (name === "react") shared["react/jsx-runtime"] = { singleton: true, requiredVersion: version };
  }
  return shared;
}

/**
 * What the shell's and every remote's rspack configs have in common: the entry, the hashed
 * output, source maps and TSX through rspack's own swc loader. Each adds its plugins.
 * @param {{ name: string; dir: string; production: boolean; publicPath: string }} app
 * @returns {import("@rspack/core").Configuration}
 */
function webAppConfig({ name, dir, production, publicPath }) {
  const hashed = production ? "[name].[contenthash:10].js" : "[name].js";
  return {
    context: dir,
    mode: production ? "production" : "development",
    entry: { main: "./src/index.ts" },
    output: {
      path: path.join(dir, "dist"),
      publicPath,
      filename: hashed,
      chunkFilename: hashed,
      clean: true,
      uniqueName: `billetix_${name}`,
    },
    devtool: production ? "source-map" : "cheap-module-source-map",
    resolve: { extensions: [".tsx", ".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          loader: "builtin:swc-loader",
          options: {
            jsc: {
              parser: { syntax: "typescript", tsx: true },
              transform: { react: { runtime: "automatic", development: !production } },
              target: "es2022",
            },
          },
          type: "javascript/auto",
        },
      ],
    },
  };
}

module.exports = { sharedSingletons, webAppConfig };
