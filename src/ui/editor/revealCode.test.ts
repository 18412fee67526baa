import { describe, expect, it } from 'vitest';
import { revealCode, type CodePiece } from './revealCode';

/** The display text of a line: hidden characters as their labels. */
const show = (line: CodePiece[]) => line.map((p) => (p.kind === 'hidden' ? p.label : p.text)).join('');

describe('revealCode', () => {
  it('leaves ordinary code alone: no markers, no warnings, CRLF is a plain line break', () => {
    const code = 'function reward({ completion, answer }) {\r\n\treturn completion === answer ? 1 : 0; // "×" in a comment\n}';
    const r = revealCode(code);
    expect(r.warnings).toEqual([]);
    expect(r.hiddenCount).toBe(0);
    expect(r.lines.map(show)).toEqual(['function reward({ completion, answer }) {', '\treturn completion === answer ? 1 : 0; // "×" in a comment', '}']);
  });

  it('breaks the line at a lone CR, U+2028 and U+2029, where JavaScript ends a // comment', () => {
    const r = revealCode('// harmless\rleak();\u2028more();\u2029end');
    expect(r.lines.map(show)).toEqual(['// harmless⟨U+000D⟩', 'leak();⟨U+2028⟩', 'more();⟨U+2029⟩', 'end']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/CARRIAGE RETURN, U\+2028 LINE SEPARATOR, U\+2029 PARAGRAPH SEPARATOR\): JavaScript ends a line — and a \/\/ comment — there/);
  });

  it('labels bidi controls (Trojan Source) and never passes them through to the display', () => {
    const code = 'if (access !== "user\u202e \u2066// Check if admin\u2069 \u2066") { return 1; }';
    const r = revealCode(code);
    const text = r.lines.map(show).join('\n');
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('⟨U+202E⟩');
    expect(r.hiddenCount).toBe(4);
    expect(r.warnings[0]).toMatch(/^Bidirectional control characters \(U\+202E RIGHT-TO-LEFT OVERRIDE, U\+2066 LEFT-TO-RIGHT ISOLATE, U\+2069 POP DIRECTIONAL ISOLATE\)/);
  });

  it('labels zero-width characters inside names, and flags words that mix alphabets', () => {
    const r = revealCode('const ok\u200d = 1; const pаyload = 2; const число = 3; const naïve = 4;');
    expect(show(r.lines[0])).toContain('ok⟨U+200D⟩ =');
    const mixed = r.lines[0].filter((p) => p.kind === 'mixed');
    // "pаyload" has a Cyrillic а; "число" is all Cyrillic and "naïve" all Latin: not flagged.
    expect(mixed).toEqual([{ kind: 'mixed', text: 'pаyload', scripts: ['Latin', 'Cyrillic'] }]);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^Invisible or unusual characters \(U\+200D ZERO WIDTH JOINER\)/),
      expect.stringMatching(/^Words that mix alphabets \("pаyload" \(Latin \+ Cyrillic\)\)/),
    ]);
  });

  it('labels other controls, tag characters and unusual spaces', () => {
    const r = revealCode('a\u0000b\u{e0041}c\u00a0d\ufeffe\u0085f');
    expect(show(r.lines[0])).toBe('a⟨U+0000⟩b⟨U+E0041⟩c⟨U+00A0⟩d⟨U+FEFF⟩e⟨U+0085⟩f');
    expect(r.hiddenCount).toBe(5);
  });
});
