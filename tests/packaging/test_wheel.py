"""The wheel as a researcher installs it: built, installed into a throwaway venv outside the repository.

One module-scoped venv (in pytest's tmp dir, never inside the repo) receives the core wheel first; the
core commands run from a folder outside the repository, then the ``data`` and ``server`` extras are added and
``data validate`` and ``serve`` are checked. pip's own cache (``PIP_CACHE_DIR`` if set) keeps reinstalls quick;
measured on this machine: build 4 s, venv 5 s, core install 16 s, whole module about a minute.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT_S = 300


def _run(
    args: list[str], cwd: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def _clean_env(home: Path) -> dict[str, str]:
    """The user's environment without anything pointing back into the repository or its venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ROADCARBON_", "PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(home)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if str(REPO) not in p)
    env.setdefault("PIP_CACHE_DIR", str(Path(os.environ.get("HOME", str(home))) / ".cache" / "pip"))
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["COLUMNS"] = "80"
    return env


class Installed:
    """A venv with the wheel installed, and a place outside the repository to run it from."""

    def __init__(self, root: Path, wheel: Path) -> None:
        self.root = root
        self.wheel = wheel
        self.venv = root / "venv"
        self.work = root / "elsewhere"
        self.work.mkdir()
        self.env = _clean_env(root / "home")
        (root / "home").mkdir()
        self.exe = self.venv / "bin" / "roadcarbon"
        self.python = self.venv / "bin" / "python"

    def pip_install(self, requirement: str) -> None:
        done = _run(
            [str(self.python), "-m", "pip", "install", "-q", requirement],
            cwd=self.work,
            timeout=INSTALL_TIMEOUT_S,
            env=self.env,
        )
        assert done.returncode == 0, done.stderr[-2000:]

    def cli(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.exe), *args],
            cwd=self.work,
            capture_output=True,
            text=True,
            timeout=120,
            env=env or self.env,
            input=stdin,
            check=False,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    assert REPO not in root.parents, "the throwaway venv must live outside the repository"
    dist = root / "dist"
    started = time.perf_counter()
    built = _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], cwd=root, timeout=300
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheels = list(dist.glob("roadcarbon-*.whl"))
    assert len(wheels) == 1
    box = Installed(root, wheels[0])
    venv.EnvBuilder(with_pip=True, symlinks=True).create(box.venv)
    box.pip_install(str(box.wheel))
    print(f"wheel built and core installed in {time.perf_counter() - started:.0f} s")  # shown with -s
    return box


def _json(done: subprocess.CompletedProcess[str]) -> object:
    assert done.returncode == 0, (done.returncode, done.stderr[-1500:])
    return json.loads(done.stdout)


def test_the_wheel_ships_no_tests_and_the_version_is_single_sourced(installed: Installed) -> None:
    import zipfile

    from roadcarbon import __version__

    names = zipfile.ZipFile(installed.wheel).namelist()
    assert installed.wheel.name.startswith(f"roadcarbon-{__version__}-")
    assert any(n.endswith("data/factors/datapackage.json") for n in names)
    assert not any(n.startswith("tests/") for n in names)
    done = installed.cli("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"roadcarbon {__version__}"


def test_core_install_leaves_the_extras_out(installed: Installed) -> None:
    done = _run(
        [
            str(installed.python),
            "-c",
            "import importlib.util as u; print([m for m in ('frictionless','pint','fastapi','sqlalchemy','pandas','dask') if u.find_spec(m)])",
        ],
        cwd=installed.work,
        env=installed.env,
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_presets_ids_whole_at_80_columns_when_piped(installed: Installed) -> None:
    ids = [p["id"] for p in _json(installed.cli("presets", "--json"))]  # type: ignore[union-attr]
    assert "car-medium-bev" in ids
    table = installed.cli("presets")
    assert table.returncode == 0
    missing = [i for i in ids if i not in table.stdout]
    assert not missing, f"ids cut at 80 columns: {missing}"


def test_lca_and_compare_from_outside_the_repository(installed: Installed) -> None:
    doc = _json(installed.cli("lca", "car-medium-bev", "--country", "Indonesia", "--year", "2025", "--json"))
    assert isinstance(doc, dict) and doc["country"] == "ID" and doc["total_g_co2e_per_km"] > 0
    cmp = _json(
        installed.cli("compare", "car-medium-bev", "car-medium-petrol", "-c", "TH", "-y", "2025", "--json")
    )
    assert isinstance(cmp, dict) and len(cmp["vehicles"]) == 2
    csv_out = installed.cli(
        "compare", "car-medium-bev", "car-medium-petrol", "-c", "TH", "-y", "2025", "--csv"
    )
    assert csv_out.returncode == 0
    assert csv_out.stdout.splitlines()[0] == "vehicle,country,year,stage,value,unit"
    assert len(csv_out.stdout.splitlines()) == 1 + 2 * 7


def test_python_api_with_the_core_install(installed: Installed) -> None:
    code = (
        "import roadcarbon as rc; a = rc.assess(['car-medium-bev'], ['Indonesia'], [2025]); "
        "print(a.countries[0], round(float(a.total_g_co2e_per_km[0, 0, 0]), 1))\n"
        "try:\n    a.to_dataframe()\nexcept ImportError as e:\n    print(e)"
    )
    done = _run([str(installed.python), "-c", code], cwd=installed.work, env=installed.env)
    assert done.returncode == 0, done.stderr[-1500:]
    first, second = done.stdout.splitlines()
    assert first.startswith("ID ") and float(first.split()[1]) > 0
    assert 'pip install "roadcarbon[notebook]"' in second


def test_rules_list_and_evaluate(installed: Installed) -> None:
    schemes = _json(installed.cli("rules", "list", "--json"))
    assert isinstance(schemes, list) and any(s["id"] == "SG.vehicular_emissions_scheme" for s in schemes)
    result = _json(
        installed.cli(
            "rules",
            "evaluate",
            "SG.vehicular_emissions_scheme",
            "car-medium-bev",
            "--on",
            "2024-06-01",
            "--json",
        )
    )
    assert isinstance(result, dict) and "outcome" in result and "trace" in result


def test_rules_compare(installed: Installed) -> None:
    result = installed.cli(
        "rules", "compare", "car-medium-bev", "--on", "2025-06-01", "--market", "SG", "--json"
    )
    assert result.returncode == 0, result.stderr[-1500:]
    assert "Traceback" not in result.stderr


def test_rules_test_finds_and_passes_the_shipped_legal_cases(installed: Installed) -> None:
    done = installed.cli("rules", "test")
    assert done.returncode == 0, (done.stdout[-1500:], done.stderr[-1500:])


OTHER_COMMANDS = [
    ("demo", "--countries", "Indonesia,CL", "--json"),
    ("data", "sources", "--json"),
    ("rules", "show", "SG.vehicular_emissions_scheme"),
    ("rules", "validate"),
    ("fleet", "list", "--json"),
    ("fleet", "run", "cl_santiago_ebus", "--json"),
    ("plan", "th-byd", "--json"),
]


@pytest.mark.parametrize("args", OTHER_COMMANDS, ids=" ".join)
def test_every_other_command_that_needs_no_server(installed: Installed, args: tuple[str, ...]) -> None:
    done = installed.cli(*args)
    assert done.returncode == 0, (done.returncode, done.stderr[-1500:])
    assert "Traceback" not in done.stderr
    if "--json" in args:
        assert json.loads(done.stdout)


def test_stdin_spec_and_interchange_files(installed: Installed) -> None:
    spec = installed.cli("presets", "--json")
    first = dict(json.loads(spec.stdout)[0])
    first.pop("id")
    done = installed.cli("lca", "-", "-c", "ID", "-y", "2025", "--csv", stdin=json.dumps(first))
    assert done.returncode == 0 and done.stdout.startswith("vehicle,country,year,stage,value,unit"), (
        done.stderr
    )
    olca, bw = installed.work / "lca.zip", installed.work / "lca.csv"
    done = installed.cli(
        "lca", "car-medium-bev", "-c", "ID", "-y", "2025", "--olca", str(olca), "--brightway", str(bw)
    )
    assert done.returncode == 0, done.stderr[-1500:]
    import zipfile

    with zipfile.ZipFile(olca) as zf:
        assert any(n.startswith("processes/") for n in zf.namelist())
    assert bw.read_text(encoding="utf-8").startswith("Database,")


def test_extras_are_named_in_one_line_when_missing(installed: Installed) -> None:
    for args, extra in (
        (["data", "validate"], "data"),
        (["serve", "--port", "1"], "server"),
        (["db", "current"], "server"),
        (["batch", "registry.csv", "--out", "out.csv"], "batch"),
    ):
        done = installed.cli(*args)
        assert done.returncode == 2, (args, done.returncode, done.stderr[-800:])
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and f'pip install "roadcarbon[{extra}]"' in lines[0], done.stderr


def test_data_validate_with_its_extra(installed: Installed) -> None:
    installed.pip_install(f"{installed.wheel}[data]")
    done = installed.cli("data", "validate", "--json")
    report = _json(done)
    assert isinstance(report, dict) and report["valid"] is True, report


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_the_server_extra(installed: Installed) -> None:
    installed.pip_install(f"{installed.wheel}[server]")
    port = _free_port()
    env = dict(installed.env)
    env["ROADCARBON_DATABASE_URL"] = f"sqlite:///{installed.root / 'platform.db'}"
    proc = subprocess.Popen(
        [str(installed.exe), "serve", "--port", str(port)],
        cwd=installed.work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5) as reply:
                    assert reply.status == 200
                    body = json.loads(reply.read())
                    break
            except OSError:
                time.sleep(0.5)
    finally:
        proc.terminate()
        try:
            _out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
    assert body is not None, f"no answer from serve (exit {proc.returncode}): {err[-1500:]}"
    assert isinstance(body, dict)
    assert "Traceback" not in err, err[-1500:]
