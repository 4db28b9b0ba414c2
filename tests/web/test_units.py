"""The dashboard's own logic without a browser: catalogs, language choice, number formats, sessions, map, tables."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from roadcarbon.web import geo, i18n, session, views
from roadcarbon.web.routes_platform import _safe_next
from roadcarbon.web.tables import Table, to_csv, to_datapackage_zip, to_xlsx

LOCALE_DIR = Path(i18n.__file__).parent / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


@pytest.mark.parametrize(
    ("locale", "domain"),
    [(code, pot.stem) for code in i18n.LOCALES if code != "en" for pot in sorted(LOCALE_DIR.glob("*.pot"))],
)
def test_catalog_translates_every_message_with_the_same_placeholders(locale, domain):
    with (LOCALE_DIR / f"{domain}.pot").open("rb") as fh:
        template = read_po(fh)
    with (LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        catalog = read_po(fh)
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        assert translated is not None and translated.string, f"{locale}: {message.id!r} is not translated"
        assert sorted(PLACEHOLDER.findall(translated.string)) == sorted(PLACEHOLDER.findall(message.id)), (
            f"{locale}: placeholders differ in {message.id!r}"
        )


def test_compiled_catalog_formats_like_jinja_newstyle_gettext():
    # Jinja's newstyle gettext always applies "%": a lone % in a message would raise here
    for locale in i18n.LOCALES:
        i18n.set_current(locale)
        assert "%" in i18n.gettext_("Saving [%%]") % {}
        text = i18n.gettext_("Results for %(country)s, %(year)s") % {
            "country": "Indonesia (ID)",
            "year": 2025,
        }
        assert "Indonesia (ID)" in text and "2025" in text
    i18n.set_current("en")


def test_language_choice_order_query_cookie_header():
    assert i18n.choose("es", "pt", "id") == "es"
    assert i18n.choose(None, "pt", "id") == "pt"
    assert i18n.choose("xx", None, "fr;q=0.9, zh-CN;q=0.8, en;q=0.5") == "zh_Hans"
    assert i18n.choose(None, None, "in") == "id"  # old ISO 639 code of Indonesian
    assert i18n.choose(None, None, "de-DE, fr") == "en"
    assert i18n.choose(None, None, None) == "en"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "12,345.7"), ("id", "12.345,7"), ("es", "12.345,7"), ("pt", "12.345,7"), ("zh_Hans", "12,345.7")],
)
def test_numbers_follow_the_locale(locale, expected):
    # CLDR: Indonesian, Spanish and (Brazilian) Portuguese group with "." and use "," for decimals
    assert i18n.number(12345.678, 1, locale=locale) == expected


def test_session_cookie_round_trip_and_forgery_and_expiry():
    secret = b"test-secret"
    s = session.Session(user={"id": 3, "roles": ["reviewer"], "organisation": 7})
    cookie = session.encode(s, secret)
    back = session.decode(cookie, secret)
    assert back.user == s.user and back.csrf == s.csrf and not back.dirty
    payload, _, signature = cookie.rpartition(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    assert session.decode(forged, secret).user is None
    assert session.decode(cookie, b"another-secret").user is None
    old = session.Session(user={"id": 1}, issued_at_s=time.time() - session.MAX_AGE_S - 1)
    assert session.decode(session.encode(old, secret), secret).user is None
    assert session.check_csrf(back, s.csrf)
    assert not session.check_csrf(back, "wrong") and not session.check_csrf(back, None)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/contributions/3", "/contributions/3"),
        ("//evil.example/x", "/contributions"),
        ("https://evil.example/", "/contributions"),
        ("/\\evil.example", "/contributions"),
        (None, "/contributions"),
    ],
)
def test_sign_in_follows_only_same_site_paths(target, expected):
    assert _safe_next(target) == expected


def _rings(feature):
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def test_world_map_decodes_topojson_with_iso_codes():
    features = {f["properties"]["name"]: f for f in geo.world_geojson()["features"]}
    assert {"ID", "CN", "BR", "FJ", "RU", "TH", "SG", "BH"} <= set(features)
    # Jakarta (106.85 E, 6.21 S) lies inside Indonesia's bounding box
    points = [p for ring in _rings(features["ID"]) for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    assert min(lons) < 106.85 < max(lons) and min(lats) < -6.21 < max(lats)
    for feature in features.values():
        for ring in _rings(feature):
            assert ring[0] == ring[-1], f"{feature['properties']['name']}: ring not closed"
            assert all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(ring)), "line across the map"


def test_small_markets_come_from_the_finer_map():
    # Singapore has no polygon at 1:110m; it is taken from the 1:50m file, and only once
    features = [f for f in geo.world_geojson()["features"] if f["properties"]["name"] == "SG"]
    assert len(features) == 1
    points = [p for ring in _rings(features[0]) for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    # the island lies within 103.6-104.1 E, 1.15-1.48 N
    assert 103.5 < min(lons) < max(lons) < 104.2 and 1.1 < min(lats) < max(lats) < 1.5
    names = [f["properties"]["name"] for f in geo.world_geojson()["features"]]
    assert len(names) == len(set(names))


def test_tables_download_as_csv_and_xlsx():
    table = Table(
        "stages", ["vehicle", "total_g_co2e_per_km"], [["电动车 A", 201.5], ["B", 250.0]], ["note one"]
    )
    text = to_csv(table).decode("utf-8")
    # header row and data only: the notes go in the XLSX's notes sheet and the ZIP's datapackage.json
    assert text == "\ufeffvehicle,total_g_co2e_per_km\n电动车 A,201.5\nB,250.0\n"
    book = load_workbook(io.BytesIO(to_xlsx(table)))
    assert book["stages"].cell(2, 1).value == "电动车 A" and book["stages"].cell(3, 2).value == 250.0
    assert book["notes"].cell(1, 1).value == "note one"


def test_csv_reads_with_a_plain_pandas_read_csv_and_numbers_are_rounded():
    pandas = pytest.importorskip("pandas")
    table = Table(
        "cumulative",
        ["distance_km", "total_g_co2e_per_km", "saving_share", "note"],
        [[5000.000000001, 189.65400000000002, 0.123456789, 'a, "quoted" name'], [10000.0, 1 / 3, None, "b"]],
        ["country=ID year=2025", "data_version=2026.11.1"],
    )
    frame = pandas.read_csv(io.BytesIO(to_csv(table)))
    assert list(frame.columns) == table.headers and len(frame) == 2  # no trailing '#' rows
    assert frame["distance_km"].tolist() == [5000, 10000]  # whole km
    assert frame["total_g_co2e_per_km"].tolist() == [189.654, 0.333]  # 3 decimals, as the API's documents
    assert frame["saving_share"].iloc[0] == 0.1235  # shares to 4 decimals
    assert frame["note"].iloc[0] == 'a, "quoted" name'


def test_zip_download_has_a_frictionless_sidecar_with_the_settings():
    import json
    import zipfile

    table = Table(
        "stages", ["vehicle", "total_g_co2e_per_km"], [["A", 201.5]], ["country=ID", "data_version=9"]
    )
    archive = zipfile.ZipFile(
        io.BytesIO(to_datapackage_zip(table, "roadcarbon-stages-ID", "cite me", "http://x"))
    )
    assert sorted(archive.namelist()) == ["datapackage.json", "roadcarbon-stages-ID.csv"]
    package = json.loads(archive.read("datapackage.json"))
    resource = package["resources"][0]
    assert resource["path"] == "roadcarbon-stages-ID.csv" and package["profile"] == "tabular-data-package"
    assert [f["type"] for f in resource["schema"]["fields"]] == ["string", "number"]
    assert resource["schema"]["fields"][1]["unit"] == "g co2e per km"
    assert package["roadcarbon:settings"] == ["country=ID", "data_version=9"]
    assert package["roadcarbon:how_to_cite"] == "cite me"
    assert package["sources"][0]["title"].endswith("release 9")
    assert archive.read("roadcarbon-stages-ID.csv").decode() == "vehicle,total_g_co2e_per_km\nA,201.5\n"


def test_citation_matches_citation_cff():
    from pathlib import Path

    import yaml

    from roadcarbon.web import views

    cff = yaml.safe_load((Path(__file__).resolve().parents[2] / "CITATION.cff").read_text(encoding="utf-8"))
    assert views.CITATION["title"] == cff["title"]
    assert views.CITATION["repository"] == cff["repository-code"]
    assert views.CITATION["authors"] == cff["authors"][0]["name"]
    assert views.CITATION["licence"] == cff["license"]
    text = views.citation_text("2026.11.1")
    assert text.startswith(f"{cff['authors'][0]['name']} (2026). {cff['title']} (version ")
    assert text.endswith(f", data release 2026.11.1). {cff['repository-code']}")


def test_timeline_places_versions_on_a_common_axis():
    schemes = [
        {"id": "XX.a", "versions": [{"id": "v1", "valid_from": "2020-01-01", "valid_to": "2021-12-31"}]},
        {"id": "XX.b", "versions": [{"id": "v1", "valid_from": "2022-01-01"}]},
    ]
    t = views.timeline(schemes, today_=dt.date(2024, 6, 1))
    first, second = t["rows"][0]["bars"][0], t["rows"][1]["bars"][0]
    assert first["left"] == 0.0
    assert first["left"] + first["width"] < second["left"]  # 2021-12-31 is before 2022-01-01
    assert second["left"] + second["width"] == pytest.approx(100.0)  # open-ended: to the end of the axis
    assert t["start"] == dt.date(2020, 1, 1) and t["end"] == dt.date(2026, 1, 1)


def _luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2.1, definition of relative luminance)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    """WCAG 2.1 success criterion 1.4.3: at least 4.5:1 for normal text."""
    css = (Path(i18n.__file__).parent / "static" / "app.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        (var["ink"], "#ffffff"),
        (var["muted"], "#ffffff"),
        (var["brand"], "#ffffff"),  # links on white, white on the header
        (var["muted"], var["soft"]),  # small print inside the control panels
        (var["brand"], var["soft"]),
        ("#7a1712", "#fde8e6"),  # error alert
        ("#4d3d00", "#fff4d6"),  # warning alert
        ("#0f4a1e", "#e6f4ea"),  # confirmation
        ("#0f5a22", "#ffffff"),  # status: enacted
        ("#7a4e00", "#ffffff"),  # status: announced / projected
        ("#8b1a12", "#ffffff"),  # status: assumption / unverified
    ]
    for text, background in pairs:
        assert text.lower() in css.lower() or text in var.values()
        assert _contrast(text, background) >= 4.5, (
            f"{text} on {background}: {_contrast(text, background):.2f}"
        )
