// @ts-check
const path = require("node:path");
const { rspack } = require("@rspack/core");
const { ModuleFederationPlugin } = require("@module-federation/enhanced/rspack");
const { sharedSingletons } = require("../scripts/web-shared");

/** The host: remotes are registered at run time (see src/remotes.ts), none at build time. */
module.exports = (_env, argv) => {
  const production = argv.mode !== "development";
  return {
    mode: production ? "production" : "development",
    entry: { main: "./src/index.ts" },
    output: {
      path: path.resolve(__dirname, "dist"),
      publicPath: "/",
      filename: production ? "[name].[contenthash:10].js" : "[name].js",
      chunkFilename: production ? "[name].[contenthash:10].js" : "[name].js",
      clean: true,
      uniqueName: "billetix_shell",
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
            },
          },
          type: "javascript/auto",
        },
      ],
    },
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
