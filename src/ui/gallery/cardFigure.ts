// A whole gallery card as one slide-ready figure (issue 19 item 5): the card's title, every panel of its
// recorded figure (scripts/galleryFigureSeeds.ts: panel titles, axis labels, ticks, the arms' legend), and a
// caption — what each arm's config changes, each arm's link and the card's link — as SVG text, in the
// light or the dark theme. Pure: strings in, a string out (the card's buttons fetch the recorded figure
// and download the SVG, or its PNG at 2× through exportChart.ts).
import type { ExperimentConfig } from '../../experiment/schema';
import { encodeExperiment } from '../../experiment/urlCodec';
import { closeFigure, FIGURE_MIN_WIDTH, FIGURE_PAD, figureTitle, type Figure } from '../plots/chartFigure';
import { FIGURE_THEMES, type FigureThemeName } from '../plots/chartTheme';

export interface CardFigureSpec {
  title: string;
  /** The recorded figure (a whole <svg> document), drawn on white with the default black text. */
  panels: string;
  /** Caption lines (wrapped to the figure's width). */
  caption: string[];
  theme: FigureThemeName;
}


/** The recorded figure's size, from its width/height (or viewBox) attributes. */
export function svgSize(markup: string): { width: number; height: number } {
  const root = /^\s*(?:<\?xml[^>]*>\s*)?<svg\b[^>]*>/.exec(markup)?.[0];
  if (!root) throw new Error('The recorded figure is not an SVG document.');
  const attr = (name: string) => Number(new RegExp(`\\s${name}="([0-9.]+)"`).exec(root)?.[1]);
  const box = /\sviewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ([0-9.]+)"/.exec(root);
  const width = attr('width') || Number(box?.[1]);
  const height = attr('height') || Number(box?.[2]);
  if (!(width > 0) || !(height > 0)) throw new Error('The recorded figure has no size.');
  return { width, height };
}

/** The recorded figure's furniture in the theme's colours: its white background dropped (the figure
 *  draws its own), frames in the grid colour, grey labels in the axis colour, and text that had no fill
 *  (black by default) in the text colour. Arm colours stay as they are. */
export function themedPanels(markup: string, theme: FigureThemeName): string {
  const t = FIGURE_THEMES[theme];
  return markup
    .replace(/^\s*(?:<\?xml[^>]*>\s*)?<svg\b[^>]*>/, '')
    .replace(/<\/svg>\s*$/, '')
    .replace(/<title>[\s\S]*?<\/title>/, '')
    .replace(/<rect width="100%" height="100%" fill="(?:white|#fff|#ffffff)"\s*\/>/i, '')
    .replace(/stroke="#ccc"/gi, `stroke="${t.grid}"`)
    .replace(/fill="#666"/gi, `fill="${t.axis}"`)
    .replace(/<text\b(?![^>]*\sfill=)/g, `<text fill="${t.text}"`);
}

/** The caption: how the panels were recorded (the recorded figure's own title says), each arm as
 *  "label · what its config changes" with its link, the card's link and the paper. */
export function cardCaption(panels: string, arms: { label: string; config: ExperimentConfig }[], address: string, cardLink: string | null, paper: string): string[] {
  const recorded = /<title>[^<]*\((recorded: [^)<]*)\)<\/title>/.exec(panels)?.[1];
  const lines = recorded ? [`${recorded[0].toUpperCase()}${recorded.slice(1)} (npm run gallery:record).`] : [];
  for (const arm of arms) lines.push(`${arm.label}: ${address}${encodeExperiment(arm.config)}`);
  if (cardLink) lines.push(`This card: ${cardLink}`);
  lines.push(`From: ${paper}`);
  return lines;
}

export function buildCardFigure(spec: CardFigureSpec): Figure {
  const size = svgSize(spec.panels);
  const width = Math.max(FIGURE_MIN_WIDTH, Math.ceil(size.width + 2 * FIGURE_PAD));
  const heading = figureTitle(spec.title, spec.theme);
  const y = heading.y + 8;
  const panels = `<svg x="${FIGURE_PAD}" y="${y}" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" overflow="visible" class="figure-panels">${themedPanels(spec.panels, spec.theme)}</svg>`;
  return closeFigure([heading.part, panels], y + size.height + 6, width, spec.title, spec.caption, spec.theme);
}
