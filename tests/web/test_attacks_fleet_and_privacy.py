"""Attacks on the fleet compliance page and the comparator's private inputs, as a hostile or careless user.

Plain HTTP against the session's real server (``server`` fixture of ``conftest.py``): exports whose cells
a spreadsheet would run as formulas, control characters in names, numbers past float precision, YAML
nesting and billion-laughs bombs, binary uploads, repeated CSV columns, another organisation's
supply-chain record on every route that applies one (page, tornado, CSV/XLSX/ZIP downloads), an
anonymous caller and a deactivated account's still-open session.  Every answer must be a 2xx/4xx naming
the field, never a 500 or a traceback.  The fleets are made up for the tests.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from roadcarbon.web import i18n
from roadcarbon.web.tables import Table, to_csv, to_xlsx

SPEC = (
    "{category: passenger_car, segment: medium, powertrain: ICEV, fuel: petrol, test_cycle: WLTP, "
    "curb_mass_kg: MASS, co2_g_per_km: CO2}"
)
SCHEME = "EU.co2_standards_cars"


def fleet(sales: str = "1000", mass: str = "1400", co2: str = "120", name: str | None = None) -> str:
    spec = SPEC.replace("MASS", mass).replace("CO2", co2)
    if name is not None:
        spec = spec.replace("{", "{name: " + name + ", ", 1)
    return f"name: Attack maker\nvehicles:\n  - sales: {sales}\n    spec: {spec}\n"


def client_with_token(server: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server, timeout=120)
    page = client.get("/compliance/fleet")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    return client, token.group(1)


def post_fleet(server: str, path: str, text: str, **extra: Any) -> httpx.Response:
    client, token = client_with_token(server)
    with closing(client):
        data = {"csrf": token, "scheme": SCHEME, "year": "2025", "currency": "", "fleet": text, **extra}
        return client.post(path, data=data)


def assert_no_crash(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:300]
    assert "Traceback" not in response.text and "Internal error" not in response.text


# --- exports ------------------------------------------------------------------------------------

FORMULAS = ['\'=HYPERLINK("http://evil.example","x")\'', "'+cmd|calc'", "'-2+3'", "'@SUM(A1)'"]


def test_the_csv_export_writes_no_formula_a_spreadsheet_would_run(server):
    text = "name: F\nvehicles:\n" + "".join(
        f"  - sales: 10\n    spec: {SPEC.replace('MASS', '1400').replace('CO2', '120').replace('{', '{name: ' + n + ', ', 1)}\n"
        for n in FORMULAS
    )
    response = post_fleet(server, "/compliance/fleet/download.csv", text)
    assert response.status_code == 200, response.text[:300]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = {r["name"] for r in rows if r["line"] not in ("", "fleet")}
    assert names == {'\'=HYPERLINK("http://evil.example","x")', "'+cmd|calc", "'-2+3", "'@SUM(A1)"}
    # numbers stay numbers (a negative value is not a formula)
    assert all(not r["value"].startswith("'") for r in rows)


def test_the_xlsx_export_takes_control_characters_and_holds_formulas_as_text(server):
    openpyxl = pytest.importorskip("openpyxl")
    text = "name: F\nvehicles:\n" + "".join(
        f"  - sales: 10\n    spec: {SPEC.replace('MASS', '1400').replace('CO2', '120').replace('{', '{name: ' + n + ', ', 1)}\n"
        for n in ['"=1+1"', '"bell\\x07and\\x01ctl\\u202eRTL"']
    )
    response = post_fleet(server, "/compliance/fleet/download.xlsx", text)
    assert response.status_code == 200, response.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    assert "'=1+1" in values and "bellandctl\u202eRTL" in values


def test_tables_neutralise_formulas_in_the_notes_sheet_too():
    openpyxl = pytest.importorskip("openpyxl")
    table = Table(name="t", headers=["name", "value"], rows=[["=A1", -5.0], ["-x", 1.0]], notes=["=cmd\x01"])
    assert to_csv(table).decode("utf-8-sig").splitlines()[1:] == ["'=A1,-5.0", "'-x,1.0"]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(table)))
    assert book["notes"]["A1"].value == "'=cmd"
    assert book["t"]["B2"].value == -5


# --- numbers past float precision ---------------------------------------------------------------


def test_locale_numbers_past_decimal_precision_are_written_not_a_crash():
    assert i18n.number(1.5e300, 1, locale="en") == "1.5E300"
    assert i18n.number(-1e27, 2, locale="id").startswith("-1E27")
    assert i18n.number(1234.5, 1, locale="en") == "1,234.5"


@pytest.mark.parametrize(
    "text",
    [fleet(sales="1.0e+300"), fleet(co2="1.0e+300"), fleet(mass="1.0e+300"), fleet(sales="0.5")],
    ids=["sales 1e300", "co2 1e300", "mass 1e300", "fractional sales"],
)
@pytest.mark.parametrize("path", ["/compliance/fleet", "/compliance/fleet/download.csv"])
def test_huge_and_fractional_numbers_are_answered(server, text, path):
    assert_no_crash(post_fleet(server, path, text))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (fleet(sales=".inf"), "fleet.vehicles"),
        (fleet(sales=".nan"), "fleet.vehicles"),
        (fleet(sales="-5"), "fleet.vehicles"),
        (fleet(sales="true"), "fleet.vehicles"),
        (fleet(co2=".inf"), "fleet.vehicles"),
        (fleet() + "inputs: {wltp_co2_2020_g_per_km: .inf}\n", "fleet.inputs.wltp_co2_2020_g_per_km"),
        (fleet() + "inputs: {wltp_co2_2020_g_per_km: abc}\n", "fleet.inputs.wltp_co2_2020_g_per_km"),
        ("vehicles: []\n", "fleet.vehicles"),
        ("", "fleet"),
    ],
    ids=[
        "sales inf",
        "sales nan",
        "negative sales",
        "bool sales",
        "co2 inf",
        "input inf",
        "input str",
        "no vehicles",
        "empty",
    ],
)
def test_non_numbers_are_a_400_naming_the_field(server, text, field):
    response = post_fleet(server, "/compliance/fleet", text)
    assert response.status_code == 400, response.text[:300]
    assert field in response.text
    assert_no_crash(response)


# --- hostile documents and files ----------------------------------------------------------------

LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)
)


@pytest.mark.parametrize(
    "text",
    [
        "vehicles: " + "[" * 5000 + "]" * 5000,
        LAUGHS + "vehicles: [*g]\n",
        "!!python/object/apply:os.system ['id']\n",
    ],
    ids=["nested 5000 deep", "billion laughs", "python tag"],
)
@pytest.mark.parametrize("path", ["/compliance/fleet", "/compliance/fleet/download.csv"])
def test_hostile_yaml_is_a_400_naming_the_fleet(server, text, path):
    response = post_fleet(server, path, text)
    assert response.status_code == 400, response.text[:300]
    assert 'data-field="fleet' in response.text
    assert_no_crash(response)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fleet.csv", "name,sales\nA,1\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("fleet.zip", _zip()),
        ("fleet.bin", bytes(range(256))),
        ("fleet.yaml", "vehicles: []".encode("utf-16")),
    ],
    ids=["zip", "binary", "utf-16"],
)
def test_a_file_that_is_not_utf8_text_is_a_400_naming_the_file_not_413(server, filename, content):
    client, token = client_with_token(server)
    with closing(client):
        response = client.post(
            "/compliance/fleet",
            data={"csrf": token, "scheme": SCHEME, "year": "2025", "currency": ""},
            files={"file": (filename, content)},
        )
    assert response.status_code == 400, response.text[:300]
    assert 'data-field="file"' in response.text


CSV_HEAD = "name,category,powertrain,fuel,test_cycle,curb_mass_kg,co2_g_per_km,sales"


def test_a_csv_naming_a_column_twice_is_refused_naming_it(server):
    text = CSV_HEAD.replace(",sales", ",sales,sales") + "\nA,passenger_car,ICEV,petrol,WLTP,1400,120,5,5000\n"
    response = post_fleet(server, "/compliance/fleet", text)
    assert response.status_code == 400, response.text[:300]
    assert 'data-field="fleet.sales"' in response.text


def test_a_csv_with_bom_and_crlf_reads_as_without_and_a_semicolon_csv_is_a_400(server):
    plain = CSV_HEAD + "\nA,passenger_car,ICEV,petrol,WLTP,1400,120,10\n"
    answers = [
        post_fleet(server, "/compliance/fleet/download.csv", text, format="csv")
        for text in (plain, "\ufeff" + plain.replace("\n", "\r\n"))
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    response = post_fleet(server, "/compliance/fleet", plain.replace(",", ";"))
    assert response.status_code == 400 and 'data-field="fleet' in response.text


def test_odd_unicode_names_are_escaped_text(server):
    name = '"<img src=x onerror=alert(1)>\\u202eevil\\u200b\\u0301💥"'
    response = post_fleet(server, "/compliance/fleet", fleet(name=name))
    assert response.status_code == 200, response.text[:300]
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;\u202eevil\u200b\u0301💥" in response.text


def test_missing_token_and_repeated_fields(server):
    with httpx.Client(base_url=server, timeout=60) as client:
        for path in ("/compliance/fleet", "/compliance/fleet/download.xlsx"):
            assert (
                client.post(path, data={"scheme": SCHEME, "year": "2025", "fleet": fleet()}).status_code
                == 403
            )
    client, token = client_with_token(server)
    with closing(client):
        body = f"csrf={token}&scheme={SCHEME}&year=2025&year=20x5&fleet=vehicles%3A+%5B%5D"
        response = client.post(
            "/compliance/fleet", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
        )
    assert response.status_code == 400 and 'data-field="year"' in response.text


# --- another organisation's supply-chain record -------------------------------------------------

LABEL = "Attack cell plant Kx7 (private)"
RECORD_ROUTES = [
    "/compare",
    "/compare/sensitivity",
    "/download/compare-stages.csv",
    "/download/compare-stages.xlsx",
    "/download/compare-stages.zip",
    "/download/compare-sensitivity.csv",
]
FORM = {"v": "car-medium-bev", "country": "ID", "year": "2025", "samples": "0"}


def api_token(server: str, who: dict[str, str]) -> str:
    answer = httpx.post(
        f"{server}/api/v1/auth/token", data={"username": who["email"], "password": who["password"]}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def web_client(server: str, who: dict[str, str] | None) -> tuple[httpx.Client, str]:
    """A client with a web session (signed in as ``who`` when given) and its CSRF token."""
    client = httpx.Client(base_url=server, timeout=120)
    if who is not None:
        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        signed = client.post(
            "/login", data={"csrf": token, "email": who["email"], "password": who["password"]}
        )
        assert signed.status_code in (200, 303), signed.text[:300]
    page = client.get("/compare?samples=0")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client, token


@pytest.fixture(scope="module")
def motors_record(server, credentials) -> int:
    created = httpx.post(
        f"{server}/api/v1/supply-chain",
        json={"label": LABEL, "battery_origin_country": "NO", "assembly_country": "FR"},
        headers={"Authorization": f"Bearer {api_token(server, credentials['contributor@demo-motors'])}"},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def assert_refused(response: httpx.Response, record_id: int) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert f"no supply-chain record {record_id}" in response.text
    assert "Kx7" not in response.text
    assert str(record_id) not in response.headers.get("location", "")


@pytest.mark.parametrize("route", RECORD_ROUTES)
def test_another_organisations_record_is_refused_on_every_route(server, credentials, motors_record, route):
    client, token = web_client(server, credentials["contributor@demo-research"])
    with closing(client):
        assert_refused(
            client.post(route, data={**FORM, "csrf": token, "record": str(motors_record)}), motors_record
        )


@pytest.mark.parametrize("route", RECORD_ROUTES)
def test_an_anonymous_caller_cannot_use_a_record(server, motors_record, route):
    client, token = web_client(server, None)
    with closing(client):
        assert_refused(
            client.post(route, data={**FORM, "csrf": token, "record": str(motors_record)}), motors_record
        )


def test_a_deactivated_accounts_open_session_loses_its_records(server, credentials, motors_record):
    admin = api_token(server, credentials["org_admin@demo-motors"])
    orgs = httpx.get(f"{server}/api/v1/me", headers={"Authorization": f"Bearer {admin}"}).json()
    member = {"email": "attack-member@demo-motors.example", "password": "Kx7-not-a-common-passw0rd"}
    created = httpx.post(
        f"{server}/api/v1/organisations/{orgs['organisation_id']}/users",
        json={**member, "name": "Attack member", "role": "contributor"},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert created.status_code == 201, created.text
    client, token = web_client(server, member)
    with closing(client):
        form = {**FORM, "csrf": token, "record": str(motors_record)}
        allowed = client.post("/compare", data=form)
        assert allowed.status_code == 200 and "Kx7" in allowed.text
        assert allowed.headers["cache-control"] == "no-store"
        off = httpx.patch(
            f"{server}/api/v1/users/{created.json()['id']}",
            json={"active": False},
            headers={"Authorization": f"Bearer {admin}"},
        )
        assert off.status_code == 200, off.text
        for route in RECORD_ROUTES:
            assert_refused(client.post(route, data=form), motors_record)


def test_a_pasted_spec_and_a_record_reach_no_log_line(server, server_dir: Path, credentials, motors_record):
    mark = "Zz-log-mark-Qv4"
    client, token = web_client(server, credentials["contributor@demo-motors"])
    import roadcarbon

    preset = Path(roadcarbon.__file__).parent / "data" / "presets" / "car-medium-bev.yaml"
    spec = re.sub(r"(?m)^name: .*$", f"name: {mark}", preset.read_text(encoding="utf-8"))
    with closing(client):
        for route in RECORD_ROUTES:
            answer = client.post(
                route, data={**FORM, "csrf": token, "spec": spec, "record": str(motors_record)}
            )
            assert answer.status_code == 200, (route, answer.text[:300])
            assert not [
                h for h, v in answer.headers.items() if mark in v or "Kx7" in v
            ]  # Location, Link, HX-*
            assert answer.headers.get("cache-control") == "no-store", route
    log = (server_dir / "server.log").read_text(encoding="utf-8", errors="replace")
    assert mark not in log and "Kx7" not in log


@pytest.mark.parametrize("path", ["/compliance/fleet", "/compliance/fleet/download.csv"])
def test_a_fleet_whose_average_overflows_is_refused_not_shown_as_infinity(server, path):
    response = post_fleet(server, path, fleet(sales="1.0e+300", co2="1.0e+300"))
    assert_no_crash(response)
    assert "Infinity" not in response.text
    assert "fleet.vehicles" in response.text


@pytest.mark.parametrize(
    "text",
    [
        fleet(name='"\\ud800x"'),
        '{"vehicles": [{"sales": 10, "spec": {"name": "\\udc00", "category": "passenger_car", "segment": "medium",'
        ' "powertrain": "ICEV", "fuel": "petrol", "test_cycle": "WLTP", "curb_mass_kg": 1400, "co2_g_per_km": 120}}]}',
    ],
    ids=["yaml escape", "json escape"],
)
@pytest.mark.parametrize(
    "path", ["/compliance/fleet", "/compliance/fleet/download.csv", "/compliance/fleet/download.xlsx"]
)
def test_an_escaped_lone_surrogate_is_a_400_naming_the_fleet(server, text, path):
    response = post_fleet(server, path, text)
    assert response.status_code == 400, response.text[:300]
    assert 'data-field="fleet"' in response.text


def test_xml_forbidden_characters_in_a_name_do_not_break_the_xlsx(server):
    openpyxl = pytest.importorskip("openpyxl")
    response = post_fleet(server, "/compliance/fleet/download.xlsx", fleet(name='"a\\ufffeb\\uffffc"'))
    assert response.status_code == 200, response.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "abc" in {c.value for row in sheet.iter_rows() for c in row}


@pytest.mark.parametrize(
    "text",
    [
        fleet().replace("co2_g_per_km: 120}", 'co2_g_per_km: 120, "<img src=x onerror=alert(1)>": 1}'),
        fleet() + 'inputs: {"<img src=x onerror=alert(2)>\\"x": 1}\n',
        'vehicles:\n  - sales: 10\n    preset: "<img src=x onerror=alert(3)>"\n',
        CSV_HEAD + ',"<img src=x onerror=alert(4)>"\nA,passenger_car,ICEV,petrol,WLTP,1400,120,10,1\n',
    ],
    ids=["spec key", "inputs key", "preset id", "csv header"],
)
def test_hostile_keys_in_error_messages_and_field_names_are_escaped(server, text):
    response = post_fleet(server, "/compliance/fleet", text)
    assert response.status_code == 400, response.text[:300]
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(" in response.text


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/compliance/fleet", fleet()),
        ("/compliance/fleet", "vehicles: []\n"),
        ("/compliance/fleet/download.csv", fleet()),
        ("/compliance/fleet/download.xlsx", fleet()),
        ("/compliance/fleet/download.csv", ""),
    ],
    ids=["page", "page error", "csv", "xlsx", "csv error"],
)
def test_answers_computed_from_a_sales_mix_are_not_stored(server, path, text):
    response = post_fleet(server, path, text)
    assert response.headers.get("cache-control") == "no-store", (response.status_code, dict(response.headers))


@pytest.mark.browser
def test_odd_unicode_names_and_huge_sales_draw_in_the_browser_as_text(tab):
    """RTL override, zero-width space, combining mark, 4-byte emoji and markup in names, 1e300 sales:
    the page draws its chart (JSON of huge numbers parses), the tooltip shows the name as text, no dialog."""
    page = tab.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = "<b>x</b>\u202eevil\u200b\u0301 \U0001f697"
    text = (
        "vehicles:\n"
        f"  - sales: 1.0e+300\n    spec: {SPEC.replace('MASS', '1400').replace('CO2', '120')}\n"
        f"  - sales: 10\n    spec: {SPEC.replace('MASS', '1500').replace('CO2', '95').replace('{', '{name: ' + repr(name).replace(chr(39), chr(34)) + ', ', 1)}\n"
    )
    tab.open("/compliance/fleet")
    page.select_option("#scheme", SCHEME)
    page.fill("#year", "2025")
    page.fill("#fleet", text)
    page.click("#evaluate-fleet")
    page.wait_for_selector(f'#results section[data-scheme="{SCHEME}"]')
    page.wait_for_selector("#fleet-chart-1[data-ready='1']")
    assert page.locator("#fleet-lines-1 tbody th", has_text="<b>x</b>").count() == 1
    page.evaluate(
        "() => window.roadcarbonFleetComplianceCharts['fleet-chart-1']"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 1})"
    )
    page.wait_for_function("() => document.querySelector('#fleet-chart-1').innerText.includes('<b>x</b>')")
    assert dialogs == []
    assert page.evaluate("() => document.querySelectorAll('#fleet-chart-1 b').length") == 0
    assert tab.unexpected() == []
