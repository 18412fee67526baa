// The top bar: preset, the gallery button, run controls, seed, share link, compute backend. Below it,
// the preset's "what you should see".
import { useEffect, useMemo, useState } from 'react';
import { PRESETS, getPreset, presetConfig } from '../experiment/presets';
import { LINK_WARN_LENGTH, linkLength } from '../experiment/urlCodec';
import { flushHash, shareUrl, useConfigStore } from '../state/configStore';
import { formatDuration, runPace } from '../state/runPace';
import { useRunsStore } from '../state/runsStore';
import { isWarmingUp, useSessionStore } from '../state/sessionStore';
import { BackendStatus } from './BackendStatus';
import { ExportControl } from './ExportControl';
import { ClassroomLinkButton } from './teaching/ClassroomLinkDialog';
import { ControlGroupGate } from './teaching/ControlGroupGate';
import { OpenInLabLink } from './teaching/OpenInLabLink';

function randomSeed(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0];
}

export function TopBar({ onOpenGallery, embed = false, lessonPicker }: { onOpenGallery?: () => void; embed?: boolean; lessonPicker?: React.ReactNode }) {
  if (embed) {
    // An iframe: run it, see which device runs it, and go to the full lab for the rest.
    return (
      <header className="top-bar">
        <div className="top-bar-row">
          <h1 className="brand">RLVR Lab</h1>
          <RunControls />
          <BackendStatus />
          <OpenInLabLink />
        </div>
      </header>
    );
  }
  return (
    <header className="top-bar">
      <div className="top-bar-row">
        <h1 className="brand">RLVR Lab</h1>
        <ControlGroupGate group="preset" inline>
          <PresetPicker />
        </ControlGroupGate>
        {onOpenGallery && (
          <ControlGroupGate group="gallery" inline>
            <button type="button" data-testid="open-gallery" onClick={onOpenGallery} title="The preset gallery: each paper's headline dynamic, recorded, one click from running">
              Gallery
            </button>
          </ControlGroupGate>
        )}
        {lessonPicker}
        <RunControls />
        <ControlGroupGate group="seed" inline>
          <SeedControl />
        </ControlGroupGate>
        <ShareControl />
        <ClassroomLinkButton />
        <ExportControl />
        <BackendStatus />
      </div>
    </header>
  );
}

/** A preset is a whole experiment: choosing one gives exactly its config and its link (issue 19: the
 *  previous preset's reward, arms and curriculum used to leak into the next). */
function PresetPicker() {
  const preset = useConfigStore((s) => s.config.preset);
  return (
    <>
      <label className="top-field">
        <span className="top-label">Preset</span>
        <select
          data-testid="preset-select"
          value={preset || 'default'}
          onChange={(e) => useSessionStore.getState().proposeConfig(presetConfig(e.target.value))}
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="small-button"
        data-testid="reset-settings"
        onClick={() => useSessionStore.getState().proposeConfig(presetConfig(preset || 'default'))}
        title="Every setting back to this preset's (a running run asks before it restarts)"
      >
        ↺ Reset settings
      </button>
    </>
  );
}

export function PresetDescription() {
  const presetId = useConfigStore((s) => s.config.preset) || 'default';
  const preset = getPreset(presetId);
  if (!preset) return null;
  return (
    <details className="preset-description" data-testid="preset-description" open>
      <summary>
        What you should see — <em>{preset.title}</em>
      </summary>
      <p>{preset.whatYouShouldSee}</p>
      <p className="muted small">
        From: {preset.paper}.{' '}
        {preset.dynamicsVerified ? 'Confirmed by a recorded run of this lab.' : 'What the paper leads us to expect; not yet confirmed by a recorded run of this lab.'}
      </p>
    </details>
  );
}

const STATE_WORDS: Record<string, string> = {
  idle: 'ready',
  loading: 'loading…',
  running: 'running',
  paused: 'paused',
  stopped: 'stopped',
  error: 'error',
};

function RunControls() {
  const state = useSessionStore((s) => s.state);
  const step = useSessionStore((s) => s.step);
  // A multi-seed run: its seeds step together, and the counter is every seed's.
  const seeds = useSessionStore((s) => s.activeRunIds.length);
  const message = useSessionStore((s) => s.message);
  const lastError = useSessionStore((s) => s.lastError);
  const warming = useSessionStore(isWarmingUp);
  const warmup = useSessionStore((s) => s.warmup);
  // A self-play run counts loop iterations.
  const steps = useConfigStore((s) => (s.config.selfplay.loop === 'none' ? s.config.run.steps : s.config.selfplay.iterations));
  const unit = useConfigStore((s) => (s.config.selfplay.loop === 'none' ? 'step' : 'iteration'));
  const blocked = useConfigStore((s) => s.rewardApproval === 'pending' && s.config.reward.kind === 'code');
  const session = useSessionStore.getState();
  const running = state === 'running' || state === 'loading';
  return (
    <div className="run-controls" role="group" aria-label="Run controls">
      {running ? (
        <button type="button" data-testid="pause" onClick={() => session.pause()} disabled={state === 'loading'} title="Pause after the current step">
          ❚❚ Pause
        </button>
      ) : (
        <button type="button" className="primary" data-testid="play" onClick={() => session.play()} disabled={blocked} title={state === 'paused' ? 'Resume' : 'Start a run'}>
          ▶ {state === 'paused' ? 'Resume' : 'Play'}
        </button>
      )}
      <button type="button" data-testid="step-once" onClick={() => session.stepOnce()} disabled={running || blocked} title="One training step (starts a paused run if none)">
        Step
      </button>
      <button type="button" data-testid="new-run" onClick={() => session.reset()} disabled={blocked} title="Stop this run and start a new one at step 0 with the current settings (the old run stays in the run list)">
        ↻ New run
      </button>
      <span
        className={`run-state state-${state}${warming ? ' warming-up' : ''}`}
        data-testid="run-state"
        data-state={state}
        data-step={step}
        data-seeds={seeds}
        data-warming-up={String(warming)}
        title={message ?? (warming ? 'Supervised warm-up of the fresh policy (model.init sft); RL starts after it.' : undefined)}
      >
        {warming && warmup
          ? `${state === 'running' ? 'warming up' : (STATE_WORDS[state] ?? state)} · SFT ${warmup.step}/${warmup.total}`
          : // Steps *done*: the charts' x is the 0-based step that produced a point, so after one step the
            // chart's only point is at 0 and this says 1/N done (issue 19: "step 1" read as a mismatch).
            // A multi-seed run: the steps every seed has done.
            `${STATE_WORDS[state] ?? state} · ${step}/${steps} ${unit}s done${seeds > 1 ? ` · ${seeds} seeds` : ''}`}
      </span>
      {unit === 'step' && !warming && <RunPaceLabel totalSteps={steps} />}
      {lastError && (
        <span className="session-error" data-testid="session-error" title={lastError.message}>
          {lastError.message}
        </span>
      )}
    </div>
  );
}

/** Steps per second and the time left at the recent pace (re-read when steps arrive, once a frame). */
function RunPaceLabel({ totalSteps }: { totalSteps: number }) {
  useRunsStore((s) => s.version);
  const ids = useSessionStore((s) => s.activeRunIds);
  const state = useSessionStore((s) => s.state);
  const runs = useRunsStore.getState().runs;
  const replicas = ids.map((id) => runs.find((r) => r.id === id)?.metrics ?? []);
  const pace = runPace(replicas, totalSteps);
  if (!pace || (state !== 'running' && state !== 'paused')) return null;
  return (
    <span className="run-pace muted" data-testid="run-pace" data-steps-per-second={pace.stepsPerSecond} title="At the pace of the last 10 steps (all seeds of the run together)">
      {pace.stepsPerSecond >= 1 ? pace.stepsPerSecond.toFixed(1) : pace.stepsPerSecond.toFixed(2)} steps/s · {formatDuration(pace.secondsLeft)} left
    </span>
  );
}

function SeedControl() {
  const seed = useConfigStore((s) => s.config.seed);
  const [draft, setDraft] = useState(String(seed));
  useEffect(() => setDraft(String(seed)), [seed]);
  const commit = (value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      setDraft(String(seed));
      return;
    }
    if (value !== seed) useSessionStore.getState().proposeConfig({ ...useConfigStore.getState().config, seed: value });
  };
  return (
    <label className="top-field seed-field" title="Seeds the model init, the data and the sampling: the same seed and link give the same run on the same device.">
      <span className="top-label">Seed</span>
      <input
        type="number"
        data-testid="seed"
        min={0}
        max={0xffffffff}
        step={1}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => commit(Number(draft))}
        onKeyDown={(e) => e.key === 'Enter' && commit(Number(draft))}
      />
      <button type="button" data-testid="new-seed" className="small-button" onClick={() => commit(randomSeed())} title="A new random seed">
        New seed
      </button>
    </label>
  );
}

function ShareControl() {
  const config = useConfigStore((s) => s.config);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'manual'>('idle');
  const [manualUrl, setManualUrl] = useState('');
  const length = useMemo(() => location.href.length - location.hash.length + linkLength(config), [config]);
  const tooLong = length > LINK_WARN_LENGTH;
  useEffect(() => setCopied('idle'), [config]);

  const share = async () => {
    flushHash();
    const url = shareUrl();
    try {
      await navigator.clipboard.writeText(url);
      setCopied('copied');
    } catch {
      setManualUrl(url);
      setCopied('manual');
    }
  };

  return (
    <div className="share">
      <button type="button" data-testid="share" onClick={() => void share()} title="Copy a link to this experiment: the seed and every setting that differs from the preset">
        {copied === 'copied' ? '✓ Link copied' : 'Share link'}
      </button>
      <span
        className={`share-length${tooLong ? ' too-long' : ''}`}
        data-testid="share-length"
        data-length={length}
        data-too-long={String(tooLong)}
        title={tooLong ? `Over ${LINK_WARN_LENGTH} characters: some chat apps and mail clients cut or refuse links this long.` : 'Length of the link'}
      >
        {length} chars{tooLong ? ` ⚠ over ${LINK_WARN_LENGTH}: some apps cut links this long` : ''}
      </span>
      {copied === 'manual' && (
        <input className="manual-url" data-testid="share-url" readOnly value={manualUrl} aria-label="The link (copy it by hand)" onFocus={(e) => e.target.select()} autoFocus />
      )}
    </div>
  );
}
