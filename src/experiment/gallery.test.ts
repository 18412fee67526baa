// The gallery's cards against their recordings (docs/gallery, made by `npm run gallery:record`): every
// arm recorded with the card's current experiment, every claim's `shown` equal to what the record says,
// and a card whose effect did not appear at this scale saying so in its text.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GALLERY, GALLERY_RUN, galleryExperiment, galleryPresets, type GalleryRun } from './gallery';
import { isPresetId } from './presets';
import { encodeExperiment } from './urlCodec';

const DIR = 'docs/gallery';

function readRun(preset: string): (GalleryRun & { finishedAt: string | null }) | null {
  const path = join(DIR, preset, 'metrics.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

const runs: Record<string, GalleryRun> = {};
for (const preset of galleryPresets()) {
  const run = readRun(preset);
  if (run) runs[preset] = run;
}

/** What a card that did not see one of its claims must say. */
const NOT_SEEN = /did not (appear|show)|not seen|not shown|no sign/i;

describe('the preset gallery', () => {
  it('has at least eight cards, each with a paragraph, a paper and a runnable preset or a reason', () => {
    expect(GALLERY.length).toBeGreaterThanOrEqual(8);
    expect(new Set(GALLERY.map((c) => c.id)).size).toBe(GALLERY.length);
    for (const card of GALLERY) {
      expect(card.id).toMatch(/^[a-z0-9-]+$/);
      expect(card.whatYouShouldSee.length, card.id).toBeGreaterThan(150);
      expect(card.whatYouShouldSee).not.toMatch(/TBD/);
      expect(card.paper.length).toBeGreaterThan(10);
      if (card.preset === null) expect(card.notRunnableReason, card.id).toBeTruthy();
      else expect(isPresetId(card.preset), card.id).toBe(true);
      for (const arm of card.arms) expect(isPresetId(arm.preset), `${card.id}: ${arm.preset}`).toBe(true);
      if (card.arms.length > 0) expect(card.arms.map((a) => a.preset)).toContain(card.preset);
      // A card either compares recorded arms (with claims to check) or points at another recording.
      expect(card.arms.length > 0 ? card.claims.length > 0 : card.recordedElsewhere !== undefined, card.id).toBe(true);
    }
  });

  it('links each card to its preset with the gallery\'s budget', () => {
    for (const card of GALLERY.filter((c) => c.preset !== null)) {
      const config = galleryExperiment(card.preset as string);
      expect(config.preset).toBe(card.preset);
      expect(config.run).toEqual(GALLERY_RUN);
      expect(encodeExperiment(config)).toMatch(/^#v=1&x=[A-Za-z0-9+$-]+$/);
    }
  });

  it('runs a smoke budget of 2 small steps that changes only the run and the batch', () => {
    for (const card of GALLERY.filter((c) => c.arms.length > 1)) {
      for (const arm of card.arms) {
        const recorded = galleryExperiment(arm.preset);
        const smoke = galleryExperiment(arm.preset, 'smoke');
        expect(smoke.run).toMatchObject({ steps: 2, evalEvery: 0 });
        expect(smoke.algorithm).toEqual({ ...recorded.algorithm, promptsPerStep: 4, samplesPerPrompt: 4 });
        expect({ ...smoke, run: recorded.run, algorithm: recorded.algorithm }).toEqual(recorded);
      }
    }
  });

  describe.each(galleryPresets())('the recording of %s', (preset) => {
    it('is complete and was made with the experiment the cards link to', () => {
      const run = readRun(preset);
      expect(run, `docs/gallery/${preset}/metrics.json is missing: run npm run gallery:record -- --only ${preset}`).not.toBeNull();
      expect(run!.finishedAt).not.toBeNull();
      expect(run!.preset).toBe(preset);
      expect(run!.link).toBe(encodeExperiment(galleryExperiment(preset)));
      expect(run!.steps.length).toBe(GALLERY_RUN.steps);
      expect(run!.evaluations.map((e) => e.afterSteps)).toEqual([0, 20, 40, 60]);
      for (const s of run!.steps) expect(Number.isFinite(s.reward) && Number.isFinite(s.entropy)).toBe(true);
    });
  });

  describe.each(GALLERY.filter((c) => c.arms.length > 0).map((c) => [c.id, c] as const))('card %s', (_, card) => {
    it.each(card.claims.map((c) => [c.text, c] as const))('claim "%s" is marked as the recording shows', (_text, claim) => {
      const { holds, evidence } = claim.check(runs);
      expect(holds, `${card.id}: "${claim.text}" — recorded: ${evidence}; the card says shown = ${claim.shown}`).toBe(claim.shown);
    });

    it('says in its text when a claim was not seen, and has its figure', () => {
      if (card.claims.some((c) => !c.shown)) expect(card.whatYouShouldSee, card.id).toMatch(NOT_SEEN);
      expect(existsSync(join(DIR, `${card.id}.svg`)), `${card.id}.svg`).toBe(true);
    });
  });

  it('points the cards recorded elsewhere at files that exist', () => {
    for (const card of GALLERY.filter((c) => c.recordedElsewhere)) {
      const { path, figure } = card.recordedElsewhere!;
      expect(existsSync(path), `${card.id}: ${path}`).toBe(true);
      if (figure) expect(existsSync(figure), `${card.id}: ${figure}`).toBe(true);
    }
  });
});
