import { describe, expect, it } from 'vitest';
import { buildFigure, escapeXml, recolour, wrapLine, type FigureSpec } from './chartFigure';
import { CHART_THEME, FIGURE_THEMES } from './chartTheme';
import { probabilityTop } from './chartData';

const drawing = {
  markup: `<svg xmlns="http://www.w3.org/2000/svg" class="recharts-surface" width="400" height="170"><line stroke="${CHART_THEME.grid}"/><text fill="${CHART_THEME.axis}">-0.0123</text><path class="recharts-area-area" fill="#6cb6ff" fill-opacity="0.2" d="M0,0L1,1"/></svg>`,
  width: 400,
  height: 170,
};
const spec: FigureSpec = {
  title: 'KL to reference',
  xTitle: 'step',
  yTitle: 'KL <nats>',
  runs: [{ label: 'λ+=0 ×3 seeds', color: '#6cb6ff' }, { label: 'defaults', color: '#f0883e' }],
  lineKinds: [{ label: 'k1', dash: '' }, { label: 'k3', dash: '6 3' }],
  caption: ['λ+=0 ×3 seeds: λ+=0', `https://lab.example/#v=1&x=${'N4Ig'.repeat(60)}`],
  theme: 'dark',
};

describe('buildFigure', () => {
  it('puts the title, axis titles, legend and caption in one standalone SVG around the chart', () => {
    const { svg, width, height } = buildFigure(spec, drawing);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`width="${width}" height="${height}"`);
    expect(svg).toMatch(/class="figure-title">KL to reference</);
    expect(svg).toMatch(/class="figure-x-title">step</);
    expect(svg).toContain('KL &lt;nats&gt;'); // the user's text escaped
    for (const legend of ['λ+=0 ×3 seeds', 'defaults', 'k1', 'k3']) expect(svg).toContain(`>${legend}</text>`);
    expect(svg).toContain('stroke-dasharray="6 3"');
    expect(svg).toContain('recharts-area-area'); // the band comes along
    expect(svg.match(/<svg/g)).toHaveLength(2); // the chart nested once
    // The long link is wrapped into lines that fit the width; no character is lost.
    const captionText = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(captionText.length).toBeGreaterThan(2);
    expect(captionText.slice(1).join('')).toBe(escapeXml(spec.caption[1]));
    expect(height).toBeGreaterThan(170 + 60);
  });

  it('draws the light theme with no dark furniture left', () => {
    const { svg } = buildFigure({ ...spec, theme: 'light' }, drawing);
    for (const dark of [CHART_THEME.background, CHART_THEME.grid, CHART_THEME.axis, CHART_THEME.text]) expect(svg.toLowerCase()).not.toContain(dark);
    expect(svg).toContain(FIGURE_THEMES.light.background);
    expect(svg).toContain('#6cb6ff'); // run colours kept
    expect(recolour(drawing.markup, 'dark')).toBe(drawing.markup);
  });

  it('lists dash kinds only when a chart has more than one line per run', () => {
    const { svg } = buildFigure({ ...spec, lineKinds: [{ label: 'entropy', dash: '' }] }, drawing);
    expect(svg).not.toContain('>entropy</text>');
  });
});

describe('wrapLine', () => {
  it('cuts at spaces when it can, anywhere when it cannot', () => {
    expect(wrapLine('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapLine('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('probabilityTop', () => {
  it('ends a probability axis at 1, never above, and small fractions at the next round step', () => {
    expect(probabilityTop(1)).toBe(1);
    expect(probabilityTop(0.97)).toBe(1);
    expect(probabilityTop(1.08)).toBe(1); // a t-band past 1 is cut at the edge
    expect(probabilityTop(0.003)).toBeCloseTo(0.005, 12);
    expect(probabilityTop(0.12)).toBeCloseTo(0.2, 12);
    expect(probabilityTop(0.3)).toBeCloseTo(0.5, 12);
    expect(probabilityTop(0)).toBe(1);
  });
});
