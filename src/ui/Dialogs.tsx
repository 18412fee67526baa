// The page's modal moments: notes about a link, approving reward code that came with a link, and
// confirming a change that needs a restart. Everything from a link is rendered as React text only.
import { useEffect, useRef } from 'react';
import { useConfigStore } from '../state/configStore';
import { useSessionStore } from '../state/sessionStore';

export function NotesBanner() {
  const notes = useConfigStore((s) => s.linkNotes);
  const dismissed = useConfigStore((s) => s.notesDismissed);
  if (notes.length === 0 || dismissed) return null;
  return (
    <div className="notes-banner" role="status" data-testid="notes-banner">
      <div>
        <strong>What this link could not set:</strong>
        <ul>
          {notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="small-button" data-testid="dismiss-notes" onClick={() => useConfigStore.getState().dismissNotes()} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}

function Modal({ testId, title, children }: { testId: string; title: string; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  // Focus the dialog itself, not a button: the Enter that committed a field would otherwise "click"
  // the focused button on its keypress (a restart nobody asked for).
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref} tabIndex={-1}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export function RewardApprovalModal() {
  const pending = useConfigStore((s) => s.rewardApproval === 'pending' && s.config.reward.kind === 'code');
  const code = useConfigStore((s) => s.config.reward.code);
  if (!pending) return null;
  return (
    <Modal testId="reward-approval" title="This link brings its own reward code">
      <p>
        The experiment you opened computes its reward with the JavaScript below. It runs in a sandboxed worker (no page, no network, no
        storage, a time limit), but read it before you let it run: it decides what the model is trained to do.
      </p>
      <pre className="code-review" data-testid="reward-approval-code">
        {code}
      </pre>
      <div className="button-row">
        <button type="button" className="primary" data-testid="approve-reward" onClick={() => useConfigStore.getState().approveReward()}>
          Approve this code
        </button>
        <button type="button" data-testid="reject-reward" onClick={() => useConfigStore.getState().rejectReward()}>
          Use the verifier instead
        </button>
      </div>
    </Modal>
  );
}

export function RestartDialog() {
  const pending = useSessionStore((s) => s.pendingRestart);
  if (!pending) return null;
  const session = useSessionStore.getState();
  return (
    <Modal testId="restart-dialog" title="This change needs a restart">
      <p>
        A running run cannot change <strong>{pending.fields.join(', ')}</strong>: it shapes the model, the data or the batch. Restart with the
        change (the current run stays in the run list), or keep the current run going and use the change for the next run.
      </p>
      <div className="button-row">
        <button type="button" className="primary" data-testid="restart-confirm" onClick={() => session.confirmRestart('restart')}>
          Restart with the change
        </button>
        <button type="button" data-testid="restart-next-run" onClick={() => session.confirmRestart('next-run')}>
          Keep running; use it next run
        </button>
        <button type="button" data-testid="restart-cancel" onClick={() => session.cancelRestart()}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
