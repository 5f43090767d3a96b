"""A small, restricted expression language for rule conditions and probabilities.

Expressions such as ``invasion and resolve >= 0.35`` or ``0.9 - 0.4 * prc_threat_to_japan`` are
parsed once, at load time, into a tree of closures. Only arithmetic, comparisons, ``and``/``or``/
``not``, numbers, ``true``/``false``, known names, message fields (``us_intent.fight``) and
``min``/``max`` are accepted; nothing is ever
handed to ``eval`` or ``exec``, so a scenario cannot run code.

Names stand for what the deciding actor knows: a fact it has observed or been told reads as 1,
an unknown fact as 0, and numeric variables (``resolve``, ``survival_score``) as their value.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from sim.errors import ModelError

Knowledge = Mapping[str, float]
Fn = Callable[[Knowledge], float]

MAX_LENGTH = 500

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}
_CMPOPS = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
           ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne}
_CONSTS = {"true": 1.0, "false": 0.0, "True": 1.0, "False": 0.0}
_FUNCS = {"min": min, "max": max}
_FLOAT_MAX = 1.7976931348623157e308


class ExprError(ValueError):
    """A problem in an expression; ``offset`` is the 0-based character position, if known."""

    def __init__(self, message: str, offset: int | None = None):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Expr:
    """A parsed expression: its source text, the names it reads and its evaluator."""

    text: str
    names: frozenset[str]
    fn: Fn

    def __call__(self, knowledge: Knowledge) -> float:
        return self.fn(knowledge)


def _suggest(name: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_expr(text: str, allowed: Iterable[str]) -> Expr:
    """Parse ``text``; every name must be in ``allowed``. Raises ``ExprError``."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    allowed = frozenset(allowed)
    source = " ".join(text.split())  # YAML folded strings may carry newlines
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"bad syntax in expression {text!r}: {exc.msg}",
                        (exc.offset or 1) - 1) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError(f"expression {text!r} is too deeply nested or malformed") from None
    names: set[str] = set()
    try:
        fn = _compile(tree.body, allowed, names, source)
        _fold_check(tree.body, source)
    except RecursionError:
        raise ExprError(f"expression {text!r} is too deeply nested") from None
    return Expr(text=text, names=frozenset(names), fn=fn)


def _not_nan(x: float, part: str, src: str) -> float:
    """NaN (inf - inf, 0 * inf) is an error where it would decide something, as it is in a
    probability: a comparison with it is always false and a test of it always true.

    Arithmetic lets it through, so a probability expression's caller still sees the NaN and
    names the rule; comparisons, and/or/not and min/max refuse it."""
    if x != x:
        raise ModelError(f"expression {src!r} gave NaN (not a number) at {part!r}")
    return x


def _nan_fold(fn: Fn) -> Fn:
    """For the load-time check: arithmetic that refuses NaN too."""
    def checked(k: Knowledge) -> float:
        x = fn(k)
        if x != x:
            raise ModelError("NaN")
        return x
    return checked


def _fold_check(node: ast.AST, src: str) -> None:
    """Refuse at load time a part without names that already gives NaN (e.g. ``1/0 * 0``)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.BinOp) and not any(isinstance(n, ast.Name) and n.id not in
                                                  _CONSTS for n in ast.walk(sub)):
            try:
                _nan_fold(_compile(sub, frozenset(), set(), src))({})
            except ModelError:
                raise ExprError(f"{ast.get_source_segment(src, sub)!r} is NaN (not a number) "
                                f"in expression {src!r}", sub.col_offset) from None
            except OverflowError:
                raise ExprError(f"{ast.get_source_segment(src, sub)!r} overflows in "
                                f"expression {src!r}", sub.col_offset) from None


def _checked(node: ast.AST, allowed: frozenset[str], names: set[str], src: str) -> Fn:
    """``node`` compiled so that a NaN from it raises (an operand of a comparison or min/max)."""
    fn = _compile(node, allowed, names, src)
    if not isinstance(node, ast.BinOp):  # only arithmetic makes NaN
        return fn
    part = ast.get_source_segment(src, node) or src

    def checked(k: Knowledge) -> float:
        x = fn(k)
        if x != x:
            _not_nan(x, part, src)
        return x
    return checked


def _truth(node: ast.AST, allowed: frozenset[str], names: set[str], src: str) -> Fn:
    """``node`` as an operand of and/or/not, where NaN would read as true."""
    return _checked(node, allowed, names, src)


def _constant(node: ast.AST) -> float | None:
    """The value of a constant leaf (a number or true/false), else None: the closures below
    take such an operand as a plain float instead of a call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float)):
        v = node.value
        if isinstance(v, bool):
            return 1.0 if v else 0.0
        if (isinstance(v, int) and abs(v) > _FLOAT_MAX) or not math.isfinite(v):
            return None  # _compile words the error
        return float(v)
    if isinstance(node, ast.Name) and node.id in _CONSTS:
        return _CONSTS[node.id]
    return None


def _variable(node: ast.AST) -> str | None:
    """The name a leaf reads (``costs``, ``us_intent.posture``), else None: the closures below
    read such an operand with ``k.get`` in their own body instead of calling the name's closure
    (one Python call fewer per leaf, the same value)."""
    if isinstance(node, ast.Name) and node.id not in _CONSTS:
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _binop(op, left: Fn, right: Fn, lc: float | None, rc: float | None,
           ln: str | None = None, rn: str | None = None) -> Fn:
    """``left op right`` (+, -, *) as one closure; a constant side is a captured float, so
    ``0.01 * power_shortfall`` is one call, not three (``ln``/``rn``: the name a side reads,
    read in the same body). Same floating-point operations, in the same order, as
    ``op(left(k), right(k))``."""
    if lc is not None and rn is not None:
        if op is operator.add:
            return lambda k: lc + k.get(rn, 0.0)
        if op is operator.sub:
            return lambda k: lc - k.get(rn, 0.0)
        return lambda k: lc * k.get(rn, 0.0)
    if ln is not None and rc is not None:
        if op is operator.add:
            return lambda k: k.get(ln, 0.0) + rc
        if op is operator.sub:
            return lambda k: k.get(ln, 0.0) - rc
        return lambda k: k.get(ln, 0.0) * rc
    if ln is not None:  # 'deterrence_us * (us_posture_seen >= 1)': the name read here
        if op is operator.add:
            return lambda k: k.get(ln, 0.0) + right(k)
        if op is operator.sub:
            return lambda k: k.get(ln, 0.0) - right(k)
        return lambda k: k.get(ln, 0.0) * right(k)
    if rn is not None:  # '(...) * costs'
        if op is operator.add:
            return lambda k: left(k) + k.get(rn, 0.0)
        if op is operator.sub:
            return lambda k: left(k) - k.get(rn, 0.0)
        return lambda k: left(k) * k.get(rn, 0.0)
    if op is operator.add:
        if lc is not None:
            return lambda k: lc + right(k)
        if rc is not None:
            return lambda k: left(k) + rc
        return lambda k: left(k) + right(k)
    if op is operator.sub:
        if lc is not None:
            return lambda k: lc - right(k)
        if rc is not None:
            return lambda k: left(k) - rc
        return lambda k: left(k) - right(k)
    if lc is not None:
        return lambda k: lc * right(k)
    if rc is not None:
        return lambda k: left(k) * rc
    return lambda k: left(k) * right(k)


def _compare1(op, first: Fn, second: Fn, rc: float | None, ln: str | None = None) -> Fn:
    """A comparison with one operator (``days >= 60``) as one closure, 1.0 or 0.0 (``ln``: the
    name the left side reads, read in the same body when the right side is a constant)."""
    if rc is not None and ln is not None:
        if op is operator.ge:
            return lambda k: 1.0 if k.get(ln, 0.0) >= rc else 0.0
        if op is operator.gt:
            return lambda k: 1.0 if k.get(ln, 0.0) > rc else 0.0
        if op is operator.le:
            return lambda k: 1.0 if k.get(ln, 0.0) <= rc else 0.0
        if op is operator.lt:
            return lambda k: 1.0 if k.get(ln, 0.0) < rc else 0.0
    if rc is not None:
        if op is operator.ge:
            return lambda k: 1.0 if first(k) >= rc else 0.0
        if op is operator.gt:
            return lambda k: 1.0 if first(k) > rc else 0.0
        if op is operator.le:
            return lambda k: 1.0 if first(k) <= rc else 0.0
        if op is operator.lt:
            return lambda k: 1.0 if first(k) < rc else 0.0
        return lambda k: 1.0 if op(first(k), rc) else 0.0
    return lambda k: 1.0 if op(first(k), second(k)) else 0.0


def _literals(is_and: bool, pos: tuple, neg: tuple) -> Fn:
    """``and``/``or`` of facts (``pos``) and negated facts (``neg``) as one closure, 1.0 or 0.0;
    the commonest shapes of a rule's condition written out, the rest as loops."""
    if is_and:
        if len(pos) == 1 and len(neg) == 1:
            (a,), (b,) = pos, neg
            return lambda k: 1.0 if k.get(a, 0.0) and not k.get(b, 0.0) else 0.0
        if len(pos) == 2 and not neg:
            a, b = pos
            return lambda k: 1.0 if k.get(a, 0.0) and k.get(b, 0.0) else 0.0

        def all_facts(k: Knowledge) -> float:
            for f in pos:
                if not k.get(f, 0.0):
                    return 0.0
            for f in neg:
                if k.get(f, 0.0):
                    return 0.0
            return 1.0
        return all_facts
    if len(pos) == 2 and not neg:
        a, b = pos
        return lambda k: 1.0 if k.get(a, 0.0) or k.get(b, 0.0) else 0.0

    def any_fact(k: Knowledge) -> float:
        for f in pos:
            if k.get(f, 0.0):
                return 1.0
        for f in neg:
            if not k.get(f, 0.0):
                return 1.0
        return 0.0
    return any_fact


def _compile(node: ast.AST, allowed: frozenset[str], names: set[str], src: str) -> Fn:
    where = getattr(node, "col_offset", None)
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            value = 1.0 if v else 0.0
            return lambda k: value
        if isinstance(v, int) and abs(v) > _FLOAT_MAX:  # compared exactly, no float overflow
            raise ExprError(f"number too large in expression ({len(str(abs(v)))} digits)",
                            where)
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ExprError(f"only finite numbers are allowed as constants, not {v!r}", where)
        value = float(v)
        return lambda k: value
    if isinstance(node, ast.Name):
        name = node.id
        if name in _CONSTS:
            value = _CONSTS[name]
            return lambda k: value
        if name not in allowed:
            raise ExprError(f"unknown name {name!r} in expression {src!r}"
                            f"{_suggest(name, allowed)}", where)
        names.add(name)
        return lambda k: k.get(name, 0.0)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        # a field of a message: 'us_intent.fight' reads what the last such message said
        name = f"{node.value.id}.{node.attr}"
        if name not in allowed:
            raise ExprError(f"unknown message field {name!r} in expression {src!r}"
                            f"{_suggest(name, allowed)}", where)
        names.add(name)
        return lambda k: k.get(name, 0.0)
    if isinstance(node, ast.BoolOp):
        is_and = isinstance(node.op, ast.And)
        # Literals (a fact, or 'not' a fact) only: 'quarantine_enforced and not blockade_lifted',
        # 'invasion or strikes_on_taiwan or island_seized'. Reading a fact can neither fail nor
        # change anything, so the facts are read in one body and in any order: the same answer
        # as reading them in order and stopping at the first that decides.
        pos, neg = [], []
        for v in node.values:
            if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.Not):
                inner = v.operand
                bucket = neg
            else:
                inner, bucket = v, pos
            if not (isinstance(inner, ast.Name) and inner.id not in _CONSTS):
                break
            _compile(inner, allowed, names, src)  # checks the name, records it
            bucket.append(inner.id)
        else:
            return _literals(is_and, tuple(pos), tuple(neg))
        # Otherwise each part in order, stopping at the first that decides; a part that is a
        # fact is read in the same body (no call), the others are called.
        parts = [(_variable(v), _truth(v, allowed, names, src)) for v in node.values]
        if len(parts) == 2:  # the common case, without a loop
            (an, a), (bn, b) = parts
            if an is not None:
                if is_and:
                    return lambda k: 1.0 if k.get(an, 0.0) and b(k) else 0.0
                return lambda k: 1.0 if k.get(an, 0.0) or b(k) else 0.0
            if bn is not None:
                if is_and:
                    return lambda k: 1.0 if a(k) and k.get(bn, 0.0) else 0.0
                return lambda k: 1.0 if a(k) or k.get(bn, 0.0) else 0.0
            if is_and:
                return lambda k: 1.0 if a(k) and b(k) else 0.0
            return lambda k: 1.0 if a(k) or b(k) else 0.0
        steps = tuple(parts)
        if is_and:
            def all_parts(k: Knowledge) -> float:
                for n, f in steps:
                    if not (f(k) if n is None else k.get(n, 0.0)):
                        return 0.0
                return 1.0
            return all_parts

        def any_part(k: Knowledge) -> float:
            for n, f in steps:
                if f(k) if n is None else k.get(n, 0.0):
                    return 1.0
            return 0.0
        return any_part
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            truth = _truth(node.operand, allowed, names, src)
            return lambda k: 0.0 if truth(k) else 1.0
        inner = _compile(node.operand, allowed, names, src)
        if isinstance(node.op, ast.USub):
            return lambda k: -inner(k)
        if isinstance(node.op, ast.UAdd):
            return inner
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op = _BINOPS[type(node.op)]
        left = _compile(node.left, allowed, names, src)
        right = _compile(node.right, allowed, names, src)
        if op is operator.truediv:
            rc = _constant(node.right)
            if rc:  # a nonzero constant divisor: 'days / 60'
                ln = _variable(node.left)
                if ln is not None:
                    return lambda k: k.get(ln, 0.0) / rc
                return lambda k: left(k) / rc

            def div(k: Knowledge) -> float:
                d, n = right(k), left(k)
                if d:
                    return n / d
                return math.copysign(math.inf, n) if n else 0.0  # x/0 is +-inf, 0/0 is 0
            return div
        return _binop(op, left, right, _constant(node.left), _constant(node.right),
                      _variable(node.left), _variable(node.right))
    if isinstance(node, ast.Compare):
        first = _checked(node.left, allowed, names, src)
        ops = [_CMPOPS.get(type(o)) for o in node.ops]
        if None in ops:
            raise ExprError("only <, <=, >, >=, ==, != comparisons are allowed", where)
        rest = [_checked(c, allowed, names, src) for c in node.comparators]
        if len(ops) == 1:
            return _compare1(ops[0], first, rest[0], _constant(node.comparators[0]),
                             _variable(node.left))
        pairs = list(zip(ops, rest))

        def compare(k: Knowledge) -> float:
            a = first(k)
            for op, f in pairs:
                b = f(k)
                if not op(a, b):
                    return 0.0
                a = b
            return 1.0
        return compare
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS and not node.keywords and len(node.args) >= 2):
        func = _FUNCS[node.func.id]
        args = [_checked(a, allowed, names, src) for a in node.args]
        if len(args) == 2:  # the common case, without a generator; same ties as func(gen)
            a, b = args
            ac, an = _constant(node.args[0]), _variable(node.args[0])
            if ac is not None and isinstance(node.args[1], ast.BinOp):
                # 'max(0, 1 - days / 60)': the constant captured, the arithmetic's NaN check
                # (_checked) done here rather than in a closure of its own
                raw = _compile(node.args[1], allowed, names, src)
                part = ast.get_source_segment(src, node.args[1]) or src

                def const_and_arithmetic(k: Knowledge) -> float:
                    x = raw(k)
                    if x != x:
                        _not_nan(x, part, src)
                    return float(func(ac, x))
                return const_and_arithmetic
            if ac is not None:
                return lambda k: float(func(ac, b(k)))
            if an is not None:  # 'max(help_expected, ...)': the name read here
                return lambda k: float(func(k.get(an, 0.0), b(k)))
            return lambda k: float(func(a(k), b(k)))
        return lambda k: float(func(a(k) for a in args))
    raise ExprError(f"{type(node).__name__} is not allowed in expressions "
                    f"(use names, numbers, + - * /, comparisons, and/or/not, min/max)", where)
