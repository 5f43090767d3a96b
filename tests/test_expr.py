"""The rule-condition language: what it computes, what it refuses, and how it says so."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.expr import MAX_LENGTH, Expr, ExprError, parse_expr

NAMES = ("invasion", "resolve", "survival_score", "survival_threshold", "a", "b", "c")


def value(text: str, **knowledge: float) -> float:
    return parse_expr(text, NAMES)(knowledge)


def refused(text: str, allowed=NAMES) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse_expr(text, allowed)
    return info.value


# --- what it computes -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7.0),
    ("(1 + 2) * 3", 9.0),
    ("10 - 4 - 3", 3.0),
    ("1 / 4", 0.25),
    ("-2 + +3", 1.0),
    ("0.9 - 0.4 * 1", 0.5),
    ("2.5e-1", 0.25),
])
def test_arithmetic(text, expected):
    assert value(text) == pytest.approx(expected)


def test_names_read_knowledge_and_unknown_facts_read_as_zero():
    assert value("0.5 + 0.5 * resolve", resolve=0.6) == pytest.approx(0.8)
    assert value("0.5 + 0.5 * resolve") == pytest.approx(0.5)  # not known yet: 0
    assert value("invasion", invasion=1.0) == 1.0
    assert value("invasion") == 0.0


@pytest.mark.parametrize("text, expected", [
    ("1 < 2", 1.0), ("2 < 1", 0.0), ("2 <= 2", 1.0), ("3 > 2", 1.0), ("2 >= 3", 0.0),
    ("2 == 2", 1.0), ("2 != 2", 0.0),
    # chained comparisons mean what they mean in Python: 1 < 2 and 2 < 3
    ("1 < 2 < 3", 1.0), ("1 < 3 < 2", 0.0), ("3 > 2 > 1 >= 1", 1.0), ("1 < 2 > 3", 0.0),
])
def test_comparisons(text, expected):
    assert value(text) == expected


def test_chained_comparison_over_names():
    assert value("0 <= resolve < 0.5", resolve=0.3) == 1.0
    assert value("0 <= resolve < 0.5", resolve=0.5) == 0.0
    assert value("survival_score >= survival_threshold", survival_score=1.2,
                 survival_threshold=1.1) == 1.0


@pytest.mark.parametrize("text, expected", [
    ("a and b", 0.0), ("a or b", 1.0), ("not a", 0.0), ("not b", 1.0),
    ("a and not b", 1.0), ("not a or b", 0.0),
    ("b or a and b", 0.0),  # and binds tighter than or
    ("(b or a) and a", 1.0),
])
def test_and_or_not(text, expected):
    assert value(text, a=1.0, b=0.0) == expected


def test_boolean_results_are_zero_or_one_even_over_numbers():
    assert value("resolve and 3", resolve=0.2) == 1.0
    assert value("resolve or 0", resolve=0.2) == 1.0
    assert value("not resolve", resolve=0.2) == 0.0


def test_true_and_false():
    assert value("true") == 1.0
    assert value("false") == 0.0
    assert value("a and true", a=1.0) == 1.0
    assert value("a or false") == 0.0


def test_capitalised_true_and_false_are_accepted_as_the_constants_table_says():
    assert value("True") == 1.0
    assert value("False") == 0.0


def test_min_and_max():
    assert value("min(1, 2)") == 1.0
    assert value("max(1, 2, 3)") == 3.0
    assert value("max(0, 0.9 - 0.6 * a - 0.5 * b)", a=1.0, b=1.0) == 0.0
    assert value("min(1, max(0, resolve * 2))", resolve=0.3) == pytest.approx(0.6)


def test_names_lists_only_what_is_read():
    e = parse_expr("invasion and resolve >= 0.35 or true", NAMES)
    assert isinstance(e, Expr)
    assert e.names == frozenset({"invasion", "resolve"})
    assert e.text == "invasion and resolve >= 0.35 or true"


def test_newlines_from_folded_yaml_are_spaces():
    assert value("a or\n  b", b=1.0) == 1.0


# --- what it refuses --------------------------------------------------------------------------

def test_unknown_name_suggests_the_nearest_known_one():
    err = refused("invasoin and resolve > 0.5")
    assert "unknown name 'invasoin'" in str(err)
    assert "did you mean 'invasion'?" in str(err)
    assert err.offset == 0


def test_unknown_name_offset_points_at_the_name():
    err = refused("resolve > 0.5 and survival_scor > 1")
    assert "did you mean 'survival_score'?" in str(err)
    assert err.offset == len("resolve > 0.5 and ")


def test_unknown_name_without_a_close_match_has_no_suggestion():
    err = refused("zzzzqqq")
    assert "unknown name 'zzzzqqq'" in str(err)
    assert "did you mean" not in str(err)


@pytest.mark.parametrize("text", [
    "a.__class__",                        # attribute access
    "().__class__.__bases__",
    "abs(a)",                             # calls other than min/max
    "open('x')",
    "a(1)",
    "min(a)",                             # min/max need two or more arguments
    "min(a, b, key=c)",
    "max(x for x in a)",
    "a[0]",                               # subscripts
    "lambda: 1",
    "(lambda x: x)(1)",
    "f'{a}'",                             # f-strings
    "__import__('os').system('true')",
    "a if b else c",                      # ternary
    "'text'",                             # strings
    "b'bytes'",
    "a == 'x'",
    "[x for x in a]",                     # comprehensions
    "{x: 1 for x in a}",
    "[a, b]",
    "(a, b)",
    "{a}",
    "a ** 2",                             # no power: 9**9**9 would hang the loader
    "a // 2",
    "a % 2",
    "a & b",
    "~a",
    "a in b",                             # only arithmetic comparisons
    "a is b",
    "(a := 1)",
    "None",
    "1e999",                              # not finite
    "...",
])
def test_rejected_constructs(text):
    refused(text)


def test_dunder_import_is_an_unknown_name():
    err = refused("__import__")
    assert "unknown name '__import__'" in str(err)


def test_rejection_message_names_the_construct_and_what_is_allowed():
    # 'message.field' reads a message's field (if the scenario defines it); deeper is refused
    assert "unknown message field 'a.b'" in str(refused("a.b"))
    err = refused("a.b.c")
    assert "Attribute is not allowed" in str(err)
    assert "min/max" in str(err)
    assert "only <, <=, >, >=, ==, != comparisons" in str(refused("a in b"))
    assert "finite numbers" in str(refused("'x'"))


@pytest.mark.parametrize("text", ["", "   ", "a +", "a b", "(a", "a; b", "import os", "a = 1"])
def test_empty_or_bad_syntax(text):
    refused(text)


def test_over_long_input_is_rejected_before_parsing():
    at_limit = "1" + " + 1" * ((MAX_LENGTH - 1) // 4)
    assert len(at_limit) <= MAX_LENGTH
    assert value(at_limit) == 1 + (MAX_LENGTH - 1) // 4
    too_long = "a" * (MAX_LENGTH + 1)  # not even a known name: length is checked first
    err = refused(too_long)
    assert f"longer than {MAX_LENGTH}" in str(err)


def test_deep_nesting_is_an_expr_error_or_evaluates_but_never_crashes():
    assert "nested" in str(refused("(" * 240 + "a" + ")" * 240))
    assert value("-" * 499 + "a", a=1.0) == -1.0  # as deep as MAX_LENGTH allows
    assert value("not " * 124 + "a", a=1.0) == 1.0


# --- property: and/or/not agree with Python's own boolean logic -------------------------------

LEAVES = ("a", "b", "c", "true", "false")
_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "leaf": 4}

formulas = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.one_of(
        st.tuples(st.just("not"), inner),
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
    ),
    max_leaves=12,
)
knowledge = st.dictionaries(st.sampled_from(["a", "b", "c"]), st.booleans())


def truth(formula, known: dict[str, bool]) -> bool:
    """Reference semantics: a fact not in ``known`` is false."""
    if isinstance(formula, str):
        return {"true": True, "false": False}.get(formula, known.get(formula, False))
    if formula[0] == "not":
        return not truth(formula[1], known)
    left, right = truth(formula[1], known), truth(formula[2], known)
    return (left and right) if formula[0] == "and" else (left or right)


def render_full(formula) -> str:
    """Every compound sub-formula in parentheses."""
    if isinstance(formula, str):
        return formula
    if formula[0] == "not":
        return f"(not {render_full(formula[1])})"
    return f"({render_full(formula[1])} {formula[0]} {render_full(formula[2])})"


def _kind(formula) -> str:
    return "leaf" if isinstance(formula, str) else formula[0]


def render_min(formula) -> str:
    """Parentheses only where precedence (not > and > or) needs them."""
    if isinstance(formula, str):
        return formula
    op = formula[0]

    def child(f, strict: bool) -> str:
        text = render_min(f)
        p, q = _PRECEDENCE[_kind(f)], _PRECEDENCE[op]
        return f"({text})" if p < q or (strict and p == q) else text

    if op == "not":
        return f"not {child(formula[1], strict=False)}"
    # the right operand is parenthesised at equal precedence so the tree shape is kept exactly
    return f"{child(formula[1], strict=False)} {op} {child(formula[2], strict=True)}"


@settings(max_examples=300, deadline=None)
@given(formula=formulas, known=knowledge)
def test_boolean_formulas_match_reference(formula, known):
    expected = 1.0 if truth(formula, known) else 0.0
    facts = {name: 1.0 if v else 0.0 for name, v in known.items()}
    for text in (render_full(formula), render_min(formula)):
        got = parse_expr(text, ["a", "b", "c"])(facts)
        assert got == expected, text



NUMERIC_LEAVES = ("a", "b", "c", "m.f", "0.5", "2", "3", "0")
numeric = st.recursive(
    st.sampled_from(NUMERIC_LEAVES),
    lambda inner: st.tuples(st.sampled_from(["+", "-", "*", "min", "max", ">=", "<"]),
                            inner, inner),
    max_leaves=10,
)
values = st.dictionaries(st.sampled_from(["a", "b", "c", "m.f"]),  # finite: no inf, so no NaN
                         st.sampled_from([0.0, -0.0, 1.0, -1.5, 0.25, 3.0, 1e10]))


def number(formula, known: dict[str, float]) -> float:
    """Reference semantics with Python's own operators, in the same order (so the same bits):
    an unknown name is 0."""
    if isinstance(formula, str):
        return known.get(formula, 0.0) if formula[0].isalpha() else float(formula)
    op, left, right = formula[0], number(formula[1], known), number(formula[2], known)
    if op in ("min", "max"):
        return float((min if op == "min" else max)(left, right))
    if op in (">=", "<"):
        return 1.0 if (left >= right if op == ">=" else left < right) else 0.0
    return left + right if op == "+" else left - right if op == "-" else left * right


def render_number(formula) -> str:
    if isinstance(formula, str):
        return formula
    op, left, right = formula[0], render_number(formula[1]), render_number(formula[2])
    return f"{op}({left}, {right})" if op in ("min", "max") else f"({left} {op} {right})"


@settings(max_examples=400, deadline=None)
@given(formula=numeric, known=values)
def test_arithmetic_formulas_match_reference_to_the_bit(formula, known):
    # the closures read a name inside their parent (a * 0.5, 2 - b, max(0, ...)): the same
    # operations in the same order as the plain evaluation, so the same float, sign of 0 too
    expected = number(formula, known)
    got = parse_expr(render_number(formula), ["a", "b", "c", "m.f"])(known)
    assert repr(got) == repr(expected), render_number(formula)

# --- NaN and huge numbers (issue 9, items 10 and 11) ------------------------------------------

@pytest.mark.parametrize("text", ["1/0 * 0 > 1", "not (1/0 - 1/0)", "(1/0) / (1/0) < 2",
                                  "a > 0 and 0 * (1/0) == 0"])
def test_a_constant_part_that_is_nan_is_refused_at_load(text):
    err = refused(text)
    assert "is NaN (not a number)" in str(err)
    assert err.offset is not None


@pytest.mark.parametrize("text", ["a / 0 * 0 > 1", "not (a / 0 - b / 0)", "1 < a / 0 * 0",
                                  "min(a / 0 * 0, 1) < 2", "a and a / 0 * 0",
                                  "b / 0 - a / 0 or c"])
def test_nan_at_run_time_is_a_model_error_not_a_silent_decision(text):
    """A comparison with NaN is false and NaN itself is truthy: either would decide a rule."""
    from sim.errors import ModelError
    expr = parse_expr(text, NAMES)
    with pytest.raises(ModelError, match="gave NaN"):
        expr({"a": 1.0, "b": 1.0})


def test_nan_from_bare_arithmetic_reaches_the_caller():
    """A probability expression's NaN is left to the model, which names the rule."""
    result = parse_expr("0.4 + a / 0 * 0", NAMES)({"a": 1.0})
    assert result != result


def test_infinity_that_is_not_nan_still_compares():
    assert value("a / 0 > 1000", a=1.0) == 1.0


@pytest.mark.parametrize("digits", [400, 309])
def test_integer_too_large_for_a_float_is_refused(digits):
    err = refused("a > " + "9" * digits)
    assert f"number too large in expression ({digits} digits)" in str(err)


def test_nan_in_a_rule_condition_stops_the_replication_with_a_model_error():
    from sim.config.loader import load
    from sim.errors import ModelError
    from sim.model.compiled import compile_scenario
    from sim.model.replication import run_replication
    from pathlib import Path
    blockade = Path(__file__).resolve().parent.parent / "scenarios" / "blockade.yaml"
    loaded = load(blockade, ["actors.us.rules.signal.when=resolve / 0 * 0 < 1"])
    with pytest.raises(ModelError, match="gave NaN"):
        run_replication(compile_scenario(loaded.scenario), 1, 0)


def test_nan_from_a_bare_arithmetic_condition_is_a_model_error_naming_the_rule():
    """NaN is truthy: a condition with no comparison that gives NaN must not read as "holds"."""
    from pathlib import Path

    from sim.config.loader import load
    from sim.errors import ModelError
    from sim.model.compiled import compile_scenario
    from sim.model.replication import run_replication
    blockade = Path(__file__).resolve().parent.parent / "scenarios" / "blockade.yaml"
    loaded = load(blockade, ["actors.us.rules.signal.when=resolve / 0 * 0"])
    with pytest.raises(ModelError, match=r"rule signal: when expression .* gave NaN"):
        run_replication(compile_scenario(loaded.scenario), 1, 0)
