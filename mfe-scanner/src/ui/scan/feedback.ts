import { useCallback, useState } from "react";
import type { ScanOutcome } from "../../local/types";

export type OutcomeKind = "accepted" | "refused" | "anomaly";

/** Green, red or orange: an exit while outside lets the person through but is flagged. */
export function outcomeKind(outcome: ScanOutcome): OutcomeKind {
  if (outcome.anomaly) return "anomaly";
  return outcome.accepted ? "accepted" : "refused";
}

/** Each verdict's tones (Hz, ms, pause after) and vibration: told apart without looking. */
const TONES: Record<OutcomeKind, { frequency: number; ms: number; gap: number; wave: OscillatorType }[]> = {
  accepted: [{ frequency: 1760, ms: 110, gap: 0, wave: "sine" }],
  refused: [{ frequency: 196, ms: 650, gap: 0, wave: "square" }],
  anomaly: [
    { frequency: 880, ms: 130, gap: 90, wave: "triangle" },
    { frequency: 880, ms: 130, gap: 0, wave: "triangle" },
  ],
};
const VIBRATIONS: Record<OutcomeKind, number[]> = {
  accepted: [60],
  refused: [400],
  anomaly: [120, 90, 120],
};

let audio: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (typeof AudioContext === "undefined") return null;
  audio ??= new AudioContext();
  // Browsers start it suspended until a gesture; scans follow a key press, a tap or the camera's start.
  if (audio.state === "suspended") void audio.resume().catch(() => undefined);
  return audio;
}

function beep(kind: OutcomeKind): void {
  const context = audioContext();
  if (!context) return;
  let at = context.currentTime + 0.01;
  for (const tone of TONES[kind]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = tone.wave;
    oscillator.frequency.value = tone.frequency;
    const end = at + tone.ms / 1000;
    // Short ramps: no click at the start and end of each tone.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.25, at + 0.01);
    gain.gain.setValueAtTime(0.25, end - 0.02);
    gain.gain.linearRampToValueAtTime(0, end);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(end);
    at = end + tone.gap / 1000;
  }
}

/** The sound (unless muted) and the vibration of a verdict. Never throws: feedback is a bonus. */
export function signal(kind: OutcomeKind, muted: boolean): void {
  try {
    if (!muted) beep(kind);
  } catch {
    // No audio output: the colour and the message remain.
  }
  try {
    navigator.vibrate?.(VIBRATIONS[kind]);
  } catch {
    // Vibration refused (no gesture yet, or unsupported).
  }
}

const MUTED_KEY = "billetix.scanner.muted";

/** The mute toggle, remembered on the device. */
export function useMuted(): [boolean, () => void] {
  const [muted, setMuted] = useState(() => {
    try {
      return localStorage.getItem(MUTED_KEY) === "1";
    } catch {
      return false;
    }
  });
  const toggle = useCallback(() => {
    setMuted((was) => {
      try {
        localStorage.setItem(MUTED_KEY, was ? "0" : "1");
      } catch {
        // Storage refused: the choice lasts for this page.
      }
      return !was;
    });
  }, []);
  return [muted, toggle];
}
