// What the "Explain this number" panel says about one token: its labelled inputs, then the loss formula
// as configured with the numbers substituted, one line per stage (policy gradient, dual clip, KL,
// entropy, ℓ, the aggregation's normaliser). Pure, so a Node test can read it; ExplainPanel renders it.
import type { LossSettings, SampleLossDetail } from '../../rl/metrics';
import { explainToken, sampleLossShare, type ClipRegion, type TokenExplanation } from '../../rl/tokenExplanation';

/** A labelled number: `id` names it for tests (data-testid explain-<id>). */
export interface ExplainValue {
  id: string;
  label: string;
  value: number;
  note?: string;
}

/** One stage of the formula: the symbolic form, the numbers in it, and the result. */
export interface ExplainLine {
  id: string;
  formula: string;
  substituted: string;
  result: number;
}

export interface ExplainView {
  inputs: ExplainValue[];
  lines: ExplainLine[];
  /** Plain-language remarks (one pass per batch, KL placement, a masked row). */
  notes: string[];
  region: ClipRegion;
}

/** 4 significant digits, no exponent for ordinary magnitudes; −0 shown as 0. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

/** A number inside a formula: negatives in brackets, so "−A·ρ" stays readable. */
const paren = (v: number) => (v < 0 ? `(${num(v)})` : num(v));

const REGION_TEXT: Record<ClipRegion, string> = {
  none: 'inside the trust region: the unclipped term counts',
  low: 'clipped low: ρ < 1 − ε_low with A < 0, so the clipped term counts (no gradient)',
  high: 'clipped high: ρ > 1 + ε_high with A > 0, so the clipped term counts (no gradient)',
  dual: 'dual clip: A < 0 and ρ so large that the loss is capped at c·|A|',
};

function inputs(e: TokenExplanation, s: LossSettings): ExplainValue[] {
  const last = s.ppoEpochs > 1 ? `pass ${s.ppoEpochs} of ${s.ppoEpochs}` : 'the one update pass';
  const values: ExplainValue[] = [
    { id: 'old-logprob', label: 'log π_old (the policy that sampled)', value: e.oldLogProb },
    { id: 'logprob', label: `log π (the policy at ${last})`, value: e.logProb },
    { id: 'ref-logprob', label: 'log π_ref (the reference policy)', value: e.refLogProb },
    { id: 'ratio', label: 'ρ = exp(log π − log π_old)', value: e.ratio },
    { id: 'advantage', label: 'A (advantage)', value: e.advantage },
  ];
  if (e.weight !== 1) values.push({ id: 'weighted-advantage', label: `A_w = ${e.advantage > 0 ? 'λ+' : 'λ−'}·A = ${num(e.weight)}·${paren(e.advantage)}`, value: e.weightedAdvantage });
  values.push({ id: 'kl', label: `${s.klEstimator} (KL estimate to the reference)`, value: e.kl });
  if (s.entropyCoef !== 0) values.push({ id: 'entropy', label: 'H (entropy of the next-token distribution)', value: e.entropy });
  return values;
}

function pgLine(e: TokenExplanation, s: LossSettings): ExplainLine {
  const a = e.weight !== 1 ? 'A_w' : 'A';
  const av = paren(e.weightedAdvantage);
  return {
    id: 'pg',
    formula: `ℓ_pg = −min(ρ·${a}, clip(ρ, 1−${num(s.clipLow)}, 1+${num(s.clipHigh)})·${a})`,
    substituted: `−min(${num(e.ratio)}·${av}, ${num(e.clippedRatio)}·${av})`,
    result: Math.max(e.unclippedTerm, e.clippedTerm),
  };
}

function klLine(e: TokenExplanation, s: LossSettings): { line?: ExplainLine; note: string } {
  switch (s.klPlacement) {
    case 'none':
      return { note: 'β = 0: no KL term (the KL to the reference is only measured).' };
    case 'loss':
      return {
        line: { id: 'kl-term', formula: `+ β·${s.klEstimator}`, substituted: `+ ${num(s.klCoef)}·${paren(e.kl)}`, result: e.klTerm },
        note: `The KL penalty is in the loss (β = ${num(s.klCoef)}, ${s.klEstimator}).`,
      };
    case 'reward':
      return { note: `The KL penalty is in the reward, not in ℓ: β·Σ_t k1 (β = ${num(s.klCoef)}) was subtracted from the sample's reward before the advantages.` };
    case 'token-reward':
      return { note: `The KL penalty is in the per-token reward of REINFORCE++ (−β·k1 per token, β = ${num(s.klCoef)}), so it is inside A, not added to ℓ.` };
  }
}

/** The panel's content for token t of a sample. */
export function explainView(detail: SampleLossDetail, t: number): ExplainView {
  const s = detail.settings;
  const e = explainToken(detail, t);
  const notes: string[] = [];
  if (s.ppoEpochs === 1) notes.push('One update pass per batch: log π_old is log π itself (detached), so ρ = 1 and nothing can clip.');
  else notes.push(`${s.ppoEpochs} update passes: the numbers are from the last, whose loss the step reports.`);
  const lines: ExplainLine[] = [pgLine(e, s)];
  if (s.dualClip !== null) {
    lines.push({ id: 'dual', formula: `min(ℓ_pg, c·|${e.weight !== 1 ? 'A_w' : 'A'}|)`, substituted: `min(${num(lines[0].result)}, ${num(s.dualClip)}·${num(Math.abs(e.weightedAdvantage))})`, result: e.pg });
  }
  const kl = klLine(e, s);
  if (kl.line) lines.push(kl.line);
  notes.push(kl.note);
  if (s.entropyCoef !== 0) lines.push({ id: 'entropy-term', formula: '− c_H·H', substituted: `− ${num(s.entropyCoef)}·${num(e.entropy)}`, result: e.entropyTerm });
  const summands = [e.pg, ...(kl.line ? [e.klTerm] : []), ...(s.entropyCoef !== 0 ? [e.entropyTerm] : [])];
  lines.push({ id: 'loss', formula: 'ℓ', substituted: summands.map(paren).join(' + '), result: e.loss });
  lines.push({ id: 'contribution', formula: `÷ ${e.normaliserLabel} (${s.aggregation})`, substituted: e.mask === 0 ? '× 0 (row masked out of the loss)' : `${paren(e.loss)} ÷ ${num(e.normaliser)}`, result: e.contribution });
  if (e.mask === 0) notes.push('This completion hit the answer budget and truncation is "mask": its row adds nothing to the loss.');
  notes.push(`This sample's tokens add ${num(sampleLossShare(detail))} to the step's loss; ℓ as the device computed it: ${num(e.deviceLoss)}.`);
  return { inputs: inputs(e, s), lines, notes, region: e.region };
}

export const regionText = (r: ClipRegion) => REGION_TEXT[r];
