// @ts-check
const { remoteRspackConfig } = require("../scripts/remote-rspack-config");

module.exports = remoteRspackConfig({ name: "scanner", dir: __dirname });
