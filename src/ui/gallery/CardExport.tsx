// A gallery card's export: the whole card — its title, every panel of its recorded figure, a caption with
// each arm's config difference and link — as one SVG, or as a PNG at 2×, in the light or the dark theme.
// The recorded figure is fetched when asked for (it is the <img> the card shows, already cached).
import { useState } from 'react';
import type { FigureThemeName } from '../plots/chartTheme';
import { downloadBlob, downloadSvg, figureToPng, fileStem } from '../plots/exportChart';
import { buildCardFigure, cardCaption } from './cardFigure';
import type { Figure } from '../plots/chartFigure';
import type { ExperimentConfig } from '../../experiment/schema';
import './cardExport.css';

interface Props {
  card: { id: string; title: string; paper: string };
  /** The recorded figure's URL (the card's <img>). */
  figureUrl: string;
  /** The arms as recorded, labelled by what sets each apart. */
  arms: { label: string; config: ExperimentConfig }[];
  cardLink: string | null;
}

export function CardExport({ card, figureUrl, arms, cardLink }: Props) {
  const [theme, setTheme] = useState<FigureThemeName>('light');
  const [error, setError] = useState<string | null>(null);
  const figure = async (): Promise<Figure> => {
    const response = await fetch(figureUrl);
    if (!response.ok) throw new Error(`The recorded figure could not be read (${response.status}).`);
    const panels = await response.text();
    const caption = cardCaption(panels, arms, `${location.origin}${location.pathname}`, cardLink, card.paper);
    return buildCardFigure({ title: card.title, panels, caption, theme });
  };
  const run = async (what: () => Promise<void>) => {
    try {
      setError(null);
      await what();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const stem = `${fileStem(`card-${card.id}`)}-${theme}`;
  return (
    <div className="card-export small" role="group" aria-label={`Export the card "${card.title}"`}>
      <span className="muted">Export card:</span>
      <select value={theme} onChange={(e) => setTheme(e.target.value as FigureThemeName)} aria-label="Theme of the exported card" data-testid={`card-export-theme-${card.id}`}>
        <option value="light">light</option>
        <option value="dark">dark</option>
      </select>
      <button type="button" className="small-button" data-testid={`card-export-svg-${card.id}`} onClick={() => void run(async () => downloadSvg(await figure(), `${stem}.svg`))} title="The whole card as an SVG figure: title, every panel, legend, caption with each arm's config difference and link">
        SVG
      </button>
      <button type="button" className="small-button" data-testid={`card-export-png-${card.id}`} onClick={() => void run(async () => downloadBlob(await figureToPng(await figure(), 2), `${stem}@2x.png`))} title="The whole card as a PNG figure at twice its size">
        PNG
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
