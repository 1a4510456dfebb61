import { describe, expect, it } from 'vitest';
import { restorableState } from '../../../../src/main/host/window-bounds';

const screen = { x: 0, y: 0, width: 1920, height: 1040 };

describe('window bounds', () => {
  it('restores bounds that are on a connected display', () => {
    const saved = { bounds: { x: 100, y: 80, width: 1280, height: 800 }, maximized: false };
    expect(restorableState(saved, [screen])).toEqual(saved);
  });

  it('forgets bounds left on a display that is gone', () => {
    const saved = { bounds: { x: 2500, y: 80, width: 1280, height: 800 }, maximized: true };
    expect(restorableState(saved, [screen])).toBeNull();
    expect(restorableState(saved, [screen, { x: 1920, y: 0, width: 2560, height: 1400 }])).toEqual(saved);
  });

  it('ignores garbage', () => {
    expect(restorableState({ bounds: { x: 'a' } }, [screen])).toBeNull();
    expect(restorableState(undefined, [screen])).toBeNull();
  });
});
