// A chart as a slide-ready figure: one standalone SVG document holding the chart as drawn (its bands
// included), with the title, the axis titles, a legend (runs by colour, a chart's sub-lines by dash) and
// a caption (each run's config difference and its experiment link) as SVG text. Everything is a literal
// attribute — colours of the chosen theme, the font — so the file renders the same in a slide editor,
// an <img> or a canvas (the PNG) as in the page. Pure: strings in, a string out (exportChart.ts does the DOM).
import { FIGURE_THEMES, type FigureThemeName } from './chartTheme';

export interface FigureLegendRun {
  label: string;
  color: string;
}

export interface FigureLineKind {
  label: string;
  dash: string;
}

export interface FigureSpec {
  title: string;
  xTitle: string;
  yTitle: string;
  runs: FigureLegendRun[];
  /** A chart's sub-lines told apart by dash (k1/k2/k3, pass@1 / pass@k); listed when more than one. */
  lineKinds: FigureLineKind[];
  /** Caption lines: each run's config difference, its link. Long lines are wrapped. */
  caption: string[];
  theme: FigureThemeName;
}

export interface ChartDrawing {
  /** The chart's <svg> serialised, drawn in the page's (dark) theme colours. */
  markup: string;
  width: number;
  height: number;
}

export interface Figure {
  svg: string;
  width: number;
  height: number;
}

export const FIGURE_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

const PAD = 14;
const TITLE_SIZE = 15;
const AXIS_TITLE_SIZE = 11;
const LEGEND_SIZE = 11;
const CAPTION_SIZE = 9.5;
const Y_TITLE_BAND = 18;
const MIN_WIDTH = 420;

/** Text for SVG: the five XML specials escaped (labels and links are the user's and the URL's). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A rough text width (no DOM to measure with): ~0.6 em a character, enough to lay the legend out. */
const textWidth = (text: string, size: number) => text.length * size * 0.6;

/** Splits a line into pieces at most `max` characters long, at spaces when it can (links have none). */
export function wrapLine(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const cut = space > max / 2 ? space : max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}

/** The chart drawn in another theme: its dark-theme literals (grid, axes, text) swapped for the theme's. */
export function recolour(markup: string, theme: FigureThemeName): string {
  if (theme === 'dark') return markup;
  const from = FIGURE_THEMES.dark;
  const to = FIGURE_THEMES[theme];
  let out = markup;
  for (const key of ['grid', 'axis', 'text', 'background'] as const) out = out.replace(new RegExp(from[key], 'gi'), to[key]);
  return out;
}

/** The chart's markup as a nested <svg> placed at (x, y): its own root attributes dropped but its size. */
function nestedChart(drawing: ChartDrawing, x: number, y: number, theme: FigureThemeName): string {
  const inner = recolour(drawing.markup, theme).replace(/^<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  return `<svg x="${x}" y="${y}" width="${drawing.width}" height="${drawing.height}" viewBox="0 0 ${drawing.width} ${drawing.height}" overflow="visible">${inner}</svg>`;
}

interface LegendItem {
  label: string;
  swatch: string;
}

/** Legend items flowed into rows no wider than `width`; returns the markup and the height it took. */
function legend(items: LegendItem[], x0: number, y0: number, width: number, color: string): { markup: string; height: number } {
  const rowHeight = LEGEND_SIZE + 7;
  let x = x0;
  let y = y0;
  const parts: string[] = [];
  for (const item of items) {
    const w = 26 + textWidth(item.label, LEGEND_SIZE) + 14;
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += rowHeight;
    }
    parts.push(`<g transform="translate(${x.toFixed(1)},${y})">${item.swatch}<text x="26" y="4" font-size="${LEGEND_SIZE}" fill="${color}">${escapeXml(item.label)}</text></g>`);
    x += w;
  }
  return { markup: parts.join(''), height: items.length === 0 ? 0 : y - y0 + rowHeight };
}

/** A figure's frame, shared by a chart's figure and a gallery card's (gallery/cardFigure.ts): the
 *  figure's padding, its title as the first part, and — after the parts drawn down to `y` — the caption
 *  wrapped to the width, closed into one SVG with the theme's background. */
export const FIGURE_PAD = PAD;
export const FIGURE_MIN_WIDTH = MIN_WIDTH;

export function figureTitle(title: string, theme: FigureThemeName): { part: string; y: number } {
  const y = PAD + TITLE_SIZE;
  return { part: `<text x="${PAD}" y="${y}" font-size="${TITLE_SIZE}" font-weight="600" fill="${FIGURE_THEMES[theme].text}" class="figure-title">${escapeXml(title)}</text>`, y };
}

export function closeFigure(parts: string[], top: number, width: number, title: string, captionText: readonly string[], themeName: FigureThemeName): Figure {
  const theme = FIGURE_THEMES[themeName];
  let y = top;
  const perLine = Math.max(20, Math.floor((width - 2 * PAD) / (CAPTION_SIZE * 0.6)));
  const captionLines = captionText.flatMap((line) => wrapLine(line, perLine));
  const caption = captionLines.map((line, i) => `<tspan x="${PAD}" y="${(y + CAPTION_SIZE + i * (CAPTION_SIZE + 4)).toFixed(1)}">${escapeXml(line)}</tspan>`).join('');
  const body = [...parts, `<text font-size="${CAPTION_SIZE}" fill="${theme.axis}" class="figure-caption">${caption}</text>`];
  y += captionLines.length * (CAPTION_SIZE + 4) + PAD;
  const height = Math.ceil(y);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FIGURE_FONT)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="100%" height="100%" fill="${theme.background}"/>` +
    body.join('') +
    `</svg>`;
  return { svg, width, height };
}

export function buildFigure(spec: FigureSpec, drawing: ChartDrawing): Figure {
  const theme = FIGURE_THEMES[spec.theme];
  const width = Math.max(MIN_WIDTH, Math.ceil(drawing.width + Y_TITLE_BAND + 2 * PAD));
  const inner = width - 2 * PAD;
  const heading = figureTitle(spec.title, spec.theme);
  const parts: string[] = [heading.part];
  let y = heading.y + 10;

  const chartX = PAD + Y_TITLE_BAND;
  const chartTop = y;
  parts.push(nestedChart(drawing, chartX, chartTop, spec.theme));
  const yMid = chartTop + drawing.height / 2;
  parts.push(`<text transform="translate(${PAD + AXIS_TITLE_SIZE},${yMid.toFixed(1)}) rotate(-90)" text-anchor="middle" font-size="${AXIS_TITLE_SIZE}" fill="${theme.axis}" class="figure-y-title">${escapeXml(spec.yTitle)}</text>`);
  // Recharts leaves the x tick labels ~10 px above the drawing's bottom edge: the title sits just under them.
  y = chartTop + drawing.height + AXIS_TITLE_SIZE - 2;
  parts.push(`<text x="${(chartX + drawing.width / 2).toFixed(1)}" y="${y}" text-anchor="middle" font-size="${AXIS_TITLE_SIZE}" fill="${theme.axis}" class="figure-x-title">${escapeXml(spec.xTitle)}</text>`);
  y += 16;

  const items: LegendItem[] = spec.runs.map((r) => ({ label: r.label, swatch: `<rect x="0" y="-4" width="20" height="8" rx="1" fill="${r.color}" fill-opacity="0.35"/><line x1="0" y1="0" x2="20" y2="0" stroke="${r.color}" stroke-width="2"/>` }));
  if (spec.lineKinds.length > 1) {
    for (const k of spec.lineKinds) items.push({ label: k.label, swatch: `<line x1="0" y1="0" x2="20" y2="0" stroke="${theme.text}" stroke-width="1.6"${k.dash ? ` stroke-dasharray="${k.dash}"` : ''}/>` });
  }
  const drawnLegend = legend(items, PAD, y, inner, theme.text);
  parts.push(`<g class="figure-legend">${drawnLegend.markup}</g>`);
  y += drawnLegend.height + 6;

  return closeFigure(parts, y, width, spec.title, spec.caption, spec.theme);
}
