export { isAppRoute, locateWebApps, mountWebApps, type WebAppFolders } from "./web-apps";
