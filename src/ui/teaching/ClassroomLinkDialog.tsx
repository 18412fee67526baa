// "Share as classroom link…": builds a link to this experiment with classroom options (which control
// groups to hide or lock, a step to pause at, the Basic view) from checkboxes, and copies it. The
// options are query parameters (src/experiment/classroomLink.ts); the hash is the experiment's.
import { useMemo, useState } from 'react';
import { CONTROL_GROUPS, CONTROL_GROUP_LABELS, MAX_STOP_AT, withClassroomOptions, type ControlGroup } from '../../experiment/classroomLink';
import { encodeExperiment } from '../../experiment/urlCodec';
import { classroomLink } from '../../state/classroom';
import { useConfigStore } from '../../state/configStore';
import { Modal } from '../Dialogs';

/** The classroom link: this page's address, its other query parameters kept, with these options. */
export function classroomUrl(href: string, options: { hide: ControlGroup[]; lock: ControlGroup[]; stopAt: number | null; basicView: boolean }, hash: string): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.search);
  if (options.basicView) params.set('view', 'basic');
  else params.delete('view');
  const query = withClassroomOptions(params.toString(), options);
  return `${url.origin}${url.pathname}${query}${hash}`;
}

const toggle = (list: ControlGroup[], group: ControlGroup, on: boolean) => (on ? [...list.filter((g) => g !== group), group] : list.filter((g) => g !== group));

export function ClassroomLinkButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-testid="classroom-link-open" onClick={() => setOpen(true)} title="A link for a class: hide or lock groups of controls, fix the seed, pause the run at a step">
        Share as classroom link…
      </button>
      {open && <ClassroomLinkDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function ClassroomLinkDialog({ onClose }: { onClose: () => void }) {
  const config = useConfigStore((s) => s.config);
  const [hide, setHide] = useState<ControlGroup[]>(classroomLink.hide);
  const [lock, setLock] = useState<ControlGroup[]>(classroomLink.lock);
  const [stopAt, setStopAt] = useState(classroomLink.stopAt === null ? '' : String(classroomLink.stopAt));
  const [basicView, setBasicView] = useState(new URLSearchParams(location.search).get('view') === 'basic');
  const [copied, setCopied] = useState(false);
  const stopValue = /^[0-9]{1,6}$/.test(stopAt) && Number(stopAt) >= 1 && Number(stopAt) <= MAX_STOP_AT ? Number(stopAt) : null;
  const stopInvalid = stopAt.trim() !== '' && stopValue === null;
  const url = useMemo(
    () => classroomUrl(location.href, { hide, lock, stopAt: stopValue, basicView }, encodeExperiment(config)),
    [hide, lock, stopValue, basicView, config],
  );
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false); // the link stays selectable in the field below
    }
  };
  return (
    <Modal testId="classroom-link-dialog" title="Share as classroom link">
      <p className="muted small">Students who open this link get this experiment with these groups of controls hidden or locked (shown but not editable). Lock the seed to fix it.</p>
      <table className="classroom-groups">
        <thead>
          <tr>
            <th scope="col">Controls</th>
            <th scope="col">Hide</th>
            <th scope="col">Lock</th>
          </tr>
        </thead>
        <tbody>
          {CONTROL_GROUPS.map((g) => (
            <tr key={g}>
              <th scope="row">{CONTROL_GROUP_LABELS[g]}</th>
              <td>
                <input type="checkbox" aria-label={`Hide ${CONTROL_GROUP_LABELS[g]}`} data-testid={`classroom-hide-${g}`} checked={hide.includes(g)} onChange={(e) => setHide(toggle(hide, g, e.target.checked))} />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Lock ${CONTROL_GROUP_LABELS[g]}`}
                  data-testid={`classroom-lock-${g}`}
                  checked={lock.includes(g) && !hide.includes(g)}
                  disabled={hide.includes(g)}
                  onChange={(e) => setLock(toggle(lock, g, e.target.checked))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="classroom-option">
        Pause each run at step{' '}
        <input type="number" min={1} max={MAX_STOP_AT} step={1} data-testid="classroom-stop-at" value={stopAt} placeholder="never" onChange={(e) => setStopAt(e.target.value)} />
      </label>
      {stopInvalid && <p className="warn-text small">A whole number of steps from 1 to {MAX_STOP_AT}; left out of the link.</p>}
      <label className="classroom-option">
        <input type="checkbox" data-testid="classroom-basic-view" checked={basicView} onChange={(e) => setBasicView(e.target.checked)} /> Open in the Basic view
      </label>
      <input className="manual-url" data-testid="classroom-link-url" readOnly value={url} aria-label="The classroom link" onFocus={(e) => e.target.select()} />
      <div className="button-row">
        <button type="button" className="primary" data-testid="classroom-link-copy" onClick={() => void copy()}>
          {copied ? '✓ Copied' : 'Copy link'}
        </button>
        <button type="button" data-testid="classroom-link-close" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
