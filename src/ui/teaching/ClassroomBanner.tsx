// What the page's classroom link does (hides, locks, a stop step) and what of it could not be read; and,
// once a run has paused at the link's stop step, the message that says so and how to go on.
import { CONTROL_GROUP_LABELS } from '../../experiment/classroomLink';
import { classroomLink } from '../../state/classroom';
import { useSessionStore } from '../../state/sessionStore';

const labels = (groups: readonly (keyof typeof CONTROL_GROUP_LABELS)[]) => groups.map((g) => CONTROL_GROUP_LABELS[g]).join(', ');

export function ClassroomBanner() {
  const { hide, lock, stopAt, notes } = classroomLink;
  if (hide.length === 0 && lock.length === 0 && stopAt === null && notes.length === 0) return null;
  const parts = [
    hide.length > 0 ? `hides ${labels(hide)}` : '',
    lock.length > 0 ? `locks ${labels(lock)}` : '',
    stopAt !== null ? `pauses each run at step ${stopAt}` : '',
  ].filter((p) => p !== '');
  return (
    <div className="classroom-banner" role="status" data-testid="classroom-banner">
      {parts.length > 0 && <p>Classroom link: this page {parts.join('; ')}.</p>}
      {notes.length > 0 && (
        <div data-testid="classroom-notes">
          <strong>What the classroom options could not set:</strong>
          <ul>
            {notes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        </div>
      )}
      <StopAtNotice stopAt={stopAt} />
    </div>
  );
}

function StopAtNotice({ stopAt }: { stopAt: number | null }) {
  const state = useSessionStore((s) => s.state);
  const step = useSessionStore((s) => s.step);
  if (stopAt === null || state !== 'paused' || step !== stopAt) return null;
  return (
    <p className="stop-at-notice" data-testid="stop-at-notice">
      Stopped at step {stopAt} as the link asks; press Play to go on.
    </p>
  );
}
