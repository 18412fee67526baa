// The live plots: one chart per metric, every visible run overlaid in its colour (TensorBoard / W&B
// style). The panel subscribes to the runs store's `version`, which moves at most once per animation
// frame, and re-extracts series only when it moves: that is the only re-render training causes.
import { useMemo, useState } from 'react';
import { useConfigStore } from '../../state/configStore';
import { useRunsStore, type RunRecord } from '../../state/runsStore';
import { curriculumCharts } from './curriculumCharts';
import type { XAxisMode } from './chartData';
import { MetricChart } from './MetricChart';
import { ArmProbabilityChart, pickCurriculumRun } from './ArmProbabilityChart';
import { CLIP_RATIO, COMPLETION_LENGTH, ENTROPY, FRAC_FILTERED, GRAD_NORM, KL, LOSS, REWARD, ZERO_STD, type StepMetricDef } from './metricDefs';
import { PassAtKCurveChart } from './PassAtKCurveChart';
import { runLoop } from './selfplayCharts';
import { SelfplayPlots } from './SelfplayPlots';
import { armLines, armsOf, curriculumSeries, largestK, metricSeries, passAtKSeries, type RunSeries } from './series';
import { DEFAULT_SEED_VIEW, groupSeedSeries, type BandChoice, type SeedView } from './seedBands';
import './plots.css';

/** True when a run can show no clipping at all: one pass per batch keeps ρ ≡ 1 (docs/rl-reference.md). */
function clipCannotHappen(run: RunRecord): boolean {
  return run.config.algorithm.ppoEpochs === 1 && run.metrics.length > 0 && run.metrics.every((m) => m.clip_ratio.low_mean === 0 && m.clip_ratio.high_mean === 0 && m.clip_ratio.region_mean === 0);
}

const CLIP_NOTE = 'one optimisation pass per batch: ρ ≡ 1, nothing can clip — raise PPO epochs.';

/** The note under the clip-ratio chart, naming the runs it applies to when not all visible runs. */
function clipNote(unclippable: RunRecord[], visibleCount: number): string | undefined {
  if (unclippable.length === 0) return undefined;
  if (unclippable.length === visibleCount) return CLIP_NOTE.charAt(0).toUpperCase() + CLIP_NOTE.slice(1);
  return `${unclippable.map((r) => r.label).join(', ')}: ${CLIP_NOTE}`;
}

const stepSeries = (runs: RunRecord[], def: StepMetricDef): RunSeries[] => runs.flatMap((r) => metricSeries(r, def.lines));

export default function PlotsPanel() {
  const version = useRunsStore((s) => s.version);
  const runs = useRunsStore((s) => s.runs);
  const activeRunId = useRunsStore((s) => s.activeRunId);
  const [smoothing, setSmoothing] = useState(0.6);
  const [xMode, setXMode] = useState<XAxisMode>('step');
  const [seedView, setSeedView] = useState<SeedView>(DEFAULT_SEED_VIEW);
  const config = useConfigStore((s) => s.config);

  // Everything below is recomputed per version (≤ once per frame), never per step.
  const data = useMemo(() => {
    const visible = runs.filter((r) => r.visible);
    const kMax = largestK(visible);
    const ks = kMax > 1 ? [1, kMax] : [1];
    const arms = armLines(armsOf(visible));
    return {
      visible,
      kMax,
      reward: stepSeries(visible, REWARD),
      passAtK: visible.flatMap((r) => passAtKSeries(r, ks)),
      entropy: stepSeries(visible, ENTROPY),
      kl: stepSeries(visible, KL),
      length: stepSeries(visible, COMPLETION_LENGTH),
      clip: stepSeries(visible, CLIP_RATIO),
      gradNorm: stepSeries(visible, GRAD_NORM),
      zeroStd: stepSeries(visible, ZERO_STD),
      loss: stepSeries(visible, LOSS),
      arms: visible.flatMap((r) => metricSeries(r, arms)),
      unclippable: visible.filter(clipCannotHappen),
      armScore: visible.flatMap((r) => curriculumSeries(r, 'score')),
      armAbsAdvantage: visible.flatMap((r) => curriculumSeries(r, 'meanAbsAdvantage')),
      armAccuracy: visible.flatMap((r) => curriculumSeries(r, 'accuracy')),
      fracFiltered: stepSeries(visible, FRAC_FILTERED),
      scoreLabel: pickCurriculumRun(visible, activeRunId)?.curriculum?.scoreLabel ?? null,
    };
    // `version` is the change signal: the arrays inside `runs` are appended in place.
  }, [runs, version, activeRunId]);

  // Multi-seed runs drawn as a mean and a band (seedBands.ts): once per version or view change, like
  // the extraction above; a single-seed run's series pass through as they are.
  const multiSeed = useMemo(() => data.visible.some((r) => (r.replica?.count ?? 1) > 1), [data]);
  const shown = useMemo(() => {
    if (!multiSeed) return data;
    const g = (series: RunSeries[]) => groupSeedSeries(series, data.visible, seedView);
    return { ...data, reward: g(data.reward), passAtK: g(data.passAtK), entropy: g(data.entropy), kl: g(data.kl), length: g(data.length), clip: g(data.clip), gradNorm: g(data.gradNorm), zeroStd: g(data.zeroStd), loss: g(data.loss), arms: g(data.arms), armScore: g(data.armScore), armAbsAdvantage: g(data.armAbsAdvantage), armAccuracy: g(data.armAccuracy), fracFiltered: g(data.fracFiltered) };
  }, [data, multiSeed, seedView]);

  const common = { xMode, smoothing, activeRunId };
  const curriculum = useMemo(() => curriculumCharts(data.visible.map((r) => r.config), config), [data, config]);
  // A self-play run plots its loop's metrics; the RL charts stay hidden while every visible run is one.
  const activeRun = runs.find((r) => r.id === activeRunId);
  const activeLoop = activeRun ? runLoop(activeRun) : 'none';
  const onlySelfplay = data.visible.length > 0 && data.visible.every((r) => runLoop(r) !== 'none');
  const stepDef = (def: StepMetricDef, series: RunSeries[], note?: string) => <MetricChart key={def.id} id={def.id} title={def.title} about={def.about} series={series} note={note} range={def.range} {...common} />;

  return (
    <section className="panel plots-panel" aria-labelledby="plots-heading">
      <div className="plots-toolbar">
        <h2 id="plots-heading">Live metrics</h2>
        <label title="Debiased exponential moving average, as TensorBoard smooths; the raw series stays faint underneath">
          smoothing
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} aria-label="smoothing" />
          <output>{smoothing.toFixed(2)}</output>
        </label>
        <label>
          x axis{' '}
          <select value={xMode} onChange={(e) => setXMode(e.target.value as XAxisMode)} aria-label="x axis">
            <option value="step">step</option>
            <option value="wall">training time</option>
            <option value="samples">samples spent</option>
          </select>
        </label>
        {multiSeed ? (
          <>
            <label title="The shaded band around a multi-seed run's mean: the 95 % t-interval of the mean over seeds, or the seeds' min–max (each seed smoothed first)">
              band{' '}
              <select value={seedView.band} onChange={(e) => setSeedView((v) => ({ ...v, band: e.target.value as BandChoice }))} aria-label="seed band" data-testid="seed-band">
                <option value="t95">95 % t-interval</option>
                <option value="minmax">min–max</option>
                <option value="none">none</option>
              </select>
            </label>
            <label title="A thin line per seed under each multi-seed run's mean">
              <input type="checkbox" checked={seedView.showSeeds} onChange={(e) => setSeedView((v) => ({ ...v, showSeeds: e.target.checked }))} data-testid="show-seeds" /> show individual seeds
            </label>
          </>
        ) : null}
      </div>
      {runs.length === 0 ? <p className="muted">No runs yet. Start one and its metrics appear here, step by step.</p> : null}
      {runs.length > 0 && data.visible.length === 0 ? <p className="muted">All runs are hidden: show one in the runs list.</p> : null}
      {activeLoop !== 'none' ? <SelfplayPlots loop={activeLoop} runs={data.visible} version={version} {...common} /> : null}
      {onlySelfplay ? null : (
        <>
          <div className="plots-grid">
            {stepDef(REWARD, shown.reward)}
            <MetricChart
              id="pass_at_k"
              title={data.kMax > 1 ? `pass@1 and pass@${data.kMax} (eval)` : 'pass@k (eval)'}
              about="Held-out pass@k by the unbiased estimator (openai/human-eval), mean over arms, at each periodic evaluation. Solid: pass@1; dashed: the largest k."
              series={shown.passAtK}
              yTitle="pass@k"
              range="probability"
              {...common}
            />
            <PassAtKCurveChart runs={data.visible} version={version} activeRunId={activeRunId} seedView={multiSeed ? seedView : null} />
            {stepDef(ENTROPY, shown.entropy)}
            {stepDef(KL, shown.kl)}
            {stepDef(COMPLETION_LENGTH, shown.length)}
            {stepDef(CLIP_RATIO, shown.clip, clipNote(data.unclippable, data.visible.length))}
            {stepDef(GRAD_NORM, shown.gradNorm)}
            {stepDef(ZERO_STD, shown.zeroStd)}
            <MetricChart
              id="arm_accuracy"
              title="accuracy per arm (train batch)"
              about="Mean reward of each arm's samples in the training batch; a step shows only the arms its batch drew. Arms are told apart by dash."
              series={shown.arms}
              {...common}
            />
            {stepDef(LOSS, shown.loss)}
          </div>
          {curriculum.filtering ? (
            <>
              <h3 className="plots-subheading">Curriculum</h3>
              <div className="plots-grid" data-testid="curriculum-plots">
                {curriculum.arms ? (
                  <>
                    <ArmProbabilityChart runs={data.visible} activeRunId={activeRunId} version={version} xMode={xMode} />
                    <MetricChart
                      id="arm_score"
                      title={`arm score${data.scoreLabel ? ` (${data.scoreLabel})` : ''}`}
                      about="The curriculum's own score per arm: DUMP's UCB = mean |Â| over the arm's window + sqrt(2 ln(N+1)/(n+1)); SEC's Q value; ALP's learning progress; a mixture's weight. Empty for curricula that keep none (uniform, schedules)."
                      series={shown.armScore}
                      {...common}
                    />
                    <MetricChart
                      id="arm_abs_advantage"
                      title="mean |A| per arm"
                      about="Mean over the arm's recent samples (the curriculum's window) of the sample's token-mean |advantage| — what DUMP and SEC score arms by. Filtered-out groups count with |A| = 0."
                      series={shown.armAbsAdvantage}
                      {...common}
                    />
                    <MetricChart
                      id="arm_window_accuracy"
                      title="accuracy per arm (curriculum window)"
                      about="Mean reward over the arm's recent samples (the curriculum's window), filtered-out groups included: with a binary verifier, the arm's accuracy."
                      series={shown.armAccuracy}
                      {...common}
                    />
                  </>
                ) : null}
                {stepDef(FRAC_FILTERED, shown.fracFiltered, shown.fracFiltered.every((s) => s.points.length === 0) ? 'Difficulty filtering is off for the visible runs (Curriculum section).' : undefined)}
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
