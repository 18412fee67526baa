"""The program task's tiny integer language, ported line for line from RLVR Lab's src/tasks/exprLang.ts
so that the program task's verifier gives the same verdict here as in the browser.

    program := stmts            stmt := var '=' expr | 'rep' expr '{' stmts '}' | 'while' expr '{' stmts '}' | expr
    expr    := cmp ('?' expr ':' expr)?      cmp := sum (('<' | '>' | '==' | '!=') sum)?
    sum     := prod (('+' | '-') prod)*      prod := unary (('*' | '/' | '%') unary)*
    unary   := '-' unary | number | var | '(' expr ')'

Values are integers in +-MAX_VALUE; '/' floors and '%' takes the divisor's sign (Python's own // and %).
Runs are bounded in length, nesting depth and steps. run_program never raises."""

MAX_VALUE = 999_999
DEFAULT_MAX_STEPS = 10_000
MAX_SOURCE_LENGTH = 1_000
MAX_DEPTH = 32

SYMBOLS = ['==', '!=', '+', '-', '*', '/', '%', '(', ')', '{', '}', ';', '=', '<', '>', '?', ':']
KEYWORDS = {'rep', 'while'}


class LangError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def utf16_length(text):
    """JavaScript's string length: UTF-16 code units (a character outside the BMP counts twice)."""
    return len(text.encode('utf-16-le', 'surrogatepass')) // 2


def tokenize(source):
    tokens = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == ' ':
            i += 1
        elif '0' <= ch <= '9':
            j = i
            while j < len(source) and '0' <= source[j] <= '9':
                j += 1
            text = source[i:j]
            if len(text) > 6 or int(text) > MAX_VALUE:
                raise LangError('syntax', f'number {text[:12]} is larger than {MAX_VALUE}')
            tokens.append(('num', int(text), i))
            i = j
        elif 'a' <= ch <= 'z':
            j = i
            while j < len(source) and 'a' <= source[j] <= 'z':
                j += 1
            tokens.append(('word', source[i:j], i))
            i = j
        else:
            symbol = next((s for s in SYMBOLS if source.startswith(s, i)), None)
            if symbol is None:
                raise LangError('syntax', f'unexpected character {ch!r} at {i}')
            tokens.append(('sym', symbol, i))
            i += len(symbol)
    return tokens


class Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def parse_program(self):
        stmts = self.parse_stmts()
        if self.index < len(self.tokens):
            raise self.unexpected()
        return stmts

    def peek(self, offset=0):
        k = self.index + offset
        return self.tokens[k] if k < len(self.tokens) else None

    def is_sym(self, text, offset=0):
        t = self.peek(offset)
        return t is not None and t[0] == 'sym' and t[1] == text

    def expect_sym(self, text):
        if not self.is_sym(text):
            raise self.unexpected(f"expected '{text}'")
        self.index += 1

    def unexpected(self, what='unexpected'):
        t = self.peek()
        if t is None:
            return LangError('syntax', f'{what} at end of program')
        return LangError('syntax', f"{what}: '{t[1]}' at {t[2]}")

    def nested(self, parse):
        """Guards the recursion: '((((...' is a limit error, not a stack overflow."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise LangError('limit', f'nesting deeper than {MAX_DEPTH}')
            return parse()
        finally:
            self.depth -= 1

    def parse_stmts(self):
        stmts = [self.parse_stmt()]
        while self.is_sym(';'):
            self.index += 1
            stmts.append(self.parse_stmt())
        return stmts

    def parse_stmt(self):
        t = self.peek()
        if t is not None and t[0] == 'word' and t[1] in ('rep', 'while'):
            self.index += 1
            head = self.parse_expr()
            self.expect_sym('{')
            body = self.nested(self.parse_stmts)
            self.expect_sym('}')
            return ('rep', head, body) if t[1] == 'rep' else ('while', head, body)
        if t is not None and t[0] == 'word' and self.is_sym('=', 1):
            name = self.variable_name(t)
            self.index += 2
            return ('assign', name, self.parse_expr())
        return ('expr', self.parse_expr())

    def variable_name(self, t):
        if t[1] in KEYWORDS:
            raise LangError('syntax', f"keyword '{t[1]}' used as a value at {t[2]}")
        if len(t[1]) != 1:
            raise LangError('syntax', f"unknown name '{t[1]}' at {t[2]} (variables are single letters)")
        return t[1]

    def parse_expr(self):
        def parse():
            test = self.parse_cmp()
            if not self.is_sym('?'):
                return test
            self.index += 1
            then = self.parse_expr()
            self.expect_sym(':')
            return ('cond', test, then, self.parse_expr())
        return self.nested(parse)

    def parse_cmp(self):
        left = self.parse_sum()
        for op in ('<', '>', '==', '!='):
            if self.is_sym(op):
                self.index += 1
                return ('bin', op, left, self.parse_sum())
        return left

    def parse_sum(self):
        left = self.parse_prod()
        while self.is_sym('+') or self.is_sym('-'):
            op = self.tokens[self.index][1]
            self.index += 1
            left = ('bin', op, left, self.parse_prod())
        return left

    def parse_prod(self):
        left = self.parse_unary()
        while self.is_sym('*') or self.is_sym('/') or self.is_sym('%'):
            op = self.tokens[self.index][1]
            self.index += 1
            left = ('bin', op, left, self.parse_unary())
        return left

    def parse_unary(self):
        t = self.peek()
        if t is None:
            raise self.unexpected('expected a value')
        if t[0] == 'sym' and t[1] == '-':
            self.index += 1
            return self.nested(lambda: ('neg', self.parse_unary()))
        if t[0] == 'num':
            self.index += 1
            return ('num', t[1])
        if t[0] == 'word':
            self.index += 1
            return ('var', self.variable_name(t))
        if t[1] == '(':
            self.index += 1
            inner = self.parse_expr()
            self.expect_sym(')')
            return inner
        raise self.unexpected('expected a value')


class Interpreter:
    def __init__(self, max_steps):
        self.max_steps = max_steps
        self.steps = 0
        self.vars = {}

    def step(self):
        self.steps += 1
        if self.steps > self.max_steps:
            raise LangError('limit', f'step limit of {self.max_steps} exceeded')

    @staticmethod
    def checked(value):
        if abs(value) > MAX_VALUE:
            raise LangError('runtime', f'overflow: a value left the range +-{MAX_VALUE}')
        return value

    def run_block(self, stmts):
        for stmt in stmts:
            self.execute(stmt)

    def execute(self, stmt):
        self.step()
        kind = stmt[0]
        if kind == 'assign':
            self.vars[stmt[1]] = self.evaluate(stmt[2])
            return None
        if kind == 'rep':
            count = self.evaluate(stmt[1])
            if count < 0:
                raise LangError('runtime', f'rep count {count} is negative')
            for _ in range(count):
                self.step()
                self.run_block(stmt[2])
            return None
        if kind == 'while':
            while self.evaluate(stmt[1]) != 0:
                self.step()
                self.run_block(stmt[2])
            return None
        return self.evaluate(stmt[1])

    def evaluate(self, expr):
        self.step()
        kind = expr[0]
        if kind == 'num':
            return expr[1]
        if kind == 'var':
            if expr[1] not in self.vars:
                raise LangError('runtime', f"undefined variable '{expr[1]}'")
            return self.vars[expr[1]]
        if kind == 'neg':
            return self.checked(-self.evaluate(expr[1]))
        if kind == 'cond':
            return self.evaluate(expr[2]) if self.evaluate(expr[1]) != 0 else self.evaluate(expr[3])
        a = self.evaluate(expr[2])
        b = self.evaluate(expr[3])
        return self.checked(apply_binary(expr[1], a, b))


def apply_binary(op, a, b):
    if op == '+':
        return a + b
    if op == '-':
        return a - b
    if op == '*':
        return a * b
    if op == '/':
        if b == 0:
            raise LangError('runtime', 'division by zero')
        return a // b
    if op == '%':
        if b == 0:
            raise LangError('runtime', 'modulo by zero')
        return a % b
    if op == '<':
        return 1 if a < b else 0
    if op == '>':
        return 1 if a > b else 0
    if op == '==':
        return 1 if a == b else 0
    return 1 if a != b else 0


def run_program(source, max_steps=DEFAULT_MAX_STEPS):
    """{'ok': True, 'value': int, 'steps': n} or {'ok': False, 'kind', 'error', 'steps'}. Never raises."""
    if not isinstance(source, str):
        return {'ok': False, 'kind': 'syntax', 'error': 'program is not a string', 'steps': 0}
    if utf16_length(source) > MAX_SOURCE_LENGTH:
        return {'ok': False, 'kind': 'limit', 'error': f'program longer than {MAX_SOURCE_LENGTH} characters', 'steps': 0}
    try:
        program = Parser(tokenize(source)).parse_program()
    except LangError as error:
        return {'ok': False, 'kind': error.kind, 'error': str(error), 'steps': 0}
    except RecursionError as error:
        return {'ok': False, 'kind': 'limit', 'error': str(error), 'steps': 0}
    last = program[-1]
    if last[0] != 'expr':
        return {'ok': False, 'kind': 'syntax', 'error': 'a program must end with an expression', 'steps': 0}
    interpreter = Interpreter(max_steps)
    try:
        interpreter.run_block(program[:-1])
        value = interpreter.execute(last)
        return {'ok': True, 'value': value, 'steps': interpreter.steps}
    except LangError as error:
        return {'ok': False, 'kind': error.kind, 'error': str(error), 'steps': interpreter.steps}
    except RecursionError as error:
        return {'ok': False, 'kind': 'limit', 'error': str(error), 'steps': interpreter.steps}
