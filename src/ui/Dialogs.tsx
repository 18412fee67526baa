// The page's modal moments: notes about a link, approving reward code that came with a link, and
// confirming a change that needs a restart. Everything from a link is rendered as React text only.
import { useEffect, useMemo, useRef } from 'react';
import { revealCode } from './editor/revealCode';
import { formatBytes, formatSeconds } from '../experiment/costEstimate';
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

/** Focusable elements inside `root`, in tab order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((el) => !el.hasAttribute('disabled'));
}

/** A modal dialog: the native <dialog> opened with showModal(), so the browser makes the rest of the
 *  page inert (no click, no focus, hidden from assistive technology); Tab also wraps inside it instead of
 *  leaving for the browser's toolbar, and Escape does not dismiss it (every dialog here needs an answer). */
export function Modal({ testId, title, children }: { testId: string; title: string; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // Focus the dialog itself, not a button: the Enter that committed a field would otherwise "click"
    // the focused button on its keypress (a restart nobody asked for).
    dialog.focus();
    return () => dialog.close();
  }, []);
  const onKeyDown = (event: React.KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === ref.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <dialog
      className="modal"
      aria-modal="true"
      aria-label={title}
      data-testid={testId}
      ref={ref}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onCancel={(event) => event.preventDefault()}
    >
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

/** The code as it will run: hidden characters as labelled markers, mixed-alphabet words marked. */
function RevealedCodeView({ code }: { code: string }) {
  const revealed = useMemo(() => revealCode(code), [code]);
  return (
    <>
      {revealed.warnings.length > 0 && (
        <div className="code-warnings" role="alert" data-testid="reward-approval-warnings">
          <strong>This code contains characters that can make it look different from what it does:</strong>
          <ul>
            {revealed.warnings.map((w) => (
              <li key={w} data-testid="reward-approval-warning">
                {w}
              </li>
            ))}
          </ul>
        </div>
      )}
      <pre className="code-review" data-testid="reward-approval-code" dir="ltr">
        {revealed.lines.map((line, i) => (
          <span className="code-line" key={i}>
            {line.map((piece, j) =>
              piece.kind === 'text' ? (
                <span key={j}>{piece.text}</span>
              ) : piece.kind === 'hidden' ? (
                <mark key={j} className="code-hidden" data-testid="hidden-char" title={piece.name}>
                  {piece.label}
                </mark>
              ) : (
                <mark key={j} className="code-mixed" data-testid="mixed-script-word" title={`Mixes ${piece.scripts.join(' and ')} letters`}>
                  {piece.text}
                </mark>
              ),
            )}
            {i < revealed.lines.length - 1 ? '\n' : null}
          </span>
        ))}
      </pre>
    </>
  );
}

export function RewardApprovalModal() {
  // Code from a link waits for approval whatever the reward kind; the dialog asks when the code would be used.
  const pending = useConfigStore((s) => s.rewardApproval === 'pending' && s.config.reward.kind === 'code');
  const code = useConfigStore((s) => s.config.reward.code);
  if (!pending) return null;
  return (
    <Modal testId="reward-approval" title="This link brings its own reward code">
      <p>
        The experiment you opened computes its reward with the JavaScript below. It runs in a sandboxed worker (no page, no network, no
        storage, a time limit), but read it before you let it run: it decides what the model is trained to do.
      </p>
      <RevealedCodeView code={code} />
      <div className="button-row">
        <button type="button" className="primary" data-testid="approve-reward" onClick={() => useConfigStore.getState().approveReward()}>
          Approve this code
        </button>
        <button type="button" data-testid="reject-reward" onClick={() => useConfigStore.getState().rejectReward()}>
          Use the verifier instead
        </button>
        <button type="button" data-testid="discard-reward" onClick={() => useConfigStore.getState().discardLinkCode()}>
          Discard it and write my own
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

export function CostDialog() {
  const pending = useSessionStore((s) => s.pendingCost);
  if (!pending) return null;
  const { estimate } = pending;
  const session = useSessionStore.getState();
  return (
    <Modal testId="cost-dialog" title="This configuration is very large">
      <p data-testid="cost-reasons">
        By a rough estimate, each step needs {estimate.reasons.join(' and ')}: {estimate.rows.toLocaleString('en')} sequences per step{estimate.seeds > 1 ? `, for each of ${estimate.seeds} seeds` : ''}. The tab may
        become slow or run out of memory, and the browser may stop it.
      </p>
      <ul className="small" data-testid="cost-estimate">
        <li>
          GPU memory at the step's peak: about <strong data-testid="cost-memory">{formatBytes(estimate.memoryBytes)}</strong>
        </li>
        <li>
          Time per step: about <strong data-testid="cost-step-time">{formatSeconds(estimate.stepSeconds)}</strong>; the whole run: about {formatSeconds(estimate.runSeconds)}
        </li>
      </ul>
      <p className="muted small">Estimates, to an order of magnitude (they assume a laptop GPU). Fewer seeds, prompts or samples per step, fewer PPO epochs or dynamic-sampling tries make it smaller.</p>
      <div className="button-row">
        <button type="button" data-testid="cost-cancel" className="primary" onClick={() => session.cancelCost()}>
          Cancel
        </button>
        <button type="button" data-testid="cost-confirm" onClick={() => session.confirmCost()}>
          Start anyway
        </button>
      </div>
    </Modal>
  );
}
