// The proposer's reference examples (Absolute Zero conditions its proposer on K past triplets sampled from
// its buffer of valid proposals, so it can propose "something like these, but new"). Here a reference is a
// past valid problem's prompt (`37+48=`); prompts end with the task's `=`, so K of them written one after
// another after the <propose> token are self-delimiting and need no separator token. The buffer is FIFO
// with a cap, seeded with seed problems (AZR seeds it with seed triplets) so K > 0 works from iteration 0.
import type { Rng } from '../tasks/random';
import { PROPOSE_ID, encode } from '../tasks/tokenizer';

export class ReferenceBuffer {
  private readonly items: string[] = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`ReferenceBuffer: capacity must be >= 1, got ${capacity}.`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds problems' prompts, oldest dropped beyond the cap; a prompt already held is not added twice. */
  add(prompts: Iterable<string>): void {
    for (const p of prompts) {
      if (this.items.includes(p)) continue;
      this.items.push(p);
      if (this.items.length > this.capacity) this.items.shift();
    }
  }

  /** K distinct references drawn uniformly (fewer when the buffer holds fewer). */
  sample(k: number, rng: Rng): string[] {
    return rng.shuffle([...this.items]).slice(0, Math.max(0, k));
  }

  snapshot(): readonly string[] {
    return [...this.items];
  }
}

/** The proposer's prompt: <propose> in BOS's place, then the references' prompts one after another. */
export function proposerPromptWithReferences(references: readonly string[]): number[] {
  return [PROPOSE_ID, ...encode(references.join(''))];
}

/** Tokens a proposer's sequence needs at most: role token, K references and a proposal of the task's
 *  longest prompt, plus EOS. The model's context must hold it. */
export function proposerSequenceLength(references: number, maxPromptLength: number): number {
  return 1 + references * maxPromptLength + maxPromptLength + 1;
}
