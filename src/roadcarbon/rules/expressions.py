"""Arithmetic formulas of dated parameter values (``formula:`` instead of ``value:``).

A legal text sometimes defines a number by a formula over other numbers: the EU
2021-2024 target starts from each manufacturer's WLTP reference target
``WLTP_CO2 x NEDC2020target / NEDC_CO2`` (Reg. (EU) 2019/631 Annex I Part A
point 3).  Such a value is written as a formula over names (other parameters of
the scheme and the fleet-level inputs it declares), with ``+ - * /``, unary
minus and parentheses only.  Numbers are never literal: they are parameters
(dated, referenced), as everywhere in the library.  The text is parsed with
:mod:`ast` and walked; nothing is executed.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from functools import lru_cache

from roadcarbon.errors import RuleError

_BINARY: dict[type[ast.operator], tuple[str, Callable[[float, float], float]]] = {
    ast.Add: ("+", lambda a, b: a + b),
    ast.Sub: ("-", lambda a, b: a - b),
    ast.Mult: ("x", lambda a, b: a * b),
    ast.Div: ("/", lambda a, b: a / b),
}


# Limits of a formula's text: a legal formula is a line or two; nesting deeper than
# this would only exhaust Python's recursion (parser, walk) on hostile input.
_MAX_FORMULA_CHARS = 1000
_MAX_FORMULA_DEPTH = 50


def _depth(tree: ast.AST) -> int:
    """The nesting depth of a syntax tree, walked without recursion."""
    deepest, todo = 0, [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        todo.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


@lru_cache(maxsize=256)
def parse_formula(text: str) -> ast.expr:
    """The checked syntax tree of a formula.

    Raises
    ------
    RuleError
        Anything but ASCII names, ``+ - * /``, unary minus and parentheses;
        a text longer than 1,000 characters or nested deeper than 50 levels.

    Examples
    --------
    >>> sorted(formula_names("a * b / c - d * (e - f)"))
    ['a', 'b', 'c', 'd', 'e', 'f']
    >>> parse_formula("a * 2")
    Traceback (most recent call last):
    ...
    roadcarbon.errors.RuleError: formula 'a * 2': write numbers as parameters, not literals (2)
    """
    shown = text if len(text) <= 80 else text[:77] + "..."
    if len(text) > _MAX_FORMULA_CHARS:
        raise RuleError(f"formula {shown!r}: longer than {_MAX_FORMULA_CHARS} characters")
    if not text.isascii():
        # Python folds names to NFKC ('ａ' reads 'a'): a name must be written as it is read
        raise RuleError(f"formula {shown!r}: names are ASCII (parameters and fleet inputs are)")
    try:
        tree = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise RuleError(f"formula {shown!r}: not an arithmetic expression") from None
    if _depth(tree) > _MAX_FORMULA_DEPTH:
        raise RuleError(f"formula {shown!r}: nested deeper than {_MAX_FORMULA_DEPTH} levels")
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            raise RuleError(f"formula {text!r}: write numbers as parameters, not literals ({node.value!r})")
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise RuleError(f"formula {text!r}: only + - * / are allowed")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise RuleError(f"formula {text!r}: only unary minus is allowed")
        elif not isinstance(node, ast.Name | ast.Load | ast.operator | ast.unaryop):
            raise RuleError(f"formula {text!r}: {type(node).__name__} is not allowed")
    return tree


def formula_names(text: str) -> set[str]:
    """The names a formula reads."""
    return {node.id for node in ast.walk(parse_formula(text)) if isinstance(node, ast.Name)}


def evaluate_formula(text: str, lookup: Callable[[str], float]) -> tuple[float, str]:
    """The value of a formula and its arithmetic written out with the numbers.

    Parameters
    ----------
    text
        The formula.
    lookup
        Value of a name (a parameter or a fleet-level input).

    Returns
    -------
    tuple of (float, str)
        The value, and e.g. ``"120 x 95 / 100 = 114"``.

    Examples
    --------
    >>> values = {"w": 120.0, "t": 95.0, "n": 100.0}
    >>> evaluate_formula("w * t / n", values.__getitem__)
    (114.0, '120 x 95 / 100 = 114')
    """

    def walk(node: ast.expr, parent_rank: int) -> tuple[float, str]:
        if isinstance(node, ast.Name):
            value = float(lookup(node.id))
            return value, f"{value:,.6g}"
        if isinstance(node, ast.UnaryOp):
            inner, shown = walk(node.operand, 3)
            return -inner, f"-{shown}"
        assert isinstance(node, ast.BinOp)
        symbol, op = _BINARY[type(node.op)]
        rank = 1 if symbol in "+-" else 2
        left, lshown = walk(node.left, rank)
        right, rshown = walk(node.right, rank + 1)
        if symbol == "/" and right == 0:
            raise RuleError(f"formula {text!r}: division by zero ({lshown} / {rshown})")
        value = op(left, right)
        shown = f"{lshown} {symbol} {rshown}"
        return value, f"({shown})" if rank < parent_rank else shown

    value, shown = walk(parse_formula(text), 0)
    if not math.isfinite(value):
        raise RuleError(f"formula {text!r} gives {value}")
    return value, f"{shown} = {value:,.6g}"
