// The preset gallery: one card per headline dynamic (src/experiment/gallery.ts) with what you should
// see, the paper, the figure recorded by `npm run gallery:record`, whether each claim showed at that
// scale, "Load and run", and the card's link. Figures are the SVGs in docs/ (bundled by Vite).
import { useEffect, useRef, useState } from 'react';
import { GALLERY, GALLERY_BUDGETS, galleryExperiment, type GalleryBudget, type GalleryCard } from '../../experiment/gallery';
import { getPreset } from '../../experiment/presets';
import { encodeExperiment } from '../../experiment/urlCodec';
import { useArmQueue } from '../../state/armQueue';
import { configDifferences } from '../../state/runLabel';
import { useSessionStore } from '../../state/sessionStore';
import { CardExport } from './CardExport';

// Every figure a card may show, by its path in the repository ('/docs/gallery/kl-choice.svg' → URL).
// The cards recorded elsewhere name their figure (GalleryCard.recordedElsewhere.figure); keep this list in step.
const FIGURES = import.meta.glob(['/docs/gallery/*.svg', '/docs/curriculum/race-addition.svg', '/docs/selfplay/propose-solve/curves.svg'], {
  eager: true,
  query: '?url',
  import: 'default',
}) as Record<string, string>;

/** The figure of a card: its recorded one, else the figure of the script that records it elsewhere. */
export function cardFigurePath(card: GalleryCard): string | null {
  if (card.arms.length > 0) return `/docs/gallery/${card.id}.svg`;
  return card.recordedElsewhere?.figure ? `/${card.recordedElsewhere.figure}` : null;
}

/** The card's link: the page's address with the hash of the card's experiment. */
export function cardUrl(card: GalleryCard): string | null {
  if (!card.preset) return null;
  return `${location.origin}${location.pathname}${encodeExperiment(galleryExperiment(card.preset))}`;
}

/** The arms of a card as queued runs: each labelled by the card's name for it and by what sets its
 *  config apart from the other arms' ("λ− only (NSR) · λ−=1, λ+=0"). */
export function cardArms(card: GalleryCard, budget: GalleryBudget) {
  const configs = card.arms.map((a) => galleryExperiment(a.preset, budget));
  const differences = configDifferences(configs);
  return card.arms.map((a, i) => ({ label: differences[i].length > 0 ? `${a.label} · ${differences[i].join(', ')}` : a.label, config: configs[i] }));
}

export function GalleryDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [budget, setBudget] = useState<GalleryBudget>('recorded');
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal gallery-modal"
        role="dialog"
        aria-modal="true"
        aria-label="Preset gallery"
        data-testid="gallery"
        ref={ref}
        tabIndex={-1}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <div className="gallery-header">
          <h2>Preset gallery</h2>
          <button type="button" className="small-button" data-testid="gallery-close" onClick={onClose} aria-label="Close the gallery">
            ✕
          </button>
        </div>
        <p className="muted small">
          The headline dynamics of the papers behind this lab, each one click from running. Every figure was recorded in Node on the CPU
          (npm run gallery:record) at a small budget — 60 steps, 128 held-out prompts × 16 samples — so read each card&apos;s claims: the
          ones marked &ldquo;not seen&rdquo; did not appear at this scale.
        </p>
        <label className="small gallery-budget">
          Budget of a run from here{' '}
          <select data-testid="gallery-budget" value={budget} onChange={(e) => setBudget(e.target.value as GalleryBudget)}>
            {(Object.keys(GALLERY_BUDGETS) as GalleryBudget[]).map((b) => (
              <option key={b} value={b}>
                {GALLERY_BUDGETS[b].label}
              </option>
            ))}
          </select>
        </label>
        <div className="gallery-grid">
          {GALLERY.map((card) => (
            <Card key={card.id} card={card} budget={budget} onLoaded={onClose} />
          ))}
        </div>
      </div>
    </div>
  );
}

function Card({ card, budget, onLoaded }: { card: GalleryCard; budget: GalleryBudget; onLoaded: () => void }) {
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const figure = cardFigurePath(card);
  const src = figure ? FIGURES[figure] : undefined;
  const url = cardUrl(card);
  const preset = card.preset ? getPreset(card.preset) : undefined;

  const load = () => {
    if (!card.preset) return;
    // A queue of arms running now would end on this run: say so there ("Another run replaced …").
    const problems = useSessionStore.getState().loadAndRun(galleryExperiment(card.preset, budget));
    if (problems) setProblem(problems.join('; '));
    else onLoaded();
  };
  const runAll = () => {
    const problems = useArmQueue.getState().runAll(card.title, cardArms(card, budget));
    if (problems) setProblem(problems.join('; '));
    else onLoaded();
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <article className="gallery-card" data-testid="gallery-card" data-card={card.id}>
      <h3>{card.title}</h3>
      {src ? (
        <img className="gallery-figure" src={src} alt={`Recorded curves: ${card.title}`} data-testid="gallery-figure" />
      ) : (
        <p className="muted small gallery-no-figure">{card.recordedElsewhere ? `Figure: see ${card.recordedElsewhere.path}.` : 'Not recorded yet.'}</p>
      )}
      <p className="gallery-what">{card.whatYouShouldSee}</p>
      {card.claims.length > 0 && (
        <ul className="gallery-claims">
          {card.claims.map((c) => (
            <li key={c.text} data-shown={String(c.shown)}>
              <span className={c.shown ? 'claim-seen' : 'claim-not-seen'}>{c.shown ? '✓ seen' : '✗ not seen'}</span> {c.text}
            </li>
          ))}
        </ul>
      )}
      {card.recordedElsewhere && (
        <p className="muted small">
          Recorded by <code>{card.recordedElsewhere.command}</code> → <code>{card.recordedElsewhere.path}</code>
        </p>
      )}
      <p className="muted small">
        From: <em>{card.paper}</em>
        {card.arms.length > 0 && <> · compares {card.arms.map((a) => a.label).join(' / ')}</>}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          data-testid={`gallery-load-${card.id}`}
          onClick={load}
          disabled={!card.preset}
          title={card.preset ? `Load the preset "${preset?.title ?? card.preset}" with the gallery's budget and start it` : card.notRunnableReason}
        >
          ▶ Load and run
        </button>
        {card.arms.length > 1 && (
          <button
            type="button"
            data-testid={`gallery-run-all-${card.id}`}
            onClick={runAll}
            title={`Run the ${card.arms.length} arms (${card.arms.map((a) => a.label).join(' / ')}) one after another, overlaid in the plots`}
          >
            ▶▶ Run all {card.arms.length} arms
          </button>
        )}
        {url && (
          <>
            <a className="gallery-link small" data-testid={`gallery-link-${card.id}`} href={url} onClick={onLoaded} title="Open this card's experiment (the link to share)">
              {url.length > 48 ? `${url.slice(0, 45)}…` : url}
            </a>
            <button type="button" className="small-button" data-testid={`gallery-copy-${card.id}`} onClick={() => void copy()}>
              {copied ? '✓ copied' : 'Copy link'}
            </button>
          </>
        )}
      </div>
      {/* The figure recorded from the card's own arms: exported with what each arm changes and its link. */}
      {src && card.arms.length > 0 && <CardExport card={card} figureUrl={src} arms={cardArms(card, 'recorded')} cardLink={url} />}
      {!card.preset && card.notRunnableReason && <p className="muted small">{card.notRunnableReason}</p>}
      {problem && <p className="error-text small">{problem}</p>}
    </article>
  );
}
