"""Vectorised evaluation of conditions (``{input, op, param|value}``, ``all_of``, ``any_of``, ``not``).

Three-valued (Kleene) logic: a comparison with a missing value (NaN, or
``""`` for a code) is *unknown*; ``all_of`` is false as soon as one part is
false, ``any_of`` true as soon as one part is true.  :func:`evaluate_condition`
gives where a condition is certainly true; :func:`condition_state` also gives
where it is unknown, so evaluators can name the missing inputs that keep
them from deciding (:func:`missing_inputs`).
"""

from __future__ import annotations

import numpy as np

from roadcarbon.rules.columns import DERIVED_FROM
from roadcarbon.rules.context import Context
from roadcarbon.rules.schema import AllOf, AnyOf, Compare, Condition, Not, Op
from roadcarbon.types import BoolArray


def describe_condition(cond: Condition) -> str:
    """A short readable form, e.g. ``co2_g_per_km le threshold_co2``."""
    if isinstance(cond, Compare):
        operand = cond.param if cond.param is not None else (cond.value or "")
        return f"{cond.input} {cond.op.value} {operand}".strip()
    if isinstance(cond, AllOf):
        return "(" + " and ".join(describe_condition(c) for c in cond.all_of) + ")"
    if isinstance(cond, AnyOf):
        return "(" + " or ".join(describe_condition(c) for c in cond.any_of) + ")"
    return "not " + describe_condition(cond.not_)


def evaluate_condition(cond: Condition, ctx: Context) -> BoolArray:
    """Where a condition certainly holds, shape ``(n_vehicles,)``."""
    return condition_state(cond, ctx)[0]


def condition_state(
    cond: Condition, ctx: Context, active: BoolArray | None = None
) -> tuple[BoolArray, BoolArray]:
    """``(true, unknown)`` masks of a condition, shape ``(n_vehicles,)`` each.

    With ``active``, only those vehicles' results are meaningful; when none of
    them lacks an input the condition reads, plain two-valued logic is used
    (fewer array passes).
    """
    if active is not None and not any(
        bool((ctx.missing(name) & active).any()) for name in condition_inputs(cond)
    ):
        return _boolean(cond, ctx), np.zeros(ctx.n, dtype=bool)
    if isinstance(cond, AllOf):
        true = np.ones(ctx.n, dtype=bool)
        false = np.zeros(ctx.n, dtype=bool)
        for sub in cond.all_of:
            t, u = condition_state(sub, ctx)
            true &= t
            false |= ~t & ~u
            if false.all():
                break  # short-circuit: later parts (and their parameters) cannot matter
        return true, ~true & ~false
    if isinstance(cond, AnyOf):
        true = np.zeros(ctx.n, dtype=bool)
        false = np.ones(ctx.n, dtype=bool)
        for sub in cond.any_of:
            t, u = condition_state(sub, ctx)
            true |= t
            false &= ~t & ~u
            if true.all():
                break  # short-circuit
        return true, ~true & ~false
    if isinstance(cond, Not):
        t, u = condition_state(cond.not_, ctx)
        return ~t & ~u, u
    missing = ctx.missing(cond.input)
    if cond.op in (Op.MISSING, Op.PRESENT):
        return _compare(cond, ctx), np.zeros(ctx.n, dtype=bool)
    return _compare(cond, ctx) & ~missing, missing


def _boolean(cond: Condition, ctx: Context) -> BoolArray:
    """Two-valued evaluation, valid where no input the condition reads is missing."""
    if isinstance(cond, AllOf):
        out = _boolean(cond.all_of[0], ctx)
        for sub in cond.all_of[1:]:
            if not out.any():
                break
            out = out & _boolean(sub, ctx)
        return out
    if isinstance(cond, AnyOf):
        out = _boolean(cond.any_of[0], ctx)
        for sub in cond.any_of[1:]:
            if out.all():
                break
            out = out | _boolean(sub, ctx)
        return out
    if isinstance(cond, Not):
        return ~_boolean(cond.not_, ctx)
    return _compare(cond, ctx)


def condition_inputs(cond: Condition) -> list[str]:
    """Inputs a condition reads."""
    if isinstance(cond, Compare):
        return [cond.input]
    if isinstance(cond, AllOf | AnyOf):
        parts = cond.all_of if isinstance(cond, AllOf) else cond.any_of
        return list(dict.fromkeys(name for sub in parts for name in condition_inputs(sub)))
    return condition_inputs(cond.not_)


def _presence_tested(cond: Condition) -> set[str]:
    """Inputs a condition tests with ``missing``/``present`` (their absence is handled by the rule)."""
    if isinstance(cond, Compare):
        return {cond.input} if cond.op in (Op.MISSING, Op.PRESENT) else set()
    if isinstance(cond, AllOf | AnyOf):
        parts = cond.all_of if isinstance(cond, AllOf) else cond.any_of
        return set().union(*(_presence_tested(sub) for sub in parts))
    return _presence_tested(cond.not_)


def _compared_inputs(cond: Condition) -> list[str]:
    """Inputs whose absence leaves a condition undecided (presence-tested inputs left out)."""
    handled = _presence_tested(cond)
    return [name for name in condition_inputs(cond) if name not in handled]


def missing_inputs(cond: Condition, ctx: Context, index: int) -> list[str]:
    """Inputs of a condition that vehicle ``index`` lacks (derived columns named by their spec field).

    An input the condition only tests for presence (``missing``/``present``) is not reported: its
    absence is an answer, not a gap.
    """
    return [
        f"{DERIVED_FROM[name]} (for {name})" if name in DERIVED_FROM else name
        for name in _compared_inputs(cond)
        if bool(ctx.missing(name)[index])
    ]


def _compare(cond: Compare, ctx: Context) -> BoolArray:
    """Two-valued comparison; where the input is missing the result is false except for ``ne``/``not_in``.

    Numeric comparisons with NaN are already false, and a missing code ``""``
    matches no listed code, so only ``not_in`` needs the missing mask.
    """
    if cond.op is Op.MISSING:
        return ctx.missing(cond.input)
    if cond.op is Op.PRESENT:
        return ~ctx.missing(cond.input)
    if cond.op in (Op.IN, Op.NOT_IN):
        codes = [c for c in (cond.value if cond.value is not None else ctx.codes(str(cond.param))) if c]
        inside = ctx.isin(cond.input, codes)
        return inside if cond.op is Op.IN else ~inside & ~ctx.missing(cond.input)
    assert cond.param is not None
    value = ctx.param(cond.param)
    if isinstance(value, str):
        col = ctx.text(cond.input)
        result = (col == value) if cond.op is Op.EQ else (col != value) if cond.op is Op.NE else None
        if result is None:
            raise ValueError(f"op {cond.op.value} needs a numeric parameter, {cond.param!r} is a code")
        return np.asarray(result, dtype=bool)
    threshold = ctx.number(cond.param)
    x = ctx.numeric(cond.input)
    with np.errstate(invalid="ignore"):
        if cond.op is Op.LT:
            res = x < threshold
        elif cond.op is Op.LE:
            res = x <= threshold
        elif cond.op is Op.GT:
            res = x > threshold
        elif cond.op is Op.GE:
            res = x >= threshold
        elif cond.op is Op.EQ:
            res = x == threshold
        else:
            res = x != threshold
    return np.asarray(res, dtype=bool)
