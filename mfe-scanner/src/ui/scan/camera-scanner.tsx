import type { IScannerControls } from "@zxing/browser";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import type { Translate } from "../i18n";

/**
 * A code held in front of the camera is decoded several times a second: it makes one scan for as
 * long as it stays in view (seen again within this time), and a new one once shown again later.
 */
const SAME_CODE_QUIET_MS = 2000;

/** The camera's decoder, loaded only when a camera is switched on (zxing is the heaviest part). */
async function startDecoding(
  video: HTMLVideoElement,
  onText: (text: string) => void,
): Promise<IScannerControls> {
  const { BarcodeFormat, BrowserMultiFormatReader } = await import(
    /* webpackChunkName: "zxing" */ "@zxing/browser"
  );
  const reader = new BrowserMultiFormatReader(undefined, {
    delayBetweenScanAttempts: 100,
    delayBetweenScanSuccess: 250,
  });
  reader.possibleFormats = [
    BarcodeFormat.QR_CODE,
    BarcodeFormat.EAN_13,
    BarcodeFormat.EAN_8,
    BarcodeFormat.CODE_128,
    BarcodeFormat.CODE_39,
    BarcodeFormat.ITF,
    BarcodeFormat.DATA_MATRIX,
    BarcodeFormat.PDF_417,
    BarcodeFormat.AZTEC,
  ];
  return reader.decodeFromConstraints(
    { audio: false, video: { facingMode: { ideal: "environment" } } },
    video,
    (result) => {
      // Frames without a code come with an error: the normal case between two tickets.
      if (result) onText(result.getText());
    },
  );
}

function cameraError(error: unknown, t: Translate): string {
  if (!window.isSecureContext || !navigator.mediaDevices) return t("cameraInsecure");
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return t("cameraDenied");
  if (name === "NotFoundError" || name === "OverconstrainedError") return t("cameraMissing");
  return t("cameraFailed", { message: error instanceof Error ? error.message : String(error) });
}

export interface Camera {
  on: boolean;
  toggle(): void;
  /** Set while on when the camera's track can light its torch. */
  torchAvailable: boolean;
  torch: boolean;
  toggleTorch(): void;
  error: string | null;
  /** For the preview, rendered while `on`. */
  videoRef: RefObject<HTMLVideoElement | null>;
}

/**
 * The camera decoding continuously (rear camera preferred) while on. It stops when switched off
 * and when the screen using it goes away.
 */
export function useCamera(onCode: (code: string) => void, t: Translate): Camera {
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [controls, setControls] = useState<IScannerControls | null>(null);
  const [torch, setTorch] = useState(false);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    const video = videoRef.current;
    if (!on || !video) return;
    let stopped = false;
    let running: IScannerControls | null = null;
    let last = { text: "", at: 0 };
    setError(null);
    startDecoding(video, (text) => {
      const now = Date.now();
      const same = text === last.text && now - last.at < SAME_CODE_QUIET_MS;
      last = { text, at: now };
      if (!same && !stopped) onCodeRef.current(text);
    }).then(
      (started) => {
        if (stopped) return started.stop();
        running = started;
        setControls(started);
      },
      (err: unknown) => {
        if (stopped) return;
        setError(cameraError(err, tRef.current));
        setOn(false);
      },
    );
    return () => {
      stopped = true;
      running?.stop();
      setControls(null);
      setTorch(false);
    };
  }, [on]);

  const toggleTorch = useCallback(() => {
    if (!controls?.switchTorch) return;
    controls.switchTorch(!torch).then(
      () => setTorch(!torch),
      (err: unknown) => setError(cameraError(err, tRef.current)),
    );
  }, [controls, torch]);

  const toggle = useCallback(() => setOn((was) => !was), []);

  return { on, toggle, torchAvailable: Boolean(controls?.switchTorch), torch, toggleTorch, error, videoRef };
}

/** « Caméra » and, when the camera has one, the torch. */
export function CameraButtons({ camera, t }: { camera: Camera; t: Translate }) {
  return (
    <div className="sc-camera-buttons">
      <button
        type="button"
        className="sc-big"
        data-testid="camera-toggle"
        aria-pressed={camera.on}
        onClick={camera.toggle}
      >
        {t("camera")}
      </button>
      {camera.on && camera.torchAvailable && (
        <button
          type="button"
          className="sc-big"
          data-testid="torch-toggle"
          aria-pressed={camera.torch}
          onClick={camera.toggleTorch}
        >
          {t("torch")}
        </button>
      )}
    </div>
  );
}

/** The preview the decoder reads from. */
export function CameraVideo({ camera }: { camera: Camera }) {
  if (!camera.on) return null;
  return <video ref={camera.videoRef} data-testid="camera-video" className="sc-video" muted playsInline />;
}
