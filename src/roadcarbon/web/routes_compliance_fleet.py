"""Fleet compliance page (issue 14 item 4): a maker's sales mix against a fleet-level scheme.

The user edits a sales mix (YAML or JSON fleet document, or CSV with a ``sales`` column, as
``roadcarbon rules evaluate-fleet`` reads them) or uploads one, chooses a scheme and a year, and
gets what the rule library answers: for fleet targets and credits (EU 2019/631, China CAFC and NEV
credits, ...) the target, the fleet average, the credit balance and the penalty; for per-vehicle
schemes (taxes, rebates, bands) the fleet totals (revenue, rebates, share per band) in the scheme's
currency and in a chosen one.  Every number comes from ``services.regulations.evaluate_fleet`` (the
CLI's and the API's document); the page only lays it out.

The fleet travels in the body of a POST (CSRF-checked like every posted form), never in the URL.
Anonymous users may evaluate: nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from roadcarbon.errors import InputError, RoadcarbonError, SpecError
from roadcarbon.web import backend, i18n, session
from roadcarbon.web.app import Page, Web, download, status_label
from roadcarbon.web.tables import Table

EXAMPLES_DIR = Path(__file__).parent / "examples"
MAX_FLEET_BYTES = 2_000_000
"""Largest sales mix read from the text box or an uploaded file [bytes] (larger: the CLI or ``batch``);
never more than the platform's request limit (``settings.max_request_bytes``) less the form's other fields."""
FORM_OVERHEAD_BYTES = 16_384
"""Room left in a request for the form's other fields and the multipart framing [bytes]."""
MAX_FLEET_LINES = 10_000
"""Most lines of a sales mix, as the API's ``evaluate-fleet`` (``MAX_FLEET_ENTRIES``)."""
SHOWN_LINES = 200
"""Lines listed on the page and drawn in the chart; the CSV has every line."""
SHOWN_VALUES = 12
"""Values of a per-line array shown in a trace step (the CSV has every line)."""
DUAL_CREDIT = "CN.dual_credit"
"""Pseudo-scheme of the form: China's CAFC (GB 27999-2019) and NEV credits on the same fleet."""
DUAL_SCHEMES = ("CN.cafc_gb27999", "CN.nev_credits")
FLEET_KINDS = ("fleet_target", "credits", "mandate")
VEHICLE_KINDS = ("band_table", "rate_scale", "formula")
EXAMPLES = {
    "eu": ("compliance_fleet_eu.yaml", 2025),
    "cn": ("compliance_fleet_cn.yaml", 2024),
    "asean": ("compliance_fleet_asean.yaml", 2024),
}
"""Bundled sales mixes (invented for illustration) and the year they open on."""
DEFAULT_SCHEME = "EU.co2_standards_cars"
DEFAULT_CURRENCY = "USD"


# --- schemes, examples ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _library_schemes() -> tuple[dict[str, Any], ...]:
    """``{id, market, title, kind, group, years}`` of every scheme a fleet can be evaluated on."""
    from roadcarbon.services import regulations

    rows = []
    for scheme in regulations.library().schemes.values():
        kind = scheme.kind.value
        if kind not in FLEET_KINDS + VEHICLE_KINDS:
            continue
        years = [
            f"{v.valid_from.year}"
            + (f"–{v.valid_to.year}" if v.valid_to and v.valid_to.year != v.valid_from.year else "")
            if v.valid_to
            else f"{v.valid_from.year}–"
            for v in scheme.versions
        ]
        rows.append(
            {
                "id": scheme.id,
                "market": scheme.market,
                "title": scheme.title,
                "kind": kind,
                "group": "fleet" if kind in FLEET_KINDS else "vehicle",
                "years": years,
                "currency": scheme.currency,
            }
        )
    rows.sort(key=lambda r: (r["group"] != "fleet", r["market"], r["id"]))
    return tuple(rows)


def _scheme_row(scheme_id: str) -> dict[str, Any] | None:
    return next((r for r in _library_schemes() if r["id"] == scheme_id), None)


def scheme_options() -> dict[str, list[tuple[str, str]]]:
    """The form's choices in two groups: fleet-level schemes (with the dual credit) and per-vehicle ones."""
    _ = i18n.gettext_
    fleet: list[tuple[str, str]] = []
    vehicle: list[tuple[str, str]] = []
    known = {r["id"] for r in _library_schemes()}
    for row in _library_schemes():
        label = f"{row['market']} · {row['title']}"
        (fleet if row["group"] == "fleet" else vehicle).append((row["id"], label))
        if row["id"] == DUAL_SCHEMES[0] and all(s in known for s in DUAL_SCHEMES):
            fleet.append((DUAL_CREDIT, "CN · " + _("China dual credit: CAFC and NEV credits together")))
    return {"fleet": fleet, "vehicle": vehicle}


def schemes_of(choice: str) -> tuple[str, ...]:
    """Scheme ids evaluated for a choice of the form (two for the dual credit)."""
    if choice == DUAL_CREDIT:
        return DUAL_SCHEMES
    if _scheme_row(choice) is None:
        raise InputError(f"unknown scheme {choice!r}; choose one of the list", field="scheme")
    return (choice,)


def example_key(choice: str) -> str:
    """Which bundled sales mix opens a scheme's form."""
    if choice == DUAL_CREDIT or choice.startswith("CN."):
        return "cn"
    row = _scheme_row(choice)
    if row is not None and row["group"] == "vehicle":
        return "asean"
    return "eu"


@lru_cache(maxsize=4)
def example_text(key: str) -> str:
    """The bundled sales mix ``key`` as the YAML a user edits."""
    return (EXAMPLES_DIR / EXAMPLES[key][0]).read_text(encoding="utf-8")


def default_year(choice: str) -> int:
    """The year a scheme's form opens on: its example's year when a version is in force then, else the
    first year of the latest version that has started."""
    year = EXAMPLES[example_key(choice)][1]
    from roadcarbon.services import regulations

    lib = regulations.library()
    ids = schemes_of(choice)
    scheme = lib.get(ids[0])
    if scheme.version_on(dt.date(year, 7, 1)) is not None:
        return year
    candidates = {y for v in scheme.versions for y in (v.valid_from.year, v.valid_from.year + 1)}
    years = sorted(y for y in candidates if scheme.version_on(dt.date(y, 7, 1)) is not None)
    this_year = dt.date.today().year
    now = [y for y in years if y <= this_year]
    return int(now[-1] if now else years[0] if years else year)


def currency_options() -> list[str]:
    """Currencies of the sourced exchange-rate table (and USD, its base)."""
    from roadcarbon.services import regulations

    rates = regulations.library().exchange_rates
    held = sorted(rates.rates) if rates is not None else []
    return ["USD", *[c for c in held if c != "USD"]]


# --- reading the sales mix ----------------------------------------------------------------------


def _looks_like_csv(text: str) -> bool:
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return "," in first and "sales" in [c.strip() for c in first.split(",")] and ":" not in first


def max_fleet_bytes(settings: Any) -> int:
    """The largest sales mix the page takes [bytes], under the platform's request limit."""
    platform_limit = getattr(settings, "max_request_bytes", None)
    if isinstance(platform_limit, int) and platform_limit > 0:
        return max(1024, min(MAX_FLEET_BYTES, platform_limit - FORM_OVERHEAD_BYTES))
    return MAX_FLEET_BYTES


def parse_fleet(
    text: str, *, field: str = "fleet", filename: str = "", max_bytes: int = MAX_FLEET_BYTES
) -> dict[str, Any]:
    """The fleet mapping of a sales mix given as YAML/JSON or CSV (``fleet_csv``); errors name ``field``."""
    from roadcarbon.io.fleet_csv import fleet_mapping_from_csv
    from roadcarbon.io.specs import read_yaml_text

    if len(text.encode("utf-8")) > max_bytes:
        raise SpecError(
            f"the sales mix is larger than {max_bytes:,} bytes; evaluate it with "
            "`roadcarbon rules evaluate-fleet` or `roadcarbon batch`",
            field=field,
        )
    if not text.strip():
        raise SpecError(
            "the sales mix is empty; give a fleet document or a CSV with a sales column", field=field
        )
    if filename.lower().endswith(".csv") or (not filename and _looks_like_csv(text)):
        try:
            mapping = fleet_mapping_from_csv(text, name=Path(filename).stem)
        except SpecError as exc:
            raise SpecError(exc.message, field=(exc.field or "fleet").replace("fleet", field, 1)) from None
    else:
        import yaml

        try:
            mapping = read_yaml_text(text)
        except yaml.YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" (line {where.line + 1})" if where is not None else ""
            raise SpecError(f"not valid YAML, JSON or CSV{line}", field=field) from None
        if not isinstance(mapping, dict) or not isinstance(mapping.get("vehicles"), list):
            raise SpecError(
                "expected a fleet: a mapping with a list of vehicles (preset or spec, and sales each), "
                "or a CSV with a sales column",
                field=field,
            )
    vehicles = mapping.get("vehicles") or []
    if not vehicles:
        raise SpecError("the sales mix has no vehicles", field=f"{field}.vehicles")
    if len(vehicles) > MAX_FLEET_LINES:
        raise SpecError(
            f"{len(vehicles):,} lines exceed the limit of {MAX_FLEET_LINES:,} on this page; split the fleet "
            "or run it through `roadcarbon batch`",
            field=f"{field}.vehicles",
        )
    for i, entry in enumerate(vehicles):
        if not isinstance(entry, dict):
            raise SpecError(
                "expected a mapping with preset or spec, and sales", field=f"{field}.vehicles[{i}]"
            )
        if isinstance(entry.get("spec"), str):
            raise SpecError(
                "spec paths are not read here; give the spec inline or `preset: ID`",
                field=f"{field}.vehicles[{i}].spec",
            )
    return mapping


def csv_line_names(text: str) -> list[str]:
    """The ``name`` cell of each line of a CSV sales mix (``fleet_csv`` keeps it only as the fleet's name)."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if "name" not in [h.strip() for h in reader.fieldnames or []]:
        return []
    return [str(row.get("name") or row.get(" name") or "").strip() for row in reader]


def line_names(fleet: dict[str, Any], given: list[str] | None = None) -> list[str]:
    """A display name for each line: the spec's name, a CSV line's name, the preset's name, else ``line N``."""
    names = []
    presets = backend.presets()
    for i, entry in enumerate(fleet.get("vehicles") or []):
        spec = entry.get("spec") if isinstance(entry, dict) else None
        preset = entry.get("preset") if isinstance(entry, dict) else None
        if given and i < len(given) and given[i]:
            names.append(given[i])
        elif isinstance(spec, dict) and spec.get("name"):
            names.append(str(spec["name"]))
        elif isinstance(preset, str) and preset in presets:
            names.append(presets[preset].name)
        elif isinstance(preset, str):
            names.append(preset)
        else:
            names.append(f"{i_line(i)}")
    return names


def i_line(i: int) -> str:
    """``line 3`` for the fourth line (1-based, translated)."""
    _ = i18n.gettext_
    return _("line %(n)s") % {"n": i + 1}


# --- evaluating ---------------------------------------------------------------------------------


def evaluate(choice: str, fleet: dict[str, Any], year: int, currency: str | None) -> list[dict[str, Any]]:
    """``[{scheme, title, kind, doc | error}]``: the rule library's document of each scheme of ``choice``."""
    from roadcarbon.services import regulations

    out = []
    for scheme_id in schemes_of(choice):
        row = _scheme_row(scheme_id) or {}
        item: dict[str, Any] = {
            "scheme": scheme_id,
            "title": row.get("title", scheme_id),
            "kind": row.get("kind"),
        }
        try:
            item["doc"] = regulations.evaluate_fleet(
                scheme_id,
                fleet,
                year,
                currency=currency if row.get("group") == "vehicle" else None,
            )
        except (InputError, RoadcarbonError) as exc:
            if type(exc).__name__ == "RulesUnavailableError":
                raise
            field = "year" if exc.field == "on" else exc.field  # the page asks for a year, not a date
            item["error"] = (
                f"{field}: {exc.message}" if field and not exc.message.startswith(field) else exc.message
            )
            item["field"] = field
        out.append(item)
    return out


def _last(trace: list[dict[str, Any]], name: str) -> Any:
    for step in reversed(trace):
        if step.get("type") == "intermediate" and step.get("name") == name:
            return step.get("value")
    return None


def _at(values: Any, i: int) -> Any:
    return values[i] if isinstance(values, list) and i < len(values) else None


def _short(value: Any) -> str:
    """A trace value as short text: numbers in the page's locale, long per-line arrays cut."""
    _ = i18n.gettext_
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "—"
        digits = 4 if 0 < abs(value) < 1 else 2
        text = i18n.number(value, digits)
        return text.rstrip("0").rstrip(",.") if ("." in text or "," in text) and digits else text
    if isinstance(value, list):
        shown = ", ".join(_short(v) for v in value[:SHOWN_VALUES])
        more = len(value) - SHOWN_VALUES
        return shown + (" … " + _("(%(n)s more)") % {"n": i18n.number(more, 0)} if more > 0 else "")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_short(v)}" for k, v in value.items())
    return str(value)


def trace_rows(trace: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parameters used and the other steps, values as display text."""
    params = [s for s in trace if s.get("type") == "parameter"]
    steps = [
        {
            "type": s.get("type", ""),
            "name": s.get("name", ""),
            "value": _short(s.get("value")) if "value" in s else "",
            "unit": s.get("unit") or "",
            "note": s.get("note") or "",
        }
        for s in trace
        if s.get("type") != "parameter"
    ]
    return params, steps


def fleet_view(item: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """What the template shows of one scheme's document: headline, lines, chart, trace."""
    _ = i18n.gettext_
    doc = item["doc"]
    outcome = doc["outcome"]
    trace = doc.get("trace") or []
    params, steps = trace_rows(trace)
    view: dict[str, Any] = {
        "params": params,
        "steps": steps,
        "outcome": outcome,
        "version": doc.get("version"),
    }
    if "vehicles" in doc:  # a per-vehicle scheme: fleet totals and per-line outcomes
        lines = doc["vehicles"]
        view["per_vehicle"] = True
        view["lines"] = [
            {
                "name": line.get("name") or (names[i] if i < len(names) else i_line(i)),
                "sales": line.get("sales"),
                "band": line.get("band", line.get("row")),
                "rate": line.get("effective_rate"),
                "amount": line.get("amount"),
                "currency": line.get("currency"),
                "eligible": line.get("eligible"),
                "status": line.get("status"),
                "note": line.get("amount_note"),
            }
            for i, line in enumerate(lines)
        ]
        view["has_rate"] = any(x["rate"] is not None for x in view["lines"])
        shares = outcome.get("share_by_band") or outcome.get("share_by_row") or {}
        view["shares"] = shares
        view["share_key"] = "band" if "share_by_band" in outcome else "row"
        if shares:
            view["chart"] = {
                "kind": "shares",
                "unit": "%",
                "categories": list(shares),
                "values": [round(v * 100, 2) for v in shares.values()],
                "label": _("Share of the vehicles in scope"),
            }
        return view
    kind = item.get("kind")
    sales = _last(trace, "sales")
    metric = _last(trace, "vehicle_metric")
    vehicle_target = _last(trace, "vehicle_target")
    credits = _last(trace, "credits")
    n = len(sales) if isinstance(sales, list) else len(names)
    view["lines"] = [
        {
            "name": names[i] if i < len(names) else i_line(i),
            "sales": _at(sales, i),
            "metric": _at(metric, i),
            "target": _at(vehicle_target, i),
            "credits": _at(credits, i),
        }
        for i in range(n)
    ]
    unit = outcome.get("unit") or ""
    if kind == "fleet_target" and isinstance(metric, list):
        shown = view["lines"][:SHOWN_LINES]
        view["chart"] = {
            "kind": "models",
            "unit": unit,
            "names": [x["name"] for x in shown],
            "metric": [x["metric"] for x in shown],
            "vehicleTarget": [x["target"] for x in shown],
            "sales": [x["sales"] for x in shown],
            "target": outcome.get("target"),
            "average": outcome.get("average"),
            "labels": {
                "metric": _("Model (size: sales)"),
                "vehicleTarget": _("Target of the model on the curve"),
                "target": _("Fleet target"),
                "average": _("Fleet average"),
                "sales": _("Sales"),
            },
        }
    elif outcome.get("target") is not None and outcome.get("average") is not None:
        view["chart"] = {
            "kind": "balance",
            "unit": unit,
            "categories": [_("Required"), _("Earned")]
            if kind == "credits"
            else [_("Target"), _("Fleet value")],
            "values": [outcome.get("target"), outcome.get("average")],
        }
    return view


HEADLINE_KEYS = (
    "target",
    "average",
    "credits",
    "credit_balance",
    "credit_balance_after_offsets",
    "excess",
    "penalty",
    "compliant",
    "sales",
)
TOTAL_KEYS = (
    "vehicles",
    "vehicles_in_scope",
    "revenue",
    "rebates",
    "net",
    "mean_amount_per_vehicle",
    "vehicles_without_amount",
    "eligible_share",
)


def outcome_label(key: str, kind: str | None = None) -> str:
    """Translated name of an outcome or total key (the key itself when unknown)."""
    _ = i18n.gettext_
    if kind == "credits":
        special = {
            "target": _("Credits required"),
            "average": _("Credits earned"),
            "credits": _("Credit balance"),
        }
        if key in special:
            return special[key]
    labels = {
        "target": _("Target"),
        "average": _("Fleet average"),
        "credits": _("Credits (deficit if negative)"),
        "credit_balance": _("Credit balance (deficit if negative)"),
        "credit_balance_after_offsets": _("Credit balance after offsets with other schemes' credits"),
        "excess": _("Excess over the target"),
        "penalty": _("Penalty (excess emissions premium)"),
        "compliant": _("Compliant"),
        "sales": _("Vehicles counted"),
        "vehicles": _("Vehicles"),
        "vehicles_in_scope": _("Vehicles in scope"),
        "revenue": _("Revenue (taxes and surcharges paid)"),
        "rebates": _("Rebates paid"),
        "net": _("Net revenue"),
        "mean_amount_per_vehicle": _("Mean amount per vehicle"),
        "vehicles_without_amount": _("Vehicles without an amount"),
        "eligible_share": _("Share eligible"),
    }
    return labels.get(key, key)


# --- export -------------------------------------------------------------------------------------


def results_table(results: list[dict[str, Any]], names: list[str], year: int, currency: str | None) -> Table:
    """Every number of the page in long form: one row per scheme and quantity (fleet) or line and quantity."""
    rows: list[list[Any]] = []
    for item in results:
        if "doc" not in item:
            rows.append([item["scheme"], year, "", "", "", "error", item.get("error", ""), ""])
            continue
        doc = item["doc"]
        outcome = doc["outcome"]
        unit = outcome.get("unit") or ""
        money = outcome.get("currency") or ""
        for key, value in outcome.items():
            if isinstance(value, dict | list) or value is None:
                continue
            key_unit = (
                money
                if key in ("penalty", "revenue", "rebates", "net", "mean_amount_per_vehicle")
                else (unit if key in ("target", "average", "excess", "credits") else "")
            )
            rows.append([item["scheme"], year, "fleet", "", "", key, value, key_unit])
        converted = outcome.get("converted")
        if isinstance(converted, dict):
            money_to = converted.get("currency") or ""
            rows.extend(
                [item["scheme"], year, "fleet", "", "", f"converted_{key}", converted.get(key), money_to]
                for key in ("revenue", "rebates", "net")
            )
            rows.append([item["scheme"], year, "fleet", "", "", "converted_rate", converted.get("rate"), ""])
        for share_key in ("share_by_band", "share_by_row"):
            for label, share in (outcome.get(share_key) or {}).items():
                rows.append([item["scheme"], year, "fleet", "", "", f"{share_key}:{label}", share, "share"])
        view = fleet_view(item, names)
        for i, line in enumerate(view["lines"]):
            for key in ("metric", "target", "credits", "band", "rate", "amount", "eligible", "status"):
                if line.get(key) is not None:
                    line_unit = {
                        "metric": unit,
                        "target": unit,
                        "credits": unit,
                        "amount": line.get("currency") or "",
                    }.get(key, "")
                    rows.append(
                        [item["scheme"], year, i + 1, line["name"], line["sales"], key, line[key], line_unit]
                    )
    notes = [
        f"schemes: {', '.join(r['scheme'] for r in results)}; year {year}"
        + (f"; totals converted to {currency}" if currency else ""),
        "numbers from the roadcarbon rule library (rules evaluate-fleet); see the page's trace for each parameter's "
        "value, reference and status",
        f"data release {backend.data_version()}",
    ]
    return Table(
        name="fleet-compliance",
        headers=["scheme", "year", "line", "name", "sales", "quantity", "value", "unit"],
        rows=rows,
        notes=notes,
    )


# --- routes -------------------------------------------------------------------------------------


class _TooLargeError(SpecError):
    """The form or its file is over the page's caps (HTTP 413; other problems of the form are 400)."""


async def _posted(request: Request, max_bytes: int) -> tuple[dict[str, str], str]:
    """The posted fields and the uploaded file's text (``""`` when none); size caps name the field."""
    try:
        form = await request.form(max_files=1, max_fields=20, max_part_size=max_bytes + 1)
    except Exception as exc:  # starlette's MultiPartException: a part over the cap, too many fields
        raise _TooLargeError(
            f"the form could not be read ({exc}); the sales mix may be at most {max_bytes:,} bytes",
            field="fleet",
        ) from None
    fields: dict[str, str] = {}
    upload_text = ""
    for key, value in form.multi_items():
        if key == "file" and hasattr(value, "read"):
            raw = await value.read(max_bytes + 1)
            if not raw:
                continue
            if len(raw) > max_bytes:
                raise _TooLargeError(f"the file is larger than {max_bytes:,} bytes", field="file")
            try:
                upload_text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise SpecError("the file is not UTF-8 text (YAML, JSON or CSV)", field="file") from None
            fields["filename"] = str(getattr(value, "filename", "") or "")
        elif isinstance(value, str):
            fields[key] = value
    return fields, upload_text


def _year(text: str | int | None) -> int:
    try:
        year = int(str(text).strip())
    except (TypeError, ValueError):
        raise InputError(f"expected a year such as 2025, got {text!r}", field="year") from None
    if not 1990 <= year <= 2100:
        raise InputError(f"expected a year between 1990 and 2100, got {year}", field="year")
    return year


def _currency(text: str | None) -> str | None:
    code = (text or "").strip().upper()
    if not code:
        return None
    if code not in currency_options():
        raise InputError(f"unknown currency {code!r}; choose one of the list", field="currency")
    return code


def register(router: APIRouter, web: Web) -> None:
    """Add ``/compliance/fleet`` (GET: a bundled example; POST: the user's sales mix) and its CSV."""
    max_bytes = max_fleet_bytes(web.settings)

    def render(page: Page, form: dict[str, Any], *, code: int = 200, **context: Any) -> Response:
        try:
            options = scheme_options()
            currencies = currency_options()
            defaults = {
                c: {"year": default_year(c), "example": example_key(c)}
                for c, _ in options["fleet"] + options["vehicle"]
            }
        except RoadcarbonError as exc:
            return page.render(
                "compliance_fleet.html",
                code=503,
                unavailable=str(exc),
                form=form,
                nav="fleet-compliance",
                errors_inline=True,
            )
        return page.render(
            "compliance_fleet.html",
            code=code,
            nav="fleet-compliance",
            form=form,
            options=options,
            currencies=currencies,
            defaults=defaults,
            examples={k: example_text(k) for k in EXAMPLES},
            outcome_label=outcome_label,
            headline_keys=HEADLINE_KEYS,
            total_keys=TOTAL_KEYS,
            status_label=status_label,
            shown_lines=SHOWN_LINES,
            max_bytes=max_bytes,
            max_size=f"{i18n.number(max_bytes / 1000, 0)} kB",
            fragment="compliance_fleet_results.html",
            errors_inline=True,
            **context,
        )

    def run(page: Page, form: dict[str, Any], text: str, filename: str = "") -> Response:
        try:
            year = _year(form["year"])
            currency = _currency(form.get("currency"))
            schemes_of(form["scheme"])
            fleet = parse_fleet(
                text, field="file" if filename else "fleet", filename=filename, max_bytes=max_bytes
            )
            is_csv = filename.lower().endswith(".csv") or (not filename and _looks_like_csv(text))
            names = line_names(fleet, csv_line_names(text) if is_csv else None)
            results = evaluate(form["scheme"], fleet, year, currency)
        except RoadcarbonError as exc:
            if type(exc).__name__ == "RulesUnavailableError":
                return render(page, form, code=503, unavailable=str(exc))
            return render(page, form, code=400, error=str(exc), error_field=exc.field or "fleet")
        views = [fleet_view(r, names) if "doc" in r else None for r in results]
        failed = [r for r in results if "doc" not in r]
        code = 400 if failed and len(failed) == len(results) else 200
        return render(
            page,
            form,
            code=code,
            results=list(zip(results, views, strict=True)),
            names=names,
            year=year,
            currency=currency,
            fleet_name=str(fleet.get("name") or ""),
            lines_count=len(names),
            evaluated_text=text,
            evaluated_format="csv" if filename.lower().endswith(".csv") else "",
        )

    @router.get("/compliance/fleet", response_class=Response)
    def fleet_compliance(
        request: Request, scheme: str = "", year: str = "", currency: str = DEFAULT_CURRENCY
    ) -> Response:
        page = Page(web, request)
        choice = scheme or DEFAULT_SCHEME
        form: dict[str, Any] = {"scheme": choice, "year": year, "currency": currency, "fleet": ""}
        try:
            schemes_of(choice)
            form["fleet"] = example_text(example_key(choice))
            form["year"] = year or str(default_year(choice))
        except RoadcarbonError as exc:
            form["scheme"] = DEFAULT_SCHEME
            form["fleet"] = example_text("eu")
            form["year"] = str(EXAMPLES["eu"][1])
            return render(page, form, code=400, error=str(exc), error_field=exc.field or "scheme")
        response = run(page, form, form["fleet"])
        return response

    @router.post("/compliance/fleet", response_class=Response)
    async def fleet_compliance_post(request: Request) -> Response:
        response = await _fleet_compliance_post(request)
        response.headers["Cache-Control"] = "no-store"  # a maker's sales mix is private (docs/web.md)
        return response

    async def _fleet_compliance_post(request: Request) -> Response:
        page = Page(web, request)
        form: dict[str, Any] = {
            "scheme": DEFAULT_SCHEME,
            "year": "",
            "currency": DEFAULT_CURRENCY,
            "fleet": "",
        }
        try:
            fields, upload = await _posted(request, max_bytes)
        except RoadcarbonError as exc:  # 413 over the caps; a file that is not UTF-8 text is a 400
            form["fleet"] = example_text("eu")
            code = 413 if isinstance(exc, _TooLargeError) else 400
            return render(page, form, code=code, error=str(exc), error_field=exc.field)
        form.update({k: fields.get(k, form[k]) for k in ("scheme", "year", "currency", "fleet")})
        if not session.check_csrf(page.session, fields.get("csrf")):
            return render(page, form, code=403, error=i18n.gettext_("The form expired; please try again."))
        if upload:
            form["fleet"] = upload  # the uploaded mix is shown in the text box, to edit
            return run(page, form, upload, fields.get("filename", "upload"))
        return run(page, form, form["fleet"])

    @router.post("/compliance/fleet/download.{fmt}", response_class=Response)
    async def fleet_compliance_download(request: Request, fmt: str) -> Response:
        response = await _fleet_compliance_download(request, fmt)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _fleet_compliance_download(request: Request, fmt: str) -> Response:
        page = Page(web, request)
        if fmt not in ("csv", "xlsx"):
            return render(
                page,
                {"scheme": DEFAULT_SCHEME, "year": "", "currency": DEFAULT_CURRENCY, "fleet": ""},
                code=404,
                error="csv or xlsx",
            )
        try:
            fields, _upload = await _posted(request, max_bytes)
            form = {k: fields.get(k, "") for k in ("scheme", "year", "currency", "fleet", "format")}
            if not session.check_csrf(page.session, fields.get("csrf")):
                return render(
                    page, form, code=403, error=i18n.gettext_("The form expired; please try again.")
                )
            year = _year(form["year"])
            currency = _currency(form["currency"])
            fleet = parse_fleet(
                form["fleet"], filename="fleet.csv" if form["format"] == "csv" else "", max_bytes=max_bytes
            )
            is_csv = form["format"] == "csv" or _looks_like_csv(form["fleet"])
            names = line_names(fleet, csv_line_names(form["fleet"]) if is_csv else None)
            results = evaluate(form["scheme"], fleet, year, currency)
        except RoadcarbonError as exc:
            form = {"scheme": DEFAULT_SCHEME, "year": "", "currency": DEFAULT_CURRENCY, "fleet": ""}
            return render(page, form, code=400, error=str(exc), error_field=exc.field)
        table = results_table(results, names, year, currency)
        tag = "-".join(x for x in (re.sub(r"[^A-Za-z0-9_.-]+", "", form["scheme"])[:40], str(year)) if x)
        return download(table, fmt, tag=tag)
