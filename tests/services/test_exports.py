"""Exports: flat tables in CSV/XLSX, safe for spreadsheets."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from roadcarbon.services.exports import json_safe, to_csv, to_json, to_xlsx

PAGE = {
    "items": [
        {
            "id": 1,
            "stages": {"battery": 12.5, "tailpipe": 0.0},
            "sources": ["a", "b"],
            "note": "=HYPERLINK(x)",
        },
        {"id": 2, "stages": {"battery": 3.0}, "extra": "only here"},
    ],
    "total": 2,
    "page": 1,
    "per_page": 50,
}


def test_csv_flattens_nested_keys_and_defuses_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(PAGE).decode())))
    assert list(rows[0]) == ["id", "stages.battery", "stages.tailpipe", "sources", "note", "extra"]
    assert rows[0]["stages.battery"] == "12.5"
    assert rows[0]["sources"] == '["a", "b"]'
    assert rows[0]["note"] == "'=HYPERLINK(x)"  # a spreadsheet shows the text, never runs it
    assert rows[1]["extra"] == "only here"
    assert rows[1]["stages.tailpipe"] == ""


def test_xlsx_holds_what_csv_holds_and_drops_control_characters() -> None:
    document = {"items": [*PAGE["items"], {"id": 3, "bad\x01key": "text with \x02 control"}]}
    ws = load_workbook(io.BytesIO(to_xlsx(document))).active
    assert ws is not None
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[:3] == ("id", "stages.battery", "stages.tailpipe")
    assert "badkey" in header
    assert rows[0][1] == 12.5
    assert rows[2][header.index("badkey")] == "text with  control"


def test_json_turns_non_finite_numbers_into_texts() -> None:
    assert json_safe({"a": [float("nan"), float("inf"), -float("inf"), 1.5]}) == {
        "a": ["NaN", "Infinity", "-Infinity", 1.5]
    }
    assert to_json({"x": float("nan")}) == b'{"x": "NaN"}'
