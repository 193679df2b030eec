// @ts-check
// The Module Federation `shared` settings of the shell and every remote, from the contract's list.
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

module.exports = { sharedSingletons };
