// The two token ids the model layer must know (the full vocabulary lives in src/tasks/tokenizer.ts,
// which a test keeps in agreement with these).
export const PAD = 0;
export const EOS = 2;
