// A lesson's instant replay: the gallery card's recorded seeds (or, for self-play, the loop's one recorded
// seed and its control) drawn in the plots at once (no training), so a class on a weak GPU — or none —
// sees the curves the lesson is about; a live run draws over them.
import { useState } from 'react';
import { GALLERY_CARDS, SELFPLAY_CARD } from '../../experiment/galleryCards';
import { presetConfig } from '../../experiment/presets';
import { hasReplay, showReplays } from '../gallery/galleryReplays';
import { SelfplayReplayButton } from '../gallery/SelfplayReplayButton';

/** The replay of the step's card; the self-play card's is the recording of the loop the step's preset runs. */
export function LessonReplayButton({ cardId, preset }: { cardId: string; preset: string }) {
  const loop = presetConfig(preset).selfplay.loop;
  if (cardId === SELFPLAY_CARD.id && loop !== 'none') return <SelfplayReplayButton loop={loop} testId="lesson-replay" />;
  return <GalleryCardReplayButton cardId={cardId} />;
}

function GalleryCardReplayButton({ cardId }: { cardId: string }) {
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
