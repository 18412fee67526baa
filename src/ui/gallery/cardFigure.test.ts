import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { armLabel, GALLERY_CARDS, type GalleryCardV2 } from '../../experiment/galleryCards';
import { escapeXml } from '../plots/chartFigure';
import { FIGURE_THEMES } from '../plots/chartTheme';
import { buildCardFigure, cardCaption, svgSize, themedPanels } from './cardFigure';
import { cardArms } from './GalleryDialog';

const ADDRESS = 'https://lab.example/rlvr/';
const card = GALLERY_CARDS.find((c) => c.id === 'reward-hacking') as GalleryCardV2;
// The card's figure as recorded (npm run gallery:record), as the page fetches it.
const recorded = readFileSync(fileURLToPath(new URL(`../../../docs/gallery/${card.id}.svg`, import.meta.url)), 'utf8');
/** Every piece of text the recorded figure draws: its panels' titles, axis labels and ticks, its legend. */
const recordedTexts = [...recorded.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const arms = cardArms(card, 'recorded');
const caption = cardCaption(recorded, arms, ADDRESS, `${ADDRESS}#v=1&x=card`, card.paper);

describe('a gallery card as one figure', () => {
  it('holds the title, every panel with its titles, axis labels and legend, and the caption with each arm\'s difference and link', () => {
    expect(arms.length).toBeGreaterThan(1);
    expect(recordedTexts).toEqual(expect.arrayContaining(['proxy reward (batch mean)', 'step', ...card.arms.map(armLabel)]));
    for (const theme of ['light', 'dark'] as const) {
      const { svg, width, height } = buildCardFigure({ title: card.title, panels: recorded, caption, theme });
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`<title>${escapeXml(card.title)}</title>`);
      expect(svg).toContain(`class="figure-title">${escapeXml(card.title)}<`);
      // Every text of every panel and of the legend, once each as recorded (none lost or doubled).
      for (const text of new Set(recordedTexts)) {
        const count = (s: string) => s.split(`>${text}</text>`).length - 1;
        expect(count(svg), text).toBe(count(recorded));
      }
      const captionText = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]).join('');
      // Each arm: its label with what its config changes (e.g. "k3 in the loss · …"), and its link.
      for (const arm of arms) {
        expect(arm.label).toContain(' · ');
        expect(captionText).toContain(escapeXml(arm.label));
      }
      expect(captionText.replace(/\s/g, '')).toContain(`${ADDRESS}#v=1&amp;x=`);
      expect(captionText).toContain('This card: https://lab.example/rlvr/#v=1&amp;x=card');
      expect(captionText).toContain('Recorded: 3 seeds per arm');
      expect(captionText).toContain(escapeXml(card.paper).slice(0, 40));
      expect(svg.match(/<svg/g)).toHaveLength(2); // the panels nested once
      const panels = svgSize(recorded);
      expect(width).toBeGreaterThanOrEqual(panels.width);
      expect(height).toBeGreaterThan(panels.height + caption.length * 10);
    }
  });

  it('draws the recorded panels in the chosen theme', () => {
    const dark = themedPanels(recorded, 'dark');
    expect(dark).not.toMatch(/fill="white"/);
    expect(dark).not.toContain('stroke="#ccc"');
    expect(dark).not.toMatch(/<text(?![^>]*fill=)/); // every text coloured (black is the default)
    expect(dark).toContain(`fill="${FIGURE_THEMES.dark.text}"`);
    const { svg } = buildCardFigure({ title: card.title, panels: recorded, caption, theme: 'dark' });
    expect(svg).toContain(`<rect width="100%" height="100%" fill="${FIGURE_THEMES.dark.background}"/>`);
    const light = buildCardFigure({ title: card.title, panels: recorded, caption, theme: 'light' }).svg;
    expect(light).toContain(`fill="${FIGURE_THEMES.light.background}"`);
    expect(light).not.toContain(FIGURE_THEMES.dark.background);
  });

  it('escapes what it is given and refuses a figure that is not an SVG', () => {
    const { svg } = buildCardFigure({ title: 'a <b> & "c"', panels: '<svg width="10" height="5"></svg>', caption: ['x < y'], theme: 'light' });
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).toContain('x &lt; y');
    expect(() => buildCardFigure({ title: 't', panels: '<html></html>', caption: [], theme: 'light' })).toThrow(/not an SVG/);
    expect(svgSize('<svg viewBox="0 0 30 20">')).toEqual({ width: 30, height: 20 });
  });
});
