// "Compare with…" on a run: its twin with one setting changed — pick a setting (any plain algorithm
// setting, or the seed), type its value — started at once and labelled by the difference, so the two
// runs overlay in the plots as a controlled comparison. The twin's config replaces the editor's.
import { useState } from 'react';
import { fieldValue, twinConfig, twinFields } from '../../experiment/twin';
import type { RunGroup } from '../../state/runGroups';
import { configDifferences, formatValue, shortName } from '../../state/runLabel';
import { useSessionStore } from '../../state/sessionStore';
import { Modal } from '../Dialogs';

export function CompareWithButton({ group, label }: { group: RunGroup; label: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="run-button" data-testid="run-compare-with" onClick={() => setOpen(true)} aria-label={`compare ${label} with a twin`} title="Compare with… (the same run with one setting changed)">
        ⇄
      </button>
      {open && <CompareWithDialog group={group} label={label} onClose={() => setOpen(false)} />}
    </>
  );
}

function CompareWithDialog({ group, label, onClose }: { group: RunGroup; label: string; onClose: () => void }) {
  const config = group.config;
  const fields = twinFields(config);
  const [field, setField] = useState(fields.includes('algorithm.lr') ? 'algorithm.lr' : fields[0]);
  const [value, setValue] = useState(() => shown(fieldValue(config, field)));
  const [problems, setProblems] = useState<string[]>([]);
  const pick = (next: string) => {
    setField(next);
    setValue(shown(fieldValue(config, next)));
    setProblems([]);
  };
  const start = () => {
    const twin = twinConfig(config, field, value);
    if ('problems' in twin) return setProblems(twin.problems);
    const difference = configDifferences([config, twin.config])[1].join(', ');
    const refused = useSessionStore.getState().loadAndRun(twin.config, { label: `${difference} (twin of ${label})` });
    if (refused) setProblems(refused);
    else onClose();
  };
  return (
    <Modal testId="compare-with" title={`Compare “${label}” with…`}>
      <p className="small muted">The same run with one setting changed, started now and drawn over it in the plots.</p>
      <label className="top-field">
        <span>Setting</span>
        <select data-testid="compare-with-field" value={field} onChange={(e) => pick(e.target.value)}>
          {fields.map((f) => (
            <option key={f} value={f}>
              {shortName(f)} ({f}) — now {formatValue(fieldValue(config, f))}
            </option>
          ))}
        </select>
      </label>
      <label className="top-field">
        <span>New value</span>
        <input data-testid="compare-with-value" value={value} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && start()} />
      </label>
      {problems.length > 0 && (
        <p className="error-text small" role="alert" data-testid="compare-with-problems">
          {problems.join('; ')}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="primary" data-testid="compare-with-start" onClick={start}>
          ▶ Start the twin
        </button>
        <button type="button" data-testid="compare-with-cancel" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

/** A value as the field shows it for editing: on/off for a switch, the number or choice as is. */
function shown(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'on' : 'off') : v === null ? 'off' : String(v);
}
