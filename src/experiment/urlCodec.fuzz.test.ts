// Seeded fuzz of the URL codec: valid links round-trip exactly; hostile ones never throw and always
// load a schema-valid config; what a link brings (notes, reward code) reaches the page's markup only
// as escaped text. FUZZ_LINKS (default 10,000) and FUZZ_SEED scale and reseed it without code changes.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useConfigStore } from '../state/configStore';
import { NotesBanner, RewardApprovalModal } from '../ui/Dialogs';
import { getTask } from '../tasks/registry';
import { fuzzLinks } from './linkFuzz';
import { experimentSchema } from './schema';
import { decodeExperiment } from './urlCodec';

const COUNT = Number(process.env.FUZZ_LINKS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** The elements the banner and the approval dialog render themselves; anything else came from a link. */
const OWN_TAGS = new Set(['div', 'strong', 'ul', 'li', 'button', 'h2', 'p', 'pre', 'dialog', 'span', 'mark']);

/** Sets the config store for a server render, which reads the store's initial state (as panels.render.test does). */
function setStore(patch: Partial<ReturnType<typeof useConfigStore.getState>>): void {
  useConfigStore.setState(patch);
  Object.assign(useConfigStore.getInitialState(), useConfigStore.getState());
}

function foreignTags(markup: string): string[] {
  return [...markup.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()).filter((tag) => !OWN_TAGS.has(tag));
}

describe('URL codec fuzz', () => {
  it(`${COUNT} seeded links: never throws, always a valid config, valid links round-trip`, () => {
    const kinds: Record<string, number> = {};
    const hostileNotes = new Set<string>();
    const hostileCode = new Set<string>();
    for (const { kind, hash, expected } of fuzzLinks(COUNT, SEED)) {
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      let decoded: ReturnType<typeof decodeExperiment>;
      try {
        decoded = decodeExperiment(hash);
      } catch (e) {
        throw new Error(`decodeExperiment threw on a ${kind} link ${JSON.stringify(hash.slice(0, 200))}: ${(e as Error).message}`);
      }
      const { config, notes } = decoded;
      const parsed = experimentSchema.safeParse(config);
      if (!parsed.success) throw new Error(`invalid config from a ${kind} link ${JSON.stringify(hash.slice(0, 200))}: ${parsed.error.message}`);
      const arms = new Set(getTask(config.task.id).arms.map((a) => a.id));
      expect(config.task.arms.every((a) => arms.has(a))).toBe(true);
      expect(notes.every((n) => typeof n === 'string')).toBe(true);
      for (const note of notes) if (/[<>&"']/.test(note)) hostileNotes.add(note);
      if (config.reward.kind === 'code' && /[<>&]/.test(config.reward.code)) hostileCode.add(config.reward.code);
      if (expected) {
        expect(config).toEqual(expected);
        expect(notes).toEqual([]);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(kinds).sort()).toEqual(['deep', 'json', 'mutated', 'text', 'valid']);

    // Everything a link brought, rendered as the page renders it: markup only from the components.
    // The codec never echoes a key or value with unusual characters; the canary stands for one that
    // slipped through, and must still come out as text.
    expect([...hostileNotes].filter((n) => /<script/i.test(n))).toEqual([]);
    const canary = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    setStore({ linkNotes: [...hostileNotes, canary], notesDismissed: false });
    const banner = renderToStaticMarkup(createElement(NotesBanner));
    expect(banner).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(foreignTags(banner)).toEqual([]);
    for (const code of [...hostileCode].slice(0, 200).concat(canary)) {
      const config = useConfigStore.getState().config;
      setStore({ config: { ...config, reward: { ...config.reward, kind: 'code', code } }, rewardApproval: 'pending' });
      expect(foreignTags(renderToStaticMarkup(createElement(RewardApprovalModal)))).toEqual([]);
    }
  });
});
