import { useSyncExternalStore } from "react";
import { useI18n } from "./i18n";

function subscribe(listener: () => void): () => void {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

/** The app shell works offline (service worker); its data does not, and it says so. */
export function OfflineBanner() {
  const { t } = useI18n();
  const online = useSyncExternalStore(subscribe, () => navigator.onLine);
  if (online) return null;
  return (
    <div className="bx-offline" role="status">
      {t.offline}
    </div>
  );
}
