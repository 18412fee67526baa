// A tiny integer expression language for the program-output task: `a=3;b=a*2;b+1` → 7.
//
//   program := stmts                       the value of the program is its last statement,
//   stmts   := stmt (';' stmt)*            which must be an expression
//   stmt    := var '=' expr | 'rep' expr '{' stmts '}' | 'while' expr '{' stmts '}' | expr
//   expr    := cmp ('?' expr ':' expr)?    ternary: cmp ≠ 0 picks the first branch
//   cmp     := sum (('<' | '>' | '==' | '!=') sum)?     1 for true, 0 for false
//   sum     := prod (('+' | '-') prod)*
//   prod    := unary (('*' | '/' | '%') unary)*         '/' floors, '%' takes the divisor's sign
//   unary   := '-' unary | number | var | '(' expr ')'
//
// Variables are single letters a-z; longer words are keywords. Values are integers in ±MAX_VALUE.
// Nothing here throws to the caller and nothing runs unbounded: a program is bounded in length and
// nesting depth, and its run in steps (each statement, expression node and loop iteration is one).
// Errors come back as values: { ok: false, kind, error }.

export const MAX_VALUE = 999_999;
export const DEFAULT_MAX_STEPS = 10_000;
export const MAX_SOURCE_LENGTH = 1_000;
export const MAX_DEPTH = 32;

export type RunResult =
  | { ok: true; value: number; steps: number }
  | { ok: false; kind: 'syntax' | 'runtime' | 'limit'; error: string; steps: number };

export interface RunOptions {
  maxSteps?: number;
}

type Expr =
  | { type: 'num'; value: number }
  | { type: 'var'; name: string }
  | { type: 'neg'; arg: Expr }
  | { type: 'bin'; op: BinaryOp; left: Expr; right: Expr }
  | { type: 'cond'; test: Expr; then: Expr; else: Expr };

type Stmt =
  | { type: 'assign'; name: string; value: Expr }
  | { type: 'rep'; count: Expr; body: Stmt[] }
  | { type: 'while'; test: Expr; body: Stmt[] }
  | { type: 'expr'; expr: Expr };

type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '>' | '==' | '!=';

/** Thrown only inside this module, always caught by `runProgram`. */
class LangError extends Error {
  constructor(
    readonly kind: 'syntax' | 'runtime' | 'limit',
    message: string,
  ) {
    super(message);
  }
}

type Token = { kind: 'num'; value: number; pos: number } | { kind: 'word'; text: string; pos: number } | { kind: 'sym'; text: string; pos: number };

const SYMBOLS = ['==', '!=', '+', '-', '*', '/', '%', '(', ')', '{', '}', ';', '=', '<', '>', '?', ':'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ' ') {
      i++;
    } else if (ch >= '0' && ch <= '9') {
      let j = i;
      while (j < source.length && source[j] >= '0' && source[j] <= '9') j++;
      const text = source.slice(i, j);
      if (text.length > 6 || Number(text) > MAX_VALUE) throw new LangError('syntax', `number ${text.slice(0, 12)} is larger than ${MAX_VALUE}`);
      tokens.push({ kind: 'num', value: Number(text), pos: i });
      i = j;
    } else if (ch >= 'a' && ch <= 'z') {
      let j = i;
      while (j < source.length && source[j] >= 'a' && source[j] <= 'z') j++;
      tokens.push({ kind: 'word', text: source.slice(i, j), pos: i });
      i = j;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (!symbol) throw new LangError('syntax', `unexpected character ${JSON.stringify(ch)} at ${i}`);
      tokens.push({ kind: 'sym', text: symbol, pos: i });
      i += symbol.length;
    }
  }
  return tokens;
}

const KEYWORDS = new Set(['rep', 'while']);

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseProgram(): Stmt[] {
    const stmts = this.parseStmts();
    if (this.index < this.tokens.length) throw this.unexpected();
    return stmts;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }

  private isSym(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'sym' && t.text === text;
  }

  private expectSym(text: string): void {
    if (!this.isSym(text)) throw this.unexpected(`expected '${text}'`);
    this.index++;
  }

  private unexpected(what = 'unexpected'): LangError {
    const t = this.peek();
    if (!t) return new LangError('syntax', `${what} at end of program`);
    const text = t.kind === 'num' ? String(t.value) : t.text;
    return new LangError('syntax', `${what}: '${text}' at ${t.pos}`);
  }

  /** Guards the recursion: `((((…` must become a syntax error, not a stack overflow. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new LangError('limit', `nesting deeper than ${MAX_DEPTH}`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseStmts(): Stmt[] {
    const stmts = [this.parseStmt()];
    while (this.isSym(';')) {
      this.index++;
      stmts.push(this.parseStmt());
    }
    return stmts;
  }

  private parseStmt(): Stmt {
    const t = this.peek();
    if (t?.kind === 'word' && (t.text === 'rep' || t.text === 'while')) {
      this.index++;
      const head = this.parseExpr();
      this.expectSym('{');
      const body = this.nested(() => this.parseStmts());
      this.expectSym('}');
      return t.text === 'rep' ? { type: 'rep', count: head, body } : { type: 'while', test: head, body };
    }
    if (t?.kind === 'word' && this.isSym('=', 1)) {
      const name = this.variableName(t);
      this.index += 2;
      return { type: 'assign', name, value: this.parseExpr() };
    }
    return { type: 'expr', expr: this.parseExpr() };
  }

  private variableName(t: { text: string; pos: number }): string {
    if (KEYWORDS.has(t.text)) throw new LangError('syntax', `keyword '${t.text}' used as a value at ${t.pos}`);
    if (t.text.length !== 1) throw new LangError('syntax', `unknown name '${t.text}' at ${t.pos} (variables are single letters)`);
    return t.text;
  }

  private parseExpr(): Expr {
    return this.nested(() => {
      const test = this.parseCmp();
      if (!this.isSym('?')) return test;
      this.index++;
      const then = this.parseExpr();
      this.expectSym(':');
      return { type: 'cond', test, then, else: this.parseExpr() };
    });
  }

  private parseCmp(): Expr {
    const left = this.parseSum();
    for (const op of ['<', '>', '==', '!='] as const) {
      if (this.isSym(op)) {
        this.index++;
        return { type: 'bin', op, left, right: this.parseSum() };
      }
    }
    return left;
  }

  private parseSum(): Expr {
    let left = this.parseProd();
    while (this.isSym('+') || this.isSym('-')) {
      const op = (this.tokens[this.index++] as { text: '+' | '-' }).text;
      left = { type: 'bin', op, left, right: this.parseProd() };
    }
    return left;
  }

  private parseProd(): Expr {
    let left = this.parseUnary();
    while (this.isSym('*') || this.isSym('/') || this.isSym('%')) {
      const op = (this.tokens[this.index++] as { text: '*' | '/' | '%' }).text;
      left = { type: 'bin', op, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (!t) throw this.unexpected('expected a value');
    if (t.kind === 'sym' && t.text === '-') {
      this.index++;
      return this.nested(() => ({ type: 'neg', arg: this.parseUnary() }));
    }
    if (t.kind === 'num') {
      this.index++;
      return { type: 'num', value: t.value };
    }
    if (t.kind === 'word') {
      this.index++;
      return { type: 'var', name: this.variableName(t) };
    }
    if (t.text === '(') {
      this.index++;
      const inner = this.parseExpr();
      this.expectSym(')');
      return inner;
    }
    throw this.unexpected('expected a value');
  }
}

class Interpreter {
  steps = 0;
  readonly vars = new Map<string, number>();

  constructor(private readonly maxSteps: number) {}

  private step(): void {
    if (++this.steps > this.maxSteps) throw new LangError('limit', `step limit of ${this.maxSteps} exceeded`);
  }

  private checked(value: number): number {
    if (!Number.isFinite(value) || Math.abs(value) > MAX_VALUE) {
      throw new LangError('runtime', `overflow: a value left the range ±${MAX_VALUE}`);
    }
    return value === 0 ? 0 : value; // no -0
  }

  runBlock(stmts: Stmt[]): void {
    for (const stmt of stmts) this.exec(stmt);
  }

  exec(stmt: Stmt): number | undefined {
    this.step();
    switch (stmt.type) {
      case 'assign':
        this.vars.set(stmt.name, this.eval(stmt.value));
        return undefined;
      case 'rep': {
        const count = this.eval(stmt.count);
        if (count < 0) throw new LangError('runtime', `rep count ${count} is negative`);
        for (let i = 0; i < count; i++) {
          this.step();
          this.runBlock(stmt.body);
        }
        return undefined;
      }
      case 'while':
        while (this.eval(stmt.test) !== 0) {
          this.step();
          this.runBlock(stmt.body);
        }
        return undefined;
      case 'expr':
        return this.eval(stmt.expr);
    }
  }

  eval(expr: Expr): number {
    this.step();
    switch (expr.type) {
      case 'num':
        return expr.value;
      case 'var': {
        const value = this.vars.get(expr.name);
        if (value === undefined) throw new LangError('runtime', `undefined variable '${expr.name}'`);
        return value;
      }
      case 'neg':
        return this.checked(-this.eval(expr.arg));
      case 'cond':
        return this.eval(expr.test) !== 0 ? this.eval(expr.then) : this.eval(expr.else);
      case 'bin': {
        const a = this.eval(expr.left);
        const b = this.eval(expr.right);
        return this.checked(applyBinary(expr.op, a, b));
      }
    }
  }
}

function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new LangError('runtime', 'division by zero');
      return Math.floor(a / b);
    case '%':
      if (b === 0) throw new LangError('runtime', 'modulo by zero');
      return a - b * Math.floor(a / b);
    case '<':
      return a < b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
  }
}

/** Parses and runs a program. Never throws; never runs more than `maxSteps` steps. */
export function runProgram(source: string, options: RunOptions = {}): RunResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (typeof source !== 'string') return { ok: false, kind: 'syntax', error: 'program is not a string', steps: 0 };
  if (source.length > MAX_SOURCE_LENGTH) {
    return { ok: false, kind: 'limit', error: `program longer than ${MAX_SOURCE_LENGTH} characters`, steps: 0 };
  }
  let program: Stmt[];
  try {
    program = new Parser(tokenize(source)).parseProgram();
  } catch (error) {
    return failure(error, 0);
  }
  const last = program[program.length - 1];
  if (last.type !== 'expr') return { ok: false, kind: 'syntax', error: 'a program must end with an expression', steps: 0 };
  const interpreter = new Interpreter(maxSteps);
  try {
    interpreter.runBlock(program.slice(0, -1));
    const value = interpreter.exec(last)!;
    return { ok: true, value, steps: interpreter.steps };
  } catch (error) {
    return failure(error, interpreter.steps);
  }
}

function failure(error: unknown, steps: number): RunResult {
  if (error instanceof LangError) return { ok: false, kind: error.kind, error: error.message, steps };
  // Only a deep recursion the depth guard missed could land here; still an error value, not a throw.
  return { ok: false, kind: 'limit', error: error instanceof Error ? error.message : String(error), steps };
}
