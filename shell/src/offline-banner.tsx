import { useSyncExternalStore } from "react";
import { useI18n } from "./i18n";
import { isOffline, subscribeNetwork } from "./network-status";

/** The app shell works offline (service worker); its data does not, and it says so. */
export function OfflineBanner() {
  const { t } = useI18n();
  const offline = useSyncExternalStore(subscribeNetwork, isOffline);
  if (!offline) return null;
  return (
    <div className="bx-offline" role="status">
      {t.offline}
    </div>
  );
}
