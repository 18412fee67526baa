// The one line under the top bar that says what this page is and what to do first (issue 19,
// progressive disclosure: the page used to open on a dense paragraph and forty controls). Dismissed
// once, it stays dismissed on this browser.
import { useState } from 'react';

const DISMISSED_KEY = 'rlvr-lab.introDismissed';

function wasDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

export function IntroHeader() {
  const [dismissed, setDismissed] = useState(wasDismissed);
  if (dismissed) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Not remembered: it comes back on the next visit.
    }
  };
  return (
    <div className="intro-header" data-testid="intro-header" role="note">
      <span>
        A tiny GPT learns by reinforcement learning in your browser. Press <strong>▶ Play</strong>.
      </span>
      <button type="button" className="small-button intro-dismiss" data-testid="intro-dismiss" aria-label="Dismiss this introduction" onClick={dismiss}>
        ✕
      </button>
    </div>
  );
}
