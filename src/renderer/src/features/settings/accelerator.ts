/**
 * A pressed key combination as an Electron accelerator (`CommandOrControl+Shift+A`),
 * and back to what the agent reads. Keys are taken from `code` so Shift does
 * not turn `1` into `!`.
 */

export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** What a key press in a hotkey field means. */
export type KeyCapture =
  /** A modifier alone, or Tab/Escape without one: not for the field (focus moves, the dialog closes). */
  | { kind: 'ignore' }
  /** Backspace or Delete alone turns the hotkey off. */
  | { kind: 'clear' }
  | { kind: 'key'; accelerator: string };

const NAMED: Record<string, string> = {
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Space: 'Space',
  Enter: 'Enter',
  NumpadEnter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  Escape: 'Escape',
  MediaPlayPause: 'MediaPlayPause',
  MediaStop: 'MediaStop',
  MediaTrackNext: 'MediaNextTrack',
  MediaTrackPrevious: 'MediaPreviousTrack',
  AudioVolumeMute: 'VolumeMute',
};

function keyName(press: KeyPress): string | null {
  const letter = /^Key([A-Z])$/.exec(press.code);
  if (letter) return letter[1] ?? null;
  const digit = /^Digit([0-9])$/.exec(press.code);
  if (digit) return digit[1] ?? null;
  const numpad = /^Numpad([0-9])$/.exec(press.code);
  if (numpad) return `num${numpad[1]}`;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(press.code)) return press.code;
  return NAMED[press.code] ?? NAMED[press.key] ?? null;
}

export function captureAccelerator(press: KeyPress): KeyCapture {
  const modified = press.ctrlKey || press.metaKey || press.altKey || press.shiftKey;
  if (!modified && (press.key === 'Tab' || press.key === 'Escape')) return { kind: 'ignore' };
  if (!modified && (press.key === 'Backspace' || press.key === 'Delete')) return { kind: 'clear' };
  const key = keyName(press);
  if (!key) return { kind: 'ignore' };
  const modifiers = [
    ...(press.ctrlKey || press.metaKey ? ['CommandOrControl'] : []),
    ...(press.altKey ? ['Alt'] : []),
    ...(press.shiftKey ? ['Shift'] : []),
  ];
  return { kind: 'key', accelerator: [...modifiers, key].join('+') };
}

/** `CommandOrControl+Shift+A` → `Ctrl+Shift+A` (`⌘` on a Mac). */
export function displayAccelerator(accelerator: string, mac: boolean): string {
  return accelerator
    .split('+')
    .map((part) =>
      /^(CommandOrControl|CmdOrCtrl)$/.test(part) ? (mac ? '⌘' : 'Ctrl') : part === 'Control' ? 'Ctrl' : part,
    )
    .join('+');
}
