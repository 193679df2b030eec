import type { RemotePageProps } from "@billetix/web-contract";
import { useOpenEngine } from "./engine/use-engine";
import { translator } from "./i18n";
import { ScannerApp } from "./scanner-app";
import { injectStyles } from "./styles";

/**
 * The scanner as a page of the shell: the shell's Apollo client (logged in), institution and
 * language. When the engine finds the session over, « Se reconnecter » reloads the page and the
 * shell asks for the login; the scans wait in the outbox meanwhile.
 */
export function ScannerRemotePage({ context }: RemotePageProps) {
  injectStyles();
  const { engine, error } = useOpenEngine(context.locale);
  const t = translator(context.locale);
  if (error)
    return (
      <div className="sc">
        <p className="sc-error" role="alert">
          {t("storageFailed", { message: error.message })}
        </p>
      </div>
    );
  if (!engine)
    return (
      <div className="sc">
        <p>{t("loading")}</p>
      </div>
    );
  return (
    <ScannerApp
      client={context.client}
      engine={engine}
      institution={context.institution}
      locale={context.locale}
      sessionConfirmed
      sessionEnded={false}
      onReconnect={() => window.location.reload()}
    />
  );
}
