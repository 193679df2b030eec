import { useEffect, useMemo, useRef } from "react";
import { useI18n } from "./i18n";
import { qrCodeSvg } from "./qr-code";

/** A dialog with the QR code of the scanner's URL, for staff to open it on their phones. */
export function ScannerQrDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const url = `${window.location.origin}/mfe/scanner/`;
  const svg = useMemo(() => qrCodeSvg(url), [url]);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  return (
    <div className="bx-dialog">
      <div role="dialog" aria-modal="true" aria-labelledby="scanner-qr-title">
        <h2 id="scanner-qr-title">{t.scannerQr}</h2>
        <p>{t.scannerQrHelp}</p>
        {/* The SVG is built here from the page's own origin: no user input reaches it. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: generated SVG, see above */}
        <div role="img" aria-label={url} data-testid="scanner-qr" dangerouslySetInnerHTML={{ __html: svg }} />
        <p>
          <a href={url}>{url}</a>
        </p>
        <button type="button" ref={closeRef} onClick={onClose}>
          {t.close}
        </button>
      </div>
    </div>
  );
}
