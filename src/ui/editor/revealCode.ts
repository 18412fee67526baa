// Shows reward code exactly as JavaScript will read it, for the approval dialog. A <pre> of the raw text
// can lie: a lone carriage return or U+2028 ends a `//` comment for JavaScript but not visibly, bidi
// controls reorder what is displayed (Trojan Source), zero-width characters hide inside identifiers, and
// a Cyrillic "а" passes for a Latin "a". Here every such character becomes a visible, labelled marker
// (a line terminator also breaks the displayed line, as it does for the parser), words that mix scripts
// are marked, and each kind of finding yields one warning sentence.

/** A run of plain text, a marker standing for one hidden character, or a word that mixes scripts. */
export type CodePiece =
  | { kind: 'text'; text: string }
  | { kind: 'hidden'; label: string; name: string; breaksLine: boolean }
  | { kind: 'mixed'; text: string; scripts: string[] };

export interface RevealedCode {
  /** Display lines (split where JavaScript ends a line: \n, \r\n, lone \r, U+2028, U+2029). */
  lines: CodePiece[][];
  /** One sentence per kind of finding; empty when the code hides nothing. */
  warnings: string[];
  hiddenCount: number;
}

const NAMES: Record<number, string> = {
  0x0d: 'CARRIAGE RETURN',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x00a0: 'NO-BREAK SPACE',
  0x3000: 'IDEOGRAPHIC SPACE',
};

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Characters shown as markers: controls (but tab and newline), format characters (zero-width, bidi,
 *  tags …), line/paragraph separators, unusual spaces, variation selectors and private-use code points. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/u;
const LINE_TERMINATORS = new Set([0x0d, 0x2028, 0x2029]);

/** Scripts a homoglyph attack mixes; a word with letters of two of them is flagged. */
const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
];
const WORD = /[\p{L}\p{M}\p{N}_$]+/gu;

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function describeCodePoint(cp: number): string {
  return `${hex(cp)}${NAMES[cp] ? ` ${NAMES[cp]}` : ''}`;
}

function scriptsOf(word: string): string[] {
  const found = new Set<string>();
  for (const ch of word) {
    const script = SCRIPTS.find(([, re]) => re.test(ch));
    if (script) found.add(script[0]);
    else if (/\p{L}/u.test(ch)) found.add('Other');
  }
  return [...found];
}

/** Splits plain text (no hidden characters) into text runs and mixed-script words. */
function markWords(text: string, out: CodePiece[], mixed: Set<string>): void {
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (!/[^\x00-\x7f]/.test(word)) continue;
    const scripts = scriptsOf(word);
    if (scripts.length < 2) continue;
    if (match.index > last) out.push({ kind: 'text', text: text.slice(last, match.index) });
    out.push({ kind: 'mixed', text: word, scripts });
    mixed.add(`"${word}" (${scripts.join(' + ')})`);
    last = match.index + word.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
}

export function revealCode(code: string): RevealedCode {
  const lines: CodePiece[][] = [[]];
  const seen = { bidi: new Set<string>(), invisible: new Set<string>(), terminators: new Set<string>() };
  const mixed = new Set<string>();
  let hiddenCount = 0;
  let plain = '';
  const flush = () => {
    if (plain) markWords(plain, lines[lines.length - 1], mixed);
    plain = '';
  };
  const chars = [...code];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const cp = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\t') {
      if (ch === '\t') plain += ch;
      else {
        flush();
        lines.push([]);
      }
      continue;
    }
    if (ch === '\r' && chars[i + 1] === '\n') continue; // CRLF: an ordinary line break
    if (!HIDDEN.test(ch)) {
      plain += ch;
      continue;
    }
    flush();
    hiddenCount++;
    const name = describeCodePoint(cp);
    const breaksLine = LINE_TERMINATORS.has(cp);
    lines[lines.length - 1].push({ kind: 'hidden', label: `⟨${hex(cp)}⟩`, name, breaksLine });
    if (breaksLine) {
      seen.terminators.add(name);
      lines.push([]);
    } else if (BIDI.test(ch)) seen.bidi.add(name);
    else seen.invisible.add(name);
  }
  flush();

  const warnings: string[] = [];
  const list = (s: Set<string>) => [...s].join(', ');
  if (seen.bidi.size > 0) {
    warnings.push(`Bidirectional control characters (${list(seen.bidi)}): they can make the displayed order of the code differ from the order it runs in.`);
  }
  if (seen.terminators.size > 0) {
    warnings.push(
      `Line breaks that editors often do not show (${list(seen.terminators)}): JavaScript ends a line — and a // comment — there, so text that looks commented out may run. They are shown as line breaks here.`,
    );
  }
  if (seen.invisible.size > 0) {
    warnings.push(`Invisible or unusual characters (${list(seen.invisible)}): they can hide inside names or strings, so two names that look the same may differ.`);
  }
  if (mixed.size > 0) {
    warnings.push(`Words that mix alphabets (${[...mixed].slice(0, 5).join(', ')}${mixed.size > 5 ? ', …' : ''}): a letter from another alphabet can pass for a Latin one.`);
  }
  return { lines, warnings, hiddenCount };
}
