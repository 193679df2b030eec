// Specs run in Node (no DOM): the local engine's use fake-indexeddb and Node's own fetch against an
// in-process fake gateway (src/local/testing/). The screens in a browser are the e2e tests' job.
module.exports = { ...require("../jest.preset.js"), rootDir: __dirname };
