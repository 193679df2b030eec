// @ts-check
// The rspack config of a placeholder remote: a Module Federation remote exposing `./manifest`,
// and a standalone page (its own index.html) for `npm run dev` (scripts/dev-serve.js).
const path = require("node:path");
const { rspack } = require("@rspack/core");
const { ModuleFederationPlugin } = require("@module-federation/enhanced/rspack");
const { sharedSingletons } = require("./web-shared");

/**
 * @param {{ name: string; dir: string }} remote
 * @returns {(env: unknown, argv: { mode?: string }) => import("@rspack/core").Configuration}
 */
function remoteRspackConfig({ name, dir }) {
  return (_env, argv) => {
    const production = argv.mode !== "development";
    return {
      mode: production ? "production" : "development",
      entry: { main: "./src/index.ts" },
      output: {
        path: path.join(dir, "dist"),
        publicPath: "auto",
        filename: production ? "[name].[contenthash:10].js" : "[name].js",
        chunkFilename: production ? "[name].[contenthash:10].js" : "[name].js",
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
              },
            },
            type: "javascript/auto",
          },
        ],
      },
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
