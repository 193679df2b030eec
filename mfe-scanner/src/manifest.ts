import type { RemoteManifest } from "@billetix/web-contract";
import { ScannerRemotePage } from "./ui/remote-page";

/** What the shell loads as `scanner/manifest`: one page at `/scanner/`. */
const manifest: RemoteManifest = {
  name: "scanner",
  title: { fr: "Scanner", en: "Scanner" },
  pages: [{ path: "", nav: { fr: "Scanner", en: "Scanner" }, component: ScannerRemotePage }],
};

export default manifest;
