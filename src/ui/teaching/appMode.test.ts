import { describe, expect, it } from 'vitest';
import { appModeFromSearch, isTypingTarget, labUrl, shortcutFor } from './appMode';

describe('appModeFromSearch', () => {
  it('reads projector and embed, and falls back to the lab', () => {
    expect(appModeFromSearch('?mode=projector')).toBe('projector');
    expect(appModeFromSearch('?view=basic&mode=embed')).toBe('embed');
    expect(appModeFromSearch('')).toBe('lab');
    expect(appModeFromSearch('?mode=kiosk')).toBe('lab');
  });
});

describe('labUrl', () => {
  it('drops the mode and keeps the other options and the experiment in the hash', () => {
    expect(labUrl('https://x.org/lab/?mode=embed&view=basic#v=1&x=abc')).toBe('https://x.org/lab/?view=basic#v=1&x=abc');
    expect(labUrl('https://x.org/?mode=embed#v=1')).toBe('https://x.org/#v=1');
  });
});

describe('shortcutFor', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('maps Space, → and F', () => {
    expect(shortcutFor(key(' '))).toBe('play-pause');
    expect(shortcutFor(key('ArrowRight'))).toBe('step');
    expect(shortcutFor(key('f'))).toBe('fullscreen');
    expect(shortcutFor(key('F'))).toBe('fullscreen');
  });
  it("leaves other keys and the browser's modified keys alone", () => {
    expect(shortcutFor(key('a'))).toBeNull();
    expect(shortcutFor(key('f', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('ArrowRight', { altKey: true }))).toBeNull();
  });
});

describe('isTypingTarget', () => {
  // A minimal element: `closest` answers for the selectors it is inside of.
  const el = (inside: string | null, editable = false) => ({ isContentEditable: editable, closest: (sel: string) => (inside && sel.includes(inside) ? {} : null) }) as unknown as EventTarget;
  it('is true in inputs, text areas, selects, editable content and the Monaco editor', () => {
    for (const inside of ['input', 'textarea', 'select', '.monaco-editor']) expect(isTypingTarget(el(inside))).toBe(true);
    expect(isTypingTarget(el(null, true))).toBe(true);
  });
  it('is false on buttons, the page and no target', () => {
    expect(isTypingTarget(el(null))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
