import { describe, expect, it } from 'vitest';
import { Accelerator } from '@shared/host-api';
import {
  captureAccelerator,
  displayAccelerator,
  type KeyPress,
} from '@renderer/features/settings/accelerator';

const press = (code: string, key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  code,
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('hotkey capture', () => {
  it('turns a key combination into a valid Electron accelerator, from the physical key', () => {
    const capture = captureAccelerator(press('Digit1', '!', { ctrlKey: true, shiftKey: true }));
    expect(capture).toEqual({ kind: 'key', accelerator: 'CommandOrControl+Shift+1' });
    if (capture.kind === 'key') expect(Accelerator.safeParse(capture.accelerator).success).toBe(true);
    expect(captureAccelerator(press('KeyK', 'ㅏ', { metaKey: true, altKey: true }))).toEqual({
      kind: 'key',
      accelerator: 'CommandOrControl+Alt+K',
    });
    expect(captureAccelerator(press('ArrowUp', 'ArrowUp', { altKey: true }))).toEqual({
      kind: 'key',
      accelerator: 'Alt+Up',
    });
    expect(captureAccelerator(press('F7', 'F7'))).toEqual({ kind: 'key', accelerator: 'F7' });
  });

  it('leaves Tab and Escape to the page, waits on a modifier alone, and clears on Backspace', () => {
    expect(captureAccelerator(press('Tab', 'Tab'))).toEqual({ kind: 'ignore' });
    expect(captureAccelerator(press('Escape', 'Escape'))).toEqual({ kind: 'ignore' });
    expect(captureAccelerator(press('ShiftLeft', 'Shift', { shiftKey: true }))).toEqual({ kind: 'ignore' });
    expect(captureAccelerator(press('Backspace', 'Backspace'))).toEqual({ kind: 'clear' });
  });

  it('shows Ctrl, or ⌘ on a Mac', () => {
    expect(displayAccelerator('CommandOrControl+Shift+A', false)).toBe('Ctrl+Shift+A');
    expect(displayAccelerator('CmdOrCtrl+M', true)).toBe('⌘+M');
  });
});
