// One character-level vocabulary shared by every task, so a single policy can be trained on a mix of
// tasks and checkpoints stay interchangeable. The order below IS the id assignment: never reorder or
// remove entries (that would silently scramble every saved checkpoint); append only, and only while
// VOCAB_SIZE stays <= 64.

/** Special tokens. PAD must be id 0 (zero-filled buffers are then valid padding). */
export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<eos>', '<sep>', '<propose>', '<solve>'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

/** Ordinary characters: the digits, the punctuation the tasks and the expression language use, a-z. */
const CHARACTERS =
  ' 0123456789' + // numbers (space separates prompt keywords from their argument)
  '+-*/%=()' + // arithmetic, modular arithmetic, countdown
  ',?><:;{}!' + // countdown list and target, expression language (ternary, compare, statements, loops)
  'abcdefghijklmnopqrstuvwxyz'; // string reversal, task keywords, variable names

/** id → token. Specials are written as '<name>'; every other entry is a single character. */
export const VOCAB: readonly string[] = Object.freeze([...SPECIAL_TOKENS, ...CHARACTERS]);
export const VOCAB_SIZE = VOCAB.length;

export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
/** Separates parts of a sequence, e.g. a proposed problem from its proposed answer in self-play. */
export const SEP_ID = 3;
/** Role tokens for self-play: the same policy is asked to propose a problem or to solve one. */
export const PROPOSE_ID = 4;
export const SOLVE_ID = 5;
export const NUM_SPECIAL = SPECIAL_TOKENS.length;

const CHAR_TO_ID = new Map<string, number>();
for (let i = NUM_SPECIAL; i < VOCAB.length; i++) CHAR_TO_ID.set(VOCAB[i], i);

export function isSpecialId(id: number): boolean {
  return id >= 0 && id < NUM_SPECIAL;
}

/** True when every character of `text` is in the vocabulary (encode would not throw). */
export function isEncodable(text: string): boolean {
  for (const ch of text) if (!CHAR_TO_ID.has(ch)) return false;
  return true;
}

/** Text → ids, one id per character. No BOS/EOS is added. Throws on a character outside the vocabulary. */
export function encode(text: string): number[] {
  const ids: number[] = [];
  let index = 0;
  for (const ch of text) {
    const id = CHAR_TO_ID.get(ch);
    if (id === undefined) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new Error(
        `encode: character ${JSON.stringify(ch)} (U+${code}) at index ${index} is not in the vocabulary ` +
          `(allowed: digits, a-z, space and ${JSON.stringify(CHARACTERS.replace(/[ 0-9a-z]/g, ''))})`,
      );
    }
    ids.push(id);
    index += ch.length;
  }
  return ids;
}

/** A prompt as the policy sees it: BOS then the prompt's characters. */
export function encodePrompt(prompt: string): number[] {
  return [BOS_ID, ...encode(prompt)];
}

/** A supervised target completion: the answer's characters then EOS. */
export function encodeCompletion(answer: string): number[] {
  return [...encode(answer), EOS_ID];
}

export interface DecodeOptions {
  /** Render special tokens as ⟨eos⟩, ⟨pad⟩ … instead of dropping them. Default false. */
  showSpecial?: boolean;
}

function tokenText(id: number, showSpecial: boolean): string {
  if (!Number.isInteger(id) || id < 0 || id >= VOCAB_SIZE) {
    throw new RangeError(`decode: token id ${id} is outside the vocabulary [0, ${VOCAB_SIZE})`);
  }
  if (id < NUM_SPECIAL) return showSpecial ? `⟨${SPECIAL_TOKENS[id].slice(1, -1)}⟩` : '';
  return VOCAB[id];
}

/** ids → text, every id (it does not stop at EOS). Specials are dropped unless `showSpecial`. */
export function decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
  const showSpecial = options.showSpecial ?? false;
  let out = '';
  for (let i = 0; i < ids.length; i++) out += tokenText(ids[i], showSpecial);
  return out;
}

/**
 * The text a verifier scores: everything before the first EOS, with PAD dropped. Any other special
 * token the policy emitted mid-answer is kept visibly as ⟨bos⟩ etc., so it makes the answer wrong
 * instead of silently vanishing.
 */
export function decodeCompletion(ids: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === EOS_ID) break;
    if (id === PAD_ID) continue;
    out += tokenText(id, true);
  }
  return out;
}
