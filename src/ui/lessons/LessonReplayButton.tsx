// A lesson's instant replay: the gallery card's recorded seeds drawn in the plots at once (no training),
// so a class on a weak GPU — or none — sees the curves the lesson is about; a live run draws over them.
import { useState } from 'react';
import { GALLERY_CARDS } from '../../experiment/galleryCards';
import { hasReplay, showReplays } from '../gallery/galleryReplays';

export function LessonReplayButton({ cardId }: { cardId: string }) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const card = GALLERY_CARDS.find((c) => c.id === cardId);
  const arms = card?.arms.filter(hasReplay) ?? [];
  if (!card || arms.length === 0) return <span className="muted small">(The gallery has no recording of this yet: run it live.)</span>;
  const show = async () => {
    setBusy(true);
    try {
      const result = await showReplays(arms);
      setNote(result.ok ? `Showing the recording: ${result.arms.length} arm(s), each over its seeds — ${card.setting}.` : result.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" data-testid="lesson-replay" onClick={() => void show()} disabled={busy} title={`Draw the recorded seeds of “${card.title}” in the plots — no training needed`}>
        {busy ? 'Loading…' : '▤ Show the recording'}
      </button>
      <span className="muted small" role="status" data-testid="lesson-replay-note">
        {note}
      </span>
    </>
  );
}
