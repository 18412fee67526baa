// Runs as files and "is the difference real?", mounted in the Runs panel with one line each:
// RunFileControls (Import a run file, open the comparison) above the list, ExportRunButton in a row.
// An import is validated whole before the store is touched (state/runFiles.ts): a bad file shows what
// is wrong with it and changes nothing.
import { useRef, useState } from 'react';
import { groupIdOf, groupRuns } from '../../state/runGroups';
import { groupToFile, importRunFile, runFileName } from '../../state/runFiles';
import { useRunsStore, type RunRecord } from '../../state/runsStore';
import { downloadBlob } from '../plots/exportChart';
import { ComparisonPanel } from './ComparisonPanel';
import './runFiles.css';

type Note = { kind: 'ok' | 'error'; text: string } | null;

export function RunFileControls() {
  const input = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<Note>(null);
  const [comparing, setComparing] = useState(false);
  const groupCount = useRunsStore((s) => new Set(s.runs.map(groupIdOf)).size);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      setNote({ kind: 'error', text: `Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    const result = importRunFile(useRunsStore.getState(), text);
    if (result.ok) {
      const n = result.seeds.length;
      setNote({ kind: 'ok', text: `Imported ${file.name}: ${n > 1 ? `${n} seeds (${result.seeds.join(', ')}) as one run` : `one run (seed ${result.seeds[0]})`}.` });
    } else setNote({ kind: 'error', text: `${file.name} was not imported. ${result.message}` });
  };

  return (
    <div className="run-files">
      <div className="run-files-buttons">
        <button type="button" className="small-button" data-testid="run-import" onClick={() => input.current?.click()} title="Add a run from a JSON file (exported here, or written by npm run train)">
          Import run…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="run-import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file can be picked again
            void onFile(file);
          }}
        />
        <button type="button" className="small-button" data-testid="compare-open" onClick={() => setComparing((c) => !c)} disabled={groupCount < 2 && !comparing} title="Is the difference between two runs real? Pairs their seeds and gives an interval">
          {comparing ? 'Close comparison' : 'Compare runs…'}
        </button>
      </div>
      {note ? (
        <p className={note.kind === 'error' ? 'run-files-error' : 'run-files-ok muted'} role={note.kind === 'error' ? 'alert' : 'status'} data-testid="run-import-message">
          {note.text}{' '}
          <button type="button" className="run-button" onClick={() => setNote(null)} aria-label="dismiss">
            ✕
          </button>
        </p>
      ) : null}
      {comparing ? <ComparisonPanel /> : null}
    </div>
  );
}

/** Writes the run's group (every replica) as a JSON run file, in the format `npm run train` writes. */
export function ExportRunButton({ run }: { run: RunRecord }) {
  const exportGroup = () => {
    const id = groupIdOf(run);
    const group = groupRuns(useRunsStore.getState().runs).find((g) => g.id === id);
    if (!group) return;
    downloadBlob(new Blob([JSON.stringify(groupToFile(group))], { type: 'application/json' }), runFileName(group));
  };
  const count = run.replica?.count ?? 1;
  return (
    <button type="button" className="run-button" data-testid="run-export" onClick={exportGroup} aria-label={`export ${run.label} as a file`} title={`Save this run${count > 1 ? ` (all ${count} seeds)` : ''} as a JSON file (config, metrics, curriculum, evaluations)`}>
      ⤓
    </button>
  );
}
