// "Export for…": the experiment as a folder an engine runs (TRL, verl or OpenRLHF), zipped for download:
// README with what maps and what does not, the configuration, the data, reward.py and the policy as a
// Hugging Face checkpoint — the run's current policy when there is a run, else the one it starts from.
// The exporter is loaded on first use (it carries the Python files), so the page does not pay for it.
import { useState } from 'react';
import { useConfigStore } from '../state/configStore';
import { useSessionStore } from '../state/sessionStore';
import { loadManifest } from './config/useManifest';
import type { ExportTarget } from '../experiment/export/types';

const TARGETS: { id: ExportTarget; label: string }[] = [
  { id: 'trl', label: 'TRL' },
  { id: 'verl', label: 'verl' },
  { id: 'openrlhf', label: 'OpenRLHF' },
];

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; name: string; files: number; unmapped: string[] } | { kind: 'error'; message: string };

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`Could not download ${url}: HTTP ${r.status}.`);
  return new Uint8Array(await r.arrayBuffer());
}

async function buildZip(target: ExportTarget): Promise<{ name: string; zip: Uint8Array; files: number; unmapped: string[] }> {
  const { exportExperiment, exportName, resolveArms, startingPolicy, trainedPolicy, zipExport } = await import('../experiment/export');
  const { parseCheckpoint } = await import('../model/checkpoint');
  const config = useConfigStore.getState().config;
  const manifest = await loadManifest();
  const entry = manifest?.[config.task.id];
  const snapshot = await useSessionStore.getState().requestSnapshot();
  let policy;
  if (snapshot) {
    policy = trainedPolicy(parseCheckpoint(snapshot.bytes), snapshot.step, snapshot.runId);
  } else if (config.model.init === 'base') {
    const raw = await fetchBytes(`${import.meta.env.BASE_URL}checkpoints/manifest.json`);
    const file = (JSON.parse(new TextDecoder().decode(raw)) as Record<string, { file?: string }>)[config.task.id]?.file;
    if (!file || !/^[\w.-]+\.safetensors$/.test(file)) throw new Error(`There is no base checkpoint for the task "${config.task.id}".`);
    policy = startingPolicy(config, parseCheckpoint(await fetchBytes(`${import.meta.env.BASE_URL}checkpoints/${file}`)));
  } else {
    policy = startingPolicy(config, null);
  }
  const result = exportExperiment({ config, target, arms: resolveArms(config, entry?.rlArms ?? []), policy });
  const name = exportName(config.task.id, config.preset, target);
  return { name, zip: zipExport(result.files, name), files: result.files.size, unmapped: result.mapping.unmapped.map((u) => u.lab) };
}

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.zip`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ExportControl() {
  const [target, setTarget] = useState<ExportTarget>('trl');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const run = async () => {
    setStatus({ kind: 'busy' });
    try {
      const { name, zip, files, unmapped } = await buildZip(target);
      download(name, zip);
      setStatus({ kind: 'done', name, files, unmapped });
    } catch (e) {
      setStatus({ kind: 'error', message: (e as Error).message });
    }
  };

  return (
    <div className="share export">
      <select data-testid="export-target" value={target} onChange={(e) => setTarget(e.target.value as ExportTarget)} aria-label="Engine to export to" title="The distributed RL engine to export this experiment to">
        {TARGETS.map((t) => (
          <option key={t.id} value={t.id}>
            {t.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="export"
        disabled={status.kind === 'busy'}
        onClick={() => void run()}
        title="Download this experiment for a cluster: README (what maps, what does not), config, data, reward.py and the policy as a Hugging Face checkpoint"
      >
        {status.kind === 'busy' ? 'Exporting…' : 'Export'}
      </button>
      {status.kind === 'done' && (
        <span className="share-length" data-testid="export-status" data-unmapped={status.unmapped.join(',')} title={status.unmapped.length ? `Not mapped (see README.md): ${status.unmapped.join(', ')}` : 'Every setting maps'}>
          ✓ {status.name}.zip
        </span>
      )}
      {status.kind === 'error' && (
        <span className="share-length too-long" data-testid="export-error" role="alert">
          {status.message}
        </span>
      )}
    </div>
  );
}
