// The gallery (issue 18): one card per seed paper's dynamic, each recorded over seeds on a setting where
// its mechanism can bite (src/experiment/galleryCards.ts, docs/gallery/claims.json). A card shows its
// figure (mean and band over seeds), every claim with its verdict, effect and 95 % interval, "Show the
// recording" (the recorded seeds drawn in the plots at once: an instant replay), "Run it live", "Run all
// arms", and the link of its first arm. Figures are the SVGs in docs/gallery (bundled by Vite).
import { useEffect, useRef, useState } from 'react';
import { GALLERY_BUDGETS, GALLERY_SEEDS, galleryArmExperiment, type GalleryBudget } from '../../experiment/galleryArms';
import { armLabel, cardArmIds, GALLERY_CARDS, SELFPLAY_CARD, type GalleryCardV2 } from '../../experiment/galleryCards';
import { encodeExperiment } from '../../experiment/urlCodec';
import { presetConfig } from '../../experiment/presets';
import { replayPreset } from '../../experiment/selfplayReplay';
import { useArmQueue } from '../../state/armQueue';
import { configDifferences } from '../../state/runLabel';
import { useSessionStore } from '../../state/sessionStore';
import { CardExport } from './CardExport';
import { ClaimList } from './ClaimList';
import { hasReplay, showReplays } from './galleryReplays';
import { SelfplayReplayButton } from './SelfplayReplayButton';
import { SELFPLAY_LOOP_IDS, SELFPLAY_REGISTRY, type SelfplayLoopId } from '../../selfplay/registry';

const FIGURES = import.meta.glob(['/docs/gallery/*.svg', '/docs/selfplay/propose-solve/curves.svg'], { eager: true, query: '?url', import: 'default' }) as Record<string, string>;

/** The card's link: the page's address with the hash of its first arm's experiment. */
export function cardUrl(card: GalleryCardV2, budget: GalleryBudget = 'recorded'): string {
  return `${location.origin}${location.pathname}${encodeExperiment(galleryArmExperiment(card.arms[0], GALLERY_SEEDS[0], budget))}`;
}

/** The arms of a card as queued runs, each labelled by the card's name for it and what sets its config
 *  apart from the other arms' ("ε_high 0.28, 4 passes · clipHigh=0.28"). */
export function cardArms(card: GalleryCardV2, budget: GalleryBudget) {
  const configs = card.arms.map((a) => galleryArmExperiment(a, GALLERY_SEEDS[0], budget));
  const differences = configDifferences(configs);
  return card.arms.map((a, i) => ({ label: differences[i].length > 0 ? `${armLabel(a)} · ${differences[i].join(', ')}` : armLabel(a), config: configs[i] }));
}

export function GalleryDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [budget, setBudget] = useState<GalleryBudget>('recorded');
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal gallery-modal" role="dialog" aria-modal="true" aria-label="Gallery" data-testid="gallery" ref={ref} tabIndex={-1} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <div className="gallery-header">
          <h2>Gallery: the papers&apos; dynamics, over seeds</h2>
          <button type="button" className="small-button" data-testid="gallery-close" onClick={onClose} aria-label="Close the gallery">
            ✕
          </button>
        </div>
        <p className="muted small">
          Each card was recorded in Node on the CPU with {GALLERY_SEEDS.length} training seeds per arm (npm run gallery:record), its claims written
          before recording. A claim is <strong>shown</strong> when the 95 % interval of the paired difference over seeds clears zero and the mean
          clears its bound; <strong>untestable</strong> when the metric sits at its ceiling or floor. &ldquo;Show the recording&rdquo; draws the recorded
          seeds in the plots at once; &ldquo;Run it live&rdquo; trains the same experiment here, over them.
        </p>
        <label className="small gallery-budget">
          Budget of a live run{' '}
          <select data-testid="gallery-budget" value={budget} onChange={(e) => setBudget(e.target.value as GalleryBudget)}>
            {(Object.keys(GALLERY_BUDGETS) as GalleryBudget[]).map((b) => (
              <option key={b} value={b}>
                {GALLERY_BUDGETS[b].label}
              </option>
            ))}
          </select>
        </label>
        <div className="gallery-grid">
          {GALLERY_CARDS.map((card) => (
            <Card key={card.id} card={card} budget={budget} onLoaded={onClose} />
          ))}
          <SelfPlayCard onLoaded={onClose} />
        </div>
      </div>
    </div>
  );
}

function Card({ card, budget, onLoaded }: { card: GalleryCardV2; budget: GalleryBudget; onLoaded: () => void }) {
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const src = FIGURES[`/docs/gallery/${card.id}.svg`];
  const url = cardUrl(card, budget);
  const recorded = card.arms.filter(hasReplay);

  const replay = async (): Promise<boolean> => {
    setBusy(true);
    try {
      const result = await showReplays(card.arms);
      if (!result.ok) setProblem(result.message);
      return result.ok;
    } finally {
      setBusy(false);
    }
  };
  const showRecording = async () => {
    if (await replay()) onLoaded();
  };
  const runLive = async () => {
    // The recording first, so the live curve draws over its band.
    if (recorded.length > 0 && !(await replay())) return;
    const problems = useSessionStore.getState().loadAndRun(galleryArmExperiment(card.arms[0], GALLERY_SEEDS[0], budget));
    if (problems) setProblem(problems.join('; '));
    else onLoaded();
  };
  const runAll = () => {
    const problems = useArmQueue.getState().runAll(card.title, cardArms(card, budget));
    if (problems) setProblem(problems.join('; '));
    else onLoaded();
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
      setProblem('The link could not be copied here (the browser refused the clipboard): copy it from the link beside the button.');
    }
  };

  return (
    <article className="gallery-card" data-testid="gallery-card" data-card={card.id}>
      <h3>{card.title}</h3>
      {src ? <img className="gallery-figure" src={src} alt={`Recorded curves over seeds: ${card.title}`} data-testid="gallery-figure" /> : <p className="muted small gallery-no-figure">Not recorded yet.</p>}
      <p className="small">
        <strong>Setting:</strong> {card.setting}. Arms: {cardArmIds(card).map(armLabel).join(' / ')}.
      </p>
      <ClaimList claims={card.claims} />
      {card.reading && <p className="gallery-what small">{card.reading}</p>}
      <p className="muted small">
        From: <em>{card.paper}</em>
      </p>
      <div className="button-row">
        <button type="button" data-testid={`gallery-replay-${card.id}`} onClick={() => void showRecording()} disabled={recorded.length === 0 || busy} title={recorded.length === 0 ? 'Not recorded yet' : `Draw the ${recorded.length} recorded arm(s), ${GALLERY_SEEDS.length} seeds each, in the plots — no training needed`}>
          {busy ? 'Loading…' : '▤ Show the recording'}
        </button>
        <button type="button" className="primary" data-testid={`gallery-load-${card.id}`} onClick={() => void runLive()} disabled={busy} title={`Train “${armLabel(card.arms[0])}” here (${GALLERY_BUDGETS[budget].label}), drawn over its recording`}>
          ▶ Run it live
        </button>
        {card.arms.length > 1 && (
          <button type="button" data-testid={`gallery-run-all-${card.id}`} onClick={runAll} disabled={busy} title={`Run the ${card.arms.length} arms (${card.arms.map(armLabel).join(' / ')}) one after another, overlaid in the plots`}>
            ▶▶ Run all {card.arms.length} arms
          </button>
        )}
        <a className="gallery-link small" data-testid={`gallery-link-${card.id}`} href={url} onClick={onLoaded} title="Open this card's first arm (the link to share)">
          {url.length > 48 ? `${url.slice(0, 45)}…` : url}
        </a>
        <button type="button" className="small-button" data-testid={`gallery-copy-${card.id}`} onClick={() => void copy()}>
          {copied ? '✓ copied' : 'Copy link'}
        </button>
      </div>
      {src && <CardExport card={card} figureUrl={src} arms={cardArms(card, 'recorded')} cardLink={cardUrl(card)} />}
      {problem && (
        <p className="error-text small" role="alert">
          {problem}
        </p>
      )}
    </article>
  );
}

/** The self-play loops, recorded elsewhere with one seed each (docs/selfplay): not yet judged over seeds. */
function SelfPlayCard({ onLoaded }: { onLoaded: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  // The loop whose recording "Show the recording" draws (one seed, with its control) and "Load and run"
  // trains (its recorded setting's preset); the card's preset's loop first.
  const [loop, setLoop] = useState<SelfplayLoopId>(() => {
    const cardLoop = presetConfig(SELFPLAY_CARD.preset).selfplay.loop;
    return cardLoop === 'none' ? SELFPLAY_LOOP_IDS[0] : cardLoop;
  });
  const src = FIGURES[`/${SELFPLAY_CARD.figure}`];
  const load = () => {
    const problems = useSessionStore.getState().loadAndRun(presetConfig(replayPreset(loop)));
    if (problems) setProblem(problems.join('; '));
    else onLoaded();
  };
  return (
    <article className="gallery-card" data-testid="gallery-card" data-card={SELFPLAY_CARD.id}>
      <h3>{SELFPLAY_CARD.title}</h3>
      {src && <img className="gallery-figure" src={src} alt={`Recorded curves: ${SELFPLAY_CARD.title}`} data-testid="gallery-figure" />}
      <p className="gallery-what">{SELFPLAY_CARD.text}</p>
      <p className="muted small">
        Recorded by <code>{SELFPLAY_CARD.command}</code> → <code>{SELFPLAY_CARD.path}</code> (one seed per loop: anecdotes, not yet judged over seeds).
      </p>
      <label className="small">
        Loop{' '}
        <select data-testid={`gallery-replay-loop-${SELFPLAY_CARD.id}`} value={loop} onChange={(e) => setLoop(e.target.value as SelfplayLoopId)}>
          {SELFPLAY_LOOP_IDS.map((id) => (
            <option key={id} value={id}>
              {SELFPLAY_REGISTRY[id].label}
            </option>
          ))}
        </select>
      </label>
      <div className="button-row">
        <SelfplayReplayButton key={loop} loop={loop} testId={`gallery-replay-${SELFPLAY_CARD.id}`} onShown={onLoaded} />
        <button type="button" className="primary" data-testid={`gallery-load-${SELFPLAY_CARD.id}`} onClick={load} title={`Train the recorded setting of ${SELFPLAY_REGISTRY[loop].label} here`}>
          ▶ Load and run
        </button>
      </div>
      {problem && (
        <p className="error-text small" role="alert">
          {problem}
        </p>
      )}
    </article>
  );
}

