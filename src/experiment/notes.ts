// What loading a link could not use, in words for the reader. Notes name schema paths and describe
// values by kind or by number; they never repeat a string or a key from the link verbatim (unless it
// is a short plain identifier), so a note is safe text however it ends up being shown.

export const MAX_NOTES = 20;

export class Notes {
  private readonly list: string[] = [];
  private dropped = 0;

  add(note: string): void {
    if (this.list.length < MAX_NOTES) this.list.push(note);
    else this.dropped++;
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  toArray(): string[] {
    return this.dropped > 0 ? [...this.list, `…and ${this.dropped} more problem${this.dropped === 1 ? '' : 's'} like these.`] : [...this.list];
  }
}

/** A key or id from untrusted data, quoted if it is a short plain identifier, else described. */
export function describeName(name: string): string {
  return /^[A-Za-z0-9_.+-]{1,40}$/.test(name) ? `"${name}"` : 'a key with unusual characters';
}

/** What kind of JSON value this is, for "expected a number, got a string". */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'a number too large to represent';
  if (typeof v === 'string') return v.length === 0 ? 'an empty text' : `a text of ${v.length} character${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') return 'an object';
  return 'a value of an unknown kind';
}
