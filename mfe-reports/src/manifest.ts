import type { RemoteManifest } from "@billetix/web-contract";
import { PlaceholderPage } from "./placeholder-page";

/** What the shell loads as `reports/manifest`: one page at `/reports/`. */
const manifest: RemoteManifest = {
  name: "reports",
  title: { fr: "Rapports", en: "Reports" },
  pages: [{ path: "", nav: { fr: "Rapports", en: "Reports" }, component: PlaceholderPage }],
};

export default manifest;
