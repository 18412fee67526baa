// One config field: an input made from its zod schema, its label and reference tooltip, a mark when
// it differs from the preset, a per-field reset, and a "live" badge for fields a running run accepts.
// Changes go through the session store's proposeConfig (validated; a restart asked for when needed).
import { useEffect, useId, useMemo, useState } from 'react';
import { presetConfig } from '../../experiment/presets';
import type { z } from 'zod';
import { getPath, setPath, useConfigStore } from '../../state/configStore';
import { useSessionStore } from '../../state/sessionStore';
import { LIVE_FIELDS } from '../../worker/liveConfig';
import { fieldInfo } from './fieldInfo';
import { fieldKind } from './zodField';

export function formatValue(v: unknown): string {
  if (v === null) return 'off';
  if (typeof v === 'number') return Number.isInteger(v) || Math.abs(v) >= 0.01 ? String(v) : v.toExponential();
  return String(v);
}

/** Applies a value at `path` through the session (restart dialog, live update); returns problems. */
export function proposeField(path: readonly string[], value: unknown): string[] | null {
  // Validated by the schema inside proposeConfig (setConfig); refused values leave the config as it was.
  return useSessionStore.getState().proposeConfig(setPath(useConfigStore.getState().config, path, value));
}

export function FieldRow({ path, name, label, help, children }: { path: readonly string[]; name: string; label: string; help: string; children: React.ReactNode }) {
  const value = useConfigStore((s) => getPath(s.config, path));
  const preset = useConfigStore((s) => s.config.preset);
  const key = path.join('.');
  // Not a store selector: the preset's config is rebuilt per call, and a selector must return stable values.
  const baseline = useMemo(() => getPath(presetConfig(preset), path), [preset, key]);
  const changed = JSON.stringify(value) !== JSON.stringify(baseline);
  const live = LIVE_FIELDS.includes(path.join('.'));
  const [helpOpen, setHelpOpen] = useState(false);
  const helpId = useId();
  return (
    <div className={`field${changed ? ' field-changed' : ''}`} data-field={name} data-changed={String(changed)} title={help}>
      <div className="field-label">
        <span>
          {/* role="img": an aria-label on a plain span is prohibited (axe: aria-prohibited-attr). */}
          {changed && <span className="changed-dot" role="img" aria-label="changed from the preset" title="Changed from the preset" />}
          {label}
          {help && (
            // A button, so the help can be reached by keyboard and opened by a tap (a hover title cannot).
            <button
              type="button"
              className="help-mark"
              data-testid={`help-${name}`}
              title={help}
              aria-label={`What is ${label}?`}
              aria-expanded={helpOpen}
              aria-controls={helpId}
              onClick={() => setHelpOpen((open) => !open)}
            >
              ?
            </button>
          )}
          {live && (
            <span className="live-badge" title="Applies to a running run between steps, without a restart">
              live
            </span>
          )}
        </span>
        {changed && (
          <button type="button" className="reset-field" data-testid={`reset-${name}`} title={`Reset to the preset's value (${formatValue(baseline)})`} onClick={() => proposeField(path, baseline)}>
            ↺
          </button>
        )}
      </div>
      {children}
      {help && helpOpen && (
        <p className="field-help" id={helpId} data-testid={`help-text-${name}`}>
          {help}
        </p>
      )}
    </div>
  );
}

/** A field whose input is derived from its schema. `name` is the data-testid suffix. */
export function SchemaField({ path, name, schema, label, help, step }: { path: readonly string[]; name: string; schema: z.ZodType; label?: string; help?: string; step?: number | 'any' }) {
  const info = fieldInfo(name);
  const kind = fieldKind(schema);
  const value = useConfigStore((s) => getPath(s.config, path));
  const id = useId();
  const l = label ?? info.label;
  const h = help ?? info.help;
  return (
    <FieldRow path={path} name={name} label={l} help={h}>
      <label htmlFor={id} className="visually-hidden">
        {l}
      </label>
      {/* An optional number that is absent (e.g. task.trainPool) means its off value, 0. */}
      {kind.kind === 'number' && <NumberInput id={id} name={name} path={path} value={value === undefined ? 0 : (value as number | null)} min={kind.min} max={kind.max} int={kind.int} nullable={kind.nullable} step={step ?? info.step} />}
      {kind.kind === 'enum' && (
        <select id={id} data-testid={`config-field-${name}`} value={String(value)} onChange={(e) => proposeField(path, e.target.value)}>
          {kind.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
      {kind.kind === 'boolean' && <input id={id} type="checkbox" data-testid={`config-field-${name}`} checked={value === true} onChange={(e) => proposeField(path, e.target.checked)} />}
      {kind.kind === 'other' && <code>{JSON.stringify(value)}</code>}
    </FieldRow>
  );
}

/** A number input with a draft: committed on Enter or blur, refused (with the range) when invalid. */
function NumberInput({ id, name, path, value, min, max, int, nullable, step }: { id: string; name: string; path: readonly string[]; value: number | null; min: number; max: number; int: boolean; nullable: boolean; step?: number | 'any' }) {
  const [draft, setDraft] = useState(value === null ? '' : String(value));
  const [problem, setProblem] = useState<string | null>(null);
  // A change waiting in the restart dialog: when it is answered (or cancelled), show the value again.
  const restartPending = useSessionStore((s) => s.pendingRestart !== null);
  useEffect(() => {
    setDraft(value === null ? '' : String(value));
    setProblem(null);
  }, [value, restartPending]);

  const commit = () => {
    const text = draft.trim();
    if (text === '' && nullable) {
      setProblem(null);
      if (value !== null) proposeField(path, null);
      return;
    }
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) return setProblem('Not a number.');
    if (int && !Number.isInteger(n)) return setProblem('A whole number, please.');
    if (n < min || n > max) return setProblem(`Between ${formatValue(min)} and ${formatValue(max)}.`);
    setProblem(null);
    if (n !== value) {
      const problems = proposeField(path, n);
      if (problems) setProblem(problems.join('; '));
    }
  };

  return (
    <>
      <span className="number-input">
        {nullable && (
          <input
            type="checkbox"
            aria-label="on"
            data-testid={`config-toggle-${name}`}
            checked={value !== null}
            onChange={(e) => proposeField(path, e.target.checked ? Math.max(min, Math.min(max, 3)) : null)}
          />
        )}
        <input
          id={id}
          type="number"
          inputMode="decimal"
          data-testid={`config-field-${name}`}
          value={draft}
          min={Number.isFinite(min) ? min : undefined}
          max={Number.isFinite(max) ? max : undefined}
          step={step ?? (int ? 1 : 'any')}
          disabled={nullable && value === null}
          placeholder={nullable ? 'off' : undefined}
          aria-invalid={problem !== null}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(value === null ? '' : String(value));
          }}
        />
      </span>
      {problem && <span className="field-problem" role="alert">{problem}</span>}
    </>
  );
}
