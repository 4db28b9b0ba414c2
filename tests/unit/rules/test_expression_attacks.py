"""Hostile ``formula:`` texts: every one is a RuleError naming the formula, never a crash.

A formula is parsed with :mod:`ast` and walked recursively; deep nesting, long
chains and non-ASCII names (Python folds them to NFKC, so ``ａ`` would read the
parameter ``a``) must be refused when the value is read from YAML.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from roadcarbon.errors import RuleError
from roadcarbon.rules.expressions import evaluate_formula, formula_names, parse_formula
from roadcarbon.rules.parameters import DatedValue

ONES = {"a": 1.0, "b": 1.0, "c": 1.0}

HOSTILE = {
    "1000 nested parentheses": "(" * 1000 + "a" + ")" * 1000,
    "a 5,000-term chain": "+".join(["a"] * 5000),
    "a 100,000-term chain": "+".join(["a"] * 100_000),
    "900 unary minus": "-" * 900 + "a",
    "100,000 unary minus": "-" * 100_000 + "a",
    "nesting of 60 parentheses around sums": "(a + " * 60 + "a" + ")" * 60,
    "attribute access": "a.__class__",
    "call": "__import__(a)",
    "subscript": "a[b]",
    "power": "a ** b",
    "floor division": "a // b",
    "comparison": "a < b",
    "lambda": "lambda: a",
    "walrus": "(a := b)",
    "literal": "a * 2",
    "f-string": "f'{a}'",
    "empty": "",
    "NUL byte": "a\x00b",
    "fullwidth name (NFKC folds it to 'a')": "ａ + b",
    "accented name": "été * b",
    "zero-width joiner in a name": "a\u200db",
    "RTL override": "a\u202e + b",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_formula_is_a_rule_error(text: str) -> None:
    with pytest.raises(RuleError, match="formula"):
        parse_formula(text)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_formula_in_yaml_is_a_validation_error(text: str) -> None:
    """The YAML model refuses it as a validation error (an API 422 / CLI exit 2), not a RecursionError."""
    with pytest.raises(ValidationError, match="formula"):
        DatedValue.model_validate(
            {"formula": text, "reference": {"source": "eu_2019_631", "locator": "l"}, "status": "enacted"}
        )


def test_error_message_of_a_long_formula_is_short() -> None:
    with pytest.raises(RuleError) as caught:
        parse_formula("+".join(["a"] * 100_000))
    assert len(caught.value.message) < 200


def test_legal_nesting_still_parses() -> None:
    """Ten levels of parentheses (more than any legal formula) are fine, and compute."""
    text = "(a + " * 10 + "b" + ")" * 10
    assert formula_names(text) == {"a", "b"}
    assert evaluate_formula(text, ONES.__getitem__)[0] == 11.0


@pytest.mark.parametrize(
    ("text", "values", "message"),
    [
        ("a / b", {"a": 1.0, "b": 0.0}, "division by zero"),
        ("a / b", {"a": 1.0, "b": -0.0}, "division by zero"),
        ("a / b", {"a": 0.0, "b": 0.0}, "division by zero"),
        ("a * b", {"a": 1e300, "b": 1e300}, "gives inf"),
        ("-a * b", {"a": 1e300, "b": 1e300}, "gives -inf"),
        ("a - b", {"a": float("inf"), "b": float("inf")}, "gives nan"),
        ("a", {"a": float("nan")}, "gives nan"),
    ],
)
def test_arithmetic_that_leaves_the_reals_is_refused(
    text: str, values: dict[str, float], message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        evaluate_formula(text, values.__getitem__)


def test_unknown_name_is_the_lookups_error() -> None:
    """The formula does not invent a value: an unknown name raises what the lookup raises."""

    def lookup(name: str) -> float:
        if name in ONES:
            return ONES[name]
        raise RuleError(f"no parameter {name!r}", field=f"parameters.{name}")

    with pytest.raises(RuleError, match="no parameter 'zz'"):
        evaluate_formula("a * zz", lookup)
