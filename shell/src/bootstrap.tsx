import { createRoot } from "react-dom/client";
import { Workbox } from "workbox-window";
import { App } from "./app";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(<App />);

if (__BILLETIX_SERVICE_WORKER__ && "serviceWorker" in navigator) {
  // The app shell works offline once installed; a failed registration only costs that.
  new Workbox("/sw.js")
    .register()
    .catch((err: unknown) => console.warn("service worker not registered", err));
}
