// Projector keys (issue 19): Space plays or pauses, → trains one step, F puts the focused chart (or the
// first) in full screen and Escape (or F again) leaves it. Never while the reader types: a key in an input, a select
// or the reward editor is text. The chart also gets a CSS full-screen class, so it fills the window even
// where the Fullscreen API is refused (an iframe without allow="fullscreen").
import { useEffect } from 'react';
import { useSessionStore } from '../../state/sessionStore';
import { isTypingTarget, shortcutFor } from './appMode';

const FULLSCREEN_CLASS = 'chart-fullscreen';

function chartToShow(): HTMLElement | null {
  const focused = document.activeElement?.closest<HTMLElement>('figure.chart');
  return focused ?? document.querySelector<HTMLElement>('.main-area figure.chart');
}

function leaveFullscreen(): void {
  for (const el of document.querySelectorAll(`.${FULLSCREEN_CLASS}`)) el.classList.remove(FULLSCREEN_CLASS);
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}

/** F again leaves full screen (as in video players). */
function toggleFullscreen(): void {
  if (document.querySelector(`.${FULLSCREEN_CLASS}`) || document.fullscreenElement) {
    leaveFullscreen();
    return;
  }
  const chart = chartToShow();
  if (!chart) return;
  chart.classList.add(FULLSCREEN_CLASS);
  chart.requestFullscreen?.().catch(() => undefined); // refused: the CSS class still fills the window
}

function playOrPause(): void {
  const session = useSessionStore.getState();
  if (session.state === 'running' || session.state === 'loading') session.pause();
  else session.play();
}

export function useProjectorShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        if (document.querySelector(`.${FULLSCREEN_CLASS}`)) leaveFullscreen();
        return;
      }
      if (e.repeat || isTypingTarget(e.target)) return;
      const shortcut = shortcutFor(e);
      if (!shortcut) return;
      // Space would also press the focused button, or scroll the page.
      e.preventDefault();
      if (shortcut === 'play-pause') playOrPause();
      else if (shortcut === 'step') {
        const state = useSessionStore.getState().state;
        if (state !== 'running' && state !== 'loading') useSessionStore.getState().stepOnce();
      } else toggleFullscreen();
    };
    // A focused button is pressed by Space on key *up*: swallow that too, or Space would act twice.
    const onKeyUp = (e: KeyboardEvent) => {
      if (shortcutFor(e) === 'play-pause' && !isTypingTarget(e.target)) e.preventDefault();
    };
    // Escape in real full screen is the browser's: drop the CSS class when it leaves.
    const onFullscreenChange = () => {
      if (!document.fullscreenElement) for (const el of document.querySelectorAll(`.${FULLSCREEN_CLASS}`)) el.classList.remove(FULLSCREEN_CLASS);
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    document.addEventListener('fullscreenchange', onFullscreenChange);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      document.removeEventListener('fullscreenchange', onFullscreenChange);
    };
  }, [enabled]);
}
