import type { RemoteManifest } from "@billetix/web-contract";
import { PlaceholderPage } from "./placeholder-page";

/** What the shell loads as `scanner/manifest`: one page at `/scanner/`. */
const manifest: RemoteManifest = {
  name: "scanner",
  title: { fr: "Scanner", en: "Scanner" },
  pages: [{ path: "", nav: { fr: "Scanner", en: "Scanner" }, component: PlaceholderPage }],
};

export default manifest;
