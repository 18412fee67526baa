"""RLVR Lab's verifiable tasks in Python: the seeded problem generators and the verifiers, ported from
src/tasks/*.ts so that a problem drawn here with a seed is the problem the lab draws with that seed, and
a completion scores here exactly as it scores in the browser (a parity test checks both on tens of
thousands of right, wrong, malformed, truncated and adversarial completions).

Strings are measured as JavaScript measures them (UTF-16 code units) and regular expressions must
match the whole string (re.fullmatch: Python's '$' would also match before a final newline)."""
import re

from lab_exprlang import run_program, utf16_length

# ------------------------------------------------------------------ seeded randomness (src/tasks/random.ts)

M32 = 0xFFFFFFFF


def imul(a, b):
    """JavaScript's Math.imul: the low 32 bits of the product, as a signed 32-bit integer."""
    product = ((a & M32) * (b & M32)) & M32
    return product - 0x100000000 if product & 0x80000000 else product


class Rng:
    """mulberry32, as src/engine/random.ts: one u32 of state, the same stream in every language."""

    def __init__(self, seed):
        self.state = seed & M32

    def next_uint32(self):
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = imul(t ^ (t >> 15), t | 1) & M32
        t = (t ^ (t + imul(t ^ (t >> 7), t | 61))) & M32
        return (t ^ (t >> 14)) & M32

    def next_float(self):
        return self.next_uint32() / 4294967296

    def next_int(self, lo, hi):
        return lo + int(self.next_float() * (hi - lo + 1) // 1)

    def pick(self, items):
        return items[self.next_int(0, len(items) - 1)]

    def shuffle(self, items):
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self.next_int(0, i)
            out[i], out[j] = out[j], out[i]
        return out


def hash_string(text):
    """FNV-1a over UTF-16 code units."""
    h = 0x811C9DC5
    units = text.encode('utf-16-le', 'surrogatepass')
    for k in range(0, len(units), 2):
        h ^= units[k] | (units[k + 1] << 8)
        h = imul(h, 0x01000193) & M32
    return h


def mix32(h):
    h ^= h >> 16
    h = imul(h, 0x85EBCA6B) & M32
    h ^= h >> 13
    h = imul(h, 0xC2B2AE35) & M32
    h ^= h >> 16
    return h


HELD_OUT_PER_MILLE = 100


def is_held_out_prompt(prompt):
    """The lab's evaluation split: 10 % of prompts, by a hash of the prompt alone."""
    return mix32(hash_string(prompt)) % 1000 < HELD_OUT_PER_MILLE

# ------------------------------------------------------------------ scoring helpers (src/tasks/task.ts)


def zero_reward():
    return {'format': 0, 'correctness': 0}


def make_reward(fmt, correct, extra=None):
    out = {'format': 1 if fmt else 0, 'correctness': 1 if (fmt and correct) else 0}
    out.update(extra or {})
    return out


def positional_match(got, want):
    n = max(len(got), len(want))
    if n == 0:
        return 1
    same = sum(1 for i in range(min(len(got), len(want))) if got[i] == want[i])
    return same / n


def digit_match(got, want):
    return positional_match(got[::-1], want[::-1])


INTEGER = re.compile(r'(0|-?[1-9][0-9]*)')


def score_exact(completion, answer, fmt=INTEGER, partial=None):
    ok = fmt.fullmatch(completion) is not None
    extra = {'partial': partial(completion, answer) if ok else 0} if partial else {}
    return make_reward(ok, completion == answer, extra)

# ------------------------------------------------------------------ the tasks


def with_digits(rng, digits):
    return rng.next_int(0, 9) if digits == 1 else rng.next_int(10 ** (digits - 1), 10 ** digits - 1)


class Task:
    """One task: arms (id -> parameters), a sampler, a scorer, and the lab's length limits."""

    def __init__(self, task_id, arms, max_completion_length, sample, score):
        self.id = task_id
        self.arms = arms
        self.max_completion_length = max_completion_length
        self._sample = sample
        self._score = score

    def generate(self, arm_id, rng):
        """A training problem (never a held-out one), as the lab's Task.generate."""
        arm = self._arm(arm_id)
        for _ in range(100_000):
            problem = self._make(arm_id, arm, rng)
            if not is_held_out_prompt(problem['prompt']):
                return problem
        raise ValueError(f'task {self.id}: arm {arm_id} produced only held-out prompts')

    def eval_set(self, arm_id, n, seed):
        """n held-out problems of the arm, as the lab's Task.evalSet."""
        arm = self._arm(arm_id)
        rng = Rng(seed)
        found = {}
        since_new = 0
        draws = 0
        while len(found) < n and draws < 100_000 and since_new < 5_000:
            problem = self._make(arm_id, arm, rng)
            since_new += 1
            if is_held_out_prompt(problem['prompt']) and problem['prompt'] not in found:
                found[problem['prompt']] = problem
                since_new = 0
            draws += 1
        distinct = list(found.values())
        if n > 0 and not distinct:
            raise ValueError(f'task {self.id}: arm {arm_id} has no held-out prompts')
        return [distinct[i % len(distinct)] for i in range(n)]

    def verify(self, problem, completion):
        """The verifier's components (format, correctness, and task-specific ones). Never raises."""
        if not isinstance(completion, str):
            return zero_reward()
        if utf16_length(completion) > self.max_completion_length:
            return zero_reward()
        try:
            return self._score(problem, completion)
        except Exception:  # a verifier bug must not take a run down; the lab scores it zero too
            return zero_reward()

    def _arm(self, arm_id):
        if arm_id not in self.arms:
            raise ValueError(f'task {self.id}: unknown arm {arm_id!r} (arms: {", ".join(self.arms)})')
        return self.arms[arm_id]

    def _make(self, arm_id, arm, rng):
        problem = {'task': self.id, 'arm': arm_id}
        problem.update(self._sample(arm, rng))
        return problem


def _addition():
    arms = {f'd{d}': d for d in (1, 2, 3, 4)}

    def sample(digits, rng):
        a = with_digits(rng, digits)
        b = with_digits(rng, digits)
        return {'prompt': f'{a}+{b}=', 'answer': str(a + b)}
    return Task('addition', arms, 5, sample, lambda p, c: score_exact(c, p['answer'], partial=digit_match))


def _multiplication():
    arms = {f'{a}x{b}': (a, b) for a, b in ((1, 1), (2, 1), (2, 2), (3, 2))}

    def sample(digits, rng):
        a = with_digits(rng, digits[0])
        b = with_digits(rng, digits[1])
        return {'prompt': f'{a}*{b}=', 'answer': str(a * b)}
    return Task('multiplication', arms, 6, sample, lambda p, c: score_exact(c, p['answer'], partial=digit_match))


def _modular():
    arms = {'rem': ('none', 99, 9), 'sum': ('+', 99, 12), 'prod': ('*', 99, 19)}

    def sample(arm, rng):
        op, max_operand, max_modulus = arm
        a = rng.next_int(0, max_operand)
        m = rng.next_int(2, max_modulus)
        if op == 'none':
            return {'prompt': f'{a}%{m}=', 'answer': str(a % m)}
        b = rng.next_int(0, max_operand)
        value = a + b if op == '+' else a * b
        return {'prompt': f'({a}{op}{b})%{m}=', 'answer': str(value % m)}
    return Task('modular', arms, 2, sample, lambda p, c: score_exact(c, p['answer']))


DIGITS = re.compile(r'[0-9]+')


def _sorting():
    arms = {f'len{n}': n for n in (3, 5, 8, 12)}

    def sample(length, rng):
        digits = ''.join(str(rng.next_int(0, 9)) for _ in range(length))
        return {'prompt': f'sort {digits}=', 'answer': ''.join(sorted(digits))}

    def score(problem, completion):
        want = problem['answer']
        ok = DIGITS.fullmatch(completion) is not None and len(completion) == len(want)
        permutation = 1 if ok and ''.join(sorted(completion)) == want else 0
        partial = positional_match(completion, want) if ok else 0
        return make_reward(ok, completion == want, {'partial': partial, 'permutation': permutation})
    return Task('sorting', arms, 12, sample, score)


LOWERCASE = re.compile(r'[a-z]+')
LETTERS = 'abcdefghijklmnopqrstuvwxyz'


def _reversal():
    arms = {f'len{n}': n for n in (3, 5, 8, 12)}

    def sample(length, rng):
        text = ''.join(rng.pick(LETTERS) for _ in range(length))
        return {'prompt': f'rev {text}=', 'answer': text[::-1]}
    return Task('reversal', arms, 12, sample,
                lambda p, c: score_exact(c, p['answer'], fmt=LOWERCASE, partial=positional_match))


BIT = re.compile(r'[01]')


def _parity():
    arms = {f'len{n}': n for n in (6, 10, 14, 18)}

    def sample(length, rng):
        bits = ''.join('1' if rng.next_int(0, 1) else '0' for _ in range(length))
        return {'prompt': f'par {bits}=', 'answer': str(bits.count('1') % 2)}
    return Task('parity', arms, 1, sample, lambda p, c: score_exact(c, p['answer'], fmt=BIT))

# ---- countdown: exact rational arithmetic, as src/tasks/countdown.ts


def _gcd(a, b):
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


def rational(n, d=1):
    if d < 0:
        n, d = -n, -d
    g = _gcd(n, d) or 1
    return (n // g, d // g)


def apply_op(op, a, b):
    if op == '+':
        return rational(a[0] * b[1] + b[0] * a[1], a[1] * b[1])
    if op == '-':
        return rational(a[0] * b[1] - b[0] * a[1], a[1] * b[1])
    if op == '*':
        return rational(a[0] * b[0], a[1] * b[1])
    return None if b[0] == 0 else rational(a[0] * b[1], a[1] * b[0])


class ParseError(Exception):
    pass


COUNTDOWN_MAX_DEPTH = 16


def parse_countdown_expression(src):
    """sum := prod (('+'|'-') prod)*; prod := atom (('*'|'/') atom)*; atom := number | '(' sum ')'."""
    state = {'i': 0, 'depth': 0, 'div_by_zero': False}
    numbers = []

    def at():
        return src[state['i']] if state['i'] < len(src) else None

    def combine(op, a, b):
        result = apply_op(op, a, b)
        if result is None:
            state['div_by_zero'] = True
            return rational(0)
        return result

    def parse_sum():
        left = parse_prod()
        while at() in ('+', '-'):
            op = at()
            state['i'] += 1
            left = combine(op, left, parse_prod())
        return left

    def parse_prod():
        left = parse_atom()
        while at() in ('*', '/'):
            op = at()
            state['i'] += 1
            left = combine(op, left, parse_atom())
        return left

    def parse_atom():
        if at() == '(':
            state['depth'] += 1
            if state['depth'] > COUNTDOWN_MAX_DEPTH:
                raise ParseError('brackets nested too deeply')
            state['i'] += 1
            inner = parse_sum()
            if at() != ')':
                raise ParseError('expected )')
            state['i'] += 1
            state['depth'] -= 1
            return inner
        start = state['i']
        while state['i'] < len(src) and '0' <= src[state['i']] <= '9':
            state['i'] += 1
        if state['i'] == start:
            raise ParseError('expected a number')
        digits = src[start:state['i']]
        if len(digits) > 1 and digits[0] == '0':
            raise ParseError('number with a leading zero')
        numbers.append(int(digits))
        return rational(int(digits))

    value = parse_sum()
    if state['i'] != len(src):
        raise ParseError('unexpected character')
    return (None if state['div_by_zero'] else value), numbers


def overuse(used, given):
    left = {}
    for n in given:
        left[n] = left.get(n, 0) + 1
    for n in used:
        k = left.get(n, 0)
        if k == 0:
            return n
        left[n] = k - 1
    return None


COUNTDOWN_PROMPT = re.compile(r'([1-9][0-9]?(?:,[1-9][0-9]?){1,4})>([1-9][0-9]{0,2})=')
# JavaScript's String.prototype.trim removes WhiteSpace and LineTerminator code points (ECMA-262).
JS_WHITESPACE = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' \
                '\u2028\u2029\u202f\u205f\u3000\ufeff'


def score_countdown(prompt, completion):
    m = COUNTDOWN_PROMPT.fullmatch(prompt)
    if not m:
        return zero_reward()
    given = [int(x) for x in m.group(1).split(',')]
    target = int(m.group(2))
    if len(completion.strip(JS_WHITESPACE)) == 0:
        return zero_reward()
    try:
        value, used = parse_countdown_expression(completion)
    except ParseError:
        return zero_reward()
    if overuse(used, given) is not None:
        return zero_reward()
    if value is None:
        return make_reward(True, False, {'partial': 0})
    n, d = value
    correct = d == 1 and n == target
    partial = max(0, 1 - abs(n / d - target) / target)
    return make_reward(True, correct, {'partial': partial})


COUNTDOWN_ARMS = {
    'n3-use2': dict(count=3, min_use=2, max_use=2, max_number=9, max_target=99, ops=['+', '-', '*']),
    'n3': dict(count=3, min_use=3, max_use=3, max_number=9, max_target=99, ops=['+', '-', '*']),
    'n4': dict(count=4, min_use=3, max_use=4, max_number=12, max_target=199, ops=['+', '-', '*', '/']),
}


def _join(op, a, b, value):
    """A node is (value, text, precedence); printed with the fewest brackets, as the lab prints it."""
    def wrap(node, when):
        return f'({node[1]})' if when else node[1]
    if op == '+':
        return (value, f'{a[1]}+{b[1]}', 1)
    if op == '-':
        return (value, f'{a[1]}-{wrap(b, b[2] == 1)}', 1)
    if op == '*':
        return (value, f'{wrap(a, a[2] == 1)}*{wrap(b, b[2] == 1)}', 2)
    return (value, f'{wrap(a, a[2] == 1)}/{wrap(b, b[2] <= 2)}', 2)


def _leaf(n):
    return (rational(n), str(n), 3)


def reachable_with_two(numbers, target):
    for i in range(len(numbers)):
        for j in range(len(numbers)):
            if i == j:
                continue
            for op in ('+', '-', '*', '/'):
                v = apply_op(op, rational(numbers[i]), rational(numbers[j]))
                if v is not None and v[1] == 1 and v[0] == target:
                    return True
    return False


def _sample_reference(arm, numbers, rng):
    pool = [_leaf(n) for n in rng.shuffle(numbers)[:rng.next_int(arm['min_use'], arm['max_use'])]]
    while len(pool) > 1:
        shuffled = rng.shuffle(pool)
        a, b, rest = shuffled[0], shuffled[1], shuffled[2:]
        op = rng.pick(arm['ops'])
        value = apply_op(op, a[0], b[0])
        if value is None or value[1] != 1 or value[0] <= 0 or (op == '/' and b[0][0] == 1):
            return None
        pool = rest + [_join(op, a, b, value)]
    return pool[0]


def _countdown():
    def sample(arm, rng):
        while True:
            numbers = [rng.next_int(1, arm['max_number']) for _ in range(arm['count'])]
            reference = _sample_reference(arm, numbers, rng)
            if reference is None:
                continue
            target = reference[0][0]
            if target > arm['max_target'] or target in numbers:
                continue
            if arm['min_use'] > 2 and reachable_with_two(numbers, target):
                continue
            return {'prompt': f'{",".join(map(str, numbers))}>{target}=', 'answer': reference[1],
                    'meta': {'numbers': numbers, 'target': target}}
    return Task('countdown', COUNTDOWN_ARMS, 20, sample, lambda p, c: score_countdown(p['prompt'], c))

# ---- program output


PROGRAM_MAX_PROMPT = 24
PROGRAM_MAX_ANSWER = 999


def _operand(rng, op, variables):
    if op in ('/', '%'):
        return str(rng.next_int(2, 9))
    return rng.pick(variables) if rng.next_float() < 0.3 and variables else str(rng.next_int(0, 9))


def _program_source(shape, rng):
    x, y = rng.shuffle(list(LETTERS))[:2]
    ops = ['+', '-', '*'] if shape == 'one' else ['+', '-', '*', '/', '%']

    def binary(left, variables):
        op = rng.pick(ops)
        return f'{left}{op}{_operand(rng, op, variables)}'
    if shape == 'one':
        return f'{x}={rng.next_int(0, 9)};{binary(x, [x])}'
    if shape == 'two':
        first = rng.next_int(0, 9)
        second = binary(x, [x])
        return f'{x}={first};{y}={second};{binary(y, [x, y])}'
    if shape == 'cond':
        cmp = rng.pick(['<', '>', '=='])
        v0 = rng.next_int(0, 9)
        v1 = rng.next_int(0, 9)
        then = binary(x, [x])
        other = rng.next_int(0, 9)
        return f'{x}={v0};{y}={x}{cmp}{v1}?{then}:{other};{binary(y, [x, y])}'
    op = rng.pick(['+', '-', '*'])
    step = rng.next_int(2, 3) if op == '*' else rng.next_int(1, 9)
    tail = x if rng.next_float() < 0.5 else binary(x, [x])
    start = rng.next_int(0, 9)
    count = rng.next_int(2, 4)
    return f'{x}={start};rep {count}{{{x}={x}{op}{step}}};{tail}'


PROGRAM_INTEGER = re.compile(r'(0|-?[1-9][0-9]*)')


def _program():
    arms = {'p1': 'one', 'p2': 'two', 'p3': 'cond', 'p4': 'loop'}

    def sample(shape, rng):
        while True:
            source = _program_source(shape, rng)
            if len(source) + 1 > PROGRAM_MAX_PROMPT:
                continue
            result = run_program(source)
            if not result['ok'] or abs(result['value']) > PROGRAM_MAX_ANSWER:
                continue
            return {'prompt': f'{source}=', 'answer': str(result['value']), 'meta': {'steps': result['steps']}}

    def score(problem, completion):
        ok = PROGRAM_INTEGER.fullmatch(completion) is not None
        prompt = problem['prompt']
        result = run_program(prompt[:-1] if prompt.endswith('=') else prompt)
        if not result['ok']:
            return make_reward(ok, False)
        return make_reward(ok, completion == str(result['value']))
    return Task('program', arms, 7, sample, score)


TASKS = {t.id: t for t in (_addition(), _multiplication(), _modular(), _sorting(), _reversal(), _parity(), _countdown(), _program())}


def get_task(task_id):
    if task_id not in TASKS:
        raise ValueError(f'unknown task {task_id!r} (tasks: {", ".join(TASKS)})')
    return TASKS[task_id]
