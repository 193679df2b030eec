import { useEffect, useRef } from "react";

/** A reader types each character of a code within this many ms of the previous one; people do not. */
export const WEDGE_GAP_MS = 50;
/** Shorter bursts are taken for keys struck together by a person. */
export const WEDGE_MIN_LENGTH = 2;

/**
 * Collects the keys of a keyboard-wedge reader (a barcode reader acting as a keyboard): printable
 * characters arriving less than `WEDGE_GAP_MS` apart, ended by Enter, make one code. A pause starts
 * a new burst, so what a person types is never mistaken for a code.
 */
export class WedgeBuffer {
  private chars = "";
  private lastAt = Number.NEGATIVE_INFINITY;

  /** Feeds one key; returns the code when this Enter ends a burst, else null. */
  key(key: string, at: number): string | null {
    const inBurst = at - this.lastAt < WEDGE_GAP_MS;
    if (key === "Enter") {
      const code = inBurst && this.chars.length >= WEDGE_MIN_LENGTH ? this.chars : null;
      this.reset();
      return code;
    }
    if (key.length === 1) {
      this.chars = inBurst ? this.chars + key : key;
      this.lastAt = at;
      return null;
    }
    // Modifiers come between the characters of a burst (Shift for capitals); other keys end it.
    if (!MODIFIERS.has(key)) this.reset();
    return null;
  }

  /** Whether keys are being collected: an Enter now would end a code. */
  collecting(at: number): boolean {
    return this.chars.length > 0 && at - this.lastAt < WEDGE_GAP_MS;
  }

  reset(): void {
    this.chars = "";
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}

const MODIFIERS = new Set(["Shift", "CapsLock", "AltGraph"]);

const NOT_TYPED_INTO = new Set([
  "button",
  "checkbox",
  "radio",
  "submit",
  "reset",
  "range",
  "color",
  "file",
  "image",
]);

/** Keys typed there belong to the field: a reader's burst into the manual field submits that field. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NOT_TYPED_INTO.has(target.type);
}

/**
 * Listens to the whole document for a reader's bursts while `enabled`. Keys typed into a text field
 * are left to it. The Enter ending a burst is swallowed, so it never also presses a focused button.
 */
export function useKeyboardWedge(onCode: (code: string) => void, enabled: boolean): void {
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  useEffect(() => {
    if (!enabled) return;
    const buffer = new WedgeBuffer();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return buffer.reset();
      if (isTextField(event.target)) return buffer.reset();
      const collecting = buffer.collecting(event.timeStamp);
      const code = buffer.key(event.key, event.timeStamp);
      // A burst's characters would otherwise press a focused button (space) or scroll the page.
      if (code !== null || (collecting && event.key.length === 1)) event.preventDefault();
      if (code !== null) {
        event.stopPropagation();
        onCodeRef.current(code);
      }
    };
    document.addEventListener("keydown", onKeyDown, true);
    return () => document.removeEventListener("keydown", onKeyDown, true);
  }, [enabled]);
}
