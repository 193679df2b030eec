// Browser tests: one gateway and one Chromium per file; the web apps are built once first.
module.exports = {
  ...require("../jest.preset.js"),
  rootDir: __dirname,
  globalSetup: "<rootDir>/test/support/build-web-apps.ts",
  testTimeout: 60_000,
};
