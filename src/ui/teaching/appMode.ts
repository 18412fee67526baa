// The page's modes (issue 19, classroom): the lab; a projector mode for a lecture hall (large type,
// high contrast, a light theme, keyboard control); an embed mode for an iframe (the charts and the run
// controls, the backend chip, a link to the full lab). A query parameter chooses it (`?mode=projector`),
// so the hash still carries only the experiment and a shared link keeps its mode.
export type AppMode = 'lab' | 'projector' | 'embed';

export function appModeFromSearch(search: string): AppMode {
  const mode = new URLSearchParams(search).get('mode');
  return mode === 'projector' || mode === 'embed' ? mode : 'lab';
}

/** The same page and experiment without the mode: "open in the lab" from an embed or a projector. */
export function labUrl(href: string): string {
  const url = new URL(href);
  url.searchParams.delete('mode');
  return url.toString();
}

export type Shortcut = 'play-pause' | 'step' | 'fullscreen';

/** Projector keys: Space plays or pauses, → trains one step, F puts a chart in full screen. */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): Shortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null; // the browser's own shortcuts
  if (event.key === ' ' || event.key === 'Spacebar') return 'play-pause';
  if (event.key === 'ArrowRight') return 'step';
  if (event.key === 'f' || event.key === 'F') return 'fullscreen';
  return null;
}

/** Where a key is text, not a command: inputs, selects, text areas, editable content and the reward
 *  editor (Monaco's own textarea sits inside .monaco-editor). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .monaco-editor') !== null;
}
