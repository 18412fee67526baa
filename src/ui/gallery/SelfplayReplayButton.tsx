// "Show the recording" for a self-play loop: its recorded run and control (one seed each) drawn in the
// self-play plots at once, no training; a live run of the loop's preset then draws over them. Used by the
// self-play lesson's run step and the gallery's self-play card.
import { useState } from 'react';
import { SELFPLAY_REGISTRY, type SelfplayLoopId } from '../../selfplay/registry';
import { hasSelfplayReplay, showSelfplayReplay } from './selfplayReplays';

export function SelfplayReplayButton({ loop, testId, onShown }: { loop: SelfplayLoopId; testId: string; onShown?: () => void }) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = SELFPLAY_REGISTRY[loop].label;
  if (!hasSelfplayReplay(loop)) return <span className="muted small">(No recording of {name} yet: run it live.)</span>;
  const show = async () => {
    setBusy(true);
    try {
      const result = await showSelfplayReplay(loop);
      setNote(result.ok ? `Showing the recording: ${result.labels.join('; ')} — recorded, one seed each: anecdotes, not verdicts.` : result.message);
      if (result.ok) onShown?.();
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" data-testid={testId} onClick={() => void show()} disabled={busy} title={`Draw the recorded run of ${name} (one seed, with its control) in the self-play plots — no training needed`}>
        {busy ? 'Loading…' : '▤ Show the recording (one seed)'}
      </button>
      <span className="muted small" role="status" data-testid={`${testId}-note`}>
        {note}
      </span>
    </>
  );
}
