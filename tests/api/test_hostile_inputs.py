"""Bad input that used to give 500 (issue 13, item 8): every one is a 4xx problem+json now, on both databases."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest


def _problem(r: httpx.Response, *status: int) -> dict[str, Any]:
    assert r.status_code in status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    return body


@pytest.mark.parametrize("raw", ["²", "１", "٣", "1²"])
def test_non_ascii_digits_in_ids_are_4xx(server: Any, raw: str) -> None:
    with server.client() as c:
        for path in (f"/api/v1/vehicles/{raw}", f"/api/v1/contributions/{raw}", f"/api/v1/results/{raw}"):
            r = c.get(path)
            assert r.status_code in (404, 422), (path, r.status_code, r.text[:200])


def test_non_latin1_download_names_use_rfc6266_filename_star(server: Any) -> None:
    with server.client() as c:
        r = c.get(f"/api/v1/datasets/{quote('データ')}/rows", params={"format": "csv"})
    # the dataset does not exist: 404, not a 500 from encoding the header
    _problem(r, 404)
    from roadcarbon.api.responses import content_disposition

    header = content_disposition("dataset-データ.csv")
    header.encode("latin-1")  # a header value must be Latin-1
    assert "filename*=UTF-8''dataset-%E3%83%87%E3%83%BC%E3%82%BF.csv" in header
    assert 'filename="dataset-___.csv"' in header


def test_long_preset_ids_are_4xx(server: Any) -> None:
    with server.client() as c:
        r = c.post("/api/v1/lca", json={"preset": "x" * 300, "country": "ID", "year": 2024})
        assert 400 <= r.status_code < 500, r.text[:300]
        r = c.get("/api/v1/presets/" + "x" * 300)
        assert 400 <= r.status_code < 500


def test_nul_bytes_are_refused_alike_on_both_databases(server: Any) -> None:
    with server.client(server.token_of("contributor")) as c:
        r = c.post("/api/v1/supply-chain", json={"label": "a\x00b", "battery_origin_country": "IS"})
        body = _problem(r, 422)
        assert "label" in str(body)
        r = c.get("/api/v1/vehicles", params={"q": "a\x00b"})
        assert r.status_code in (200, 422), r.text[:300]


def test_chunked_body_over_the_limit_is_413(sqlite_server: Any) -> None:
    def chunks() -> Any:
        for _ in range(50):
            yield b" " * 1000

    with sqlite_server.client() as c:
        r = c.post("/api/v1/lca", content=chunks(), headers={"content-type": "application/json"})
    _problem(r, 413)


def test_deep_json_is_422_naming_the_body(server: Any) -> None:
    deep = "[" * 5000 + "]" * 5000
    with server.client() as c:
        r = c.post("/api/v1/lca", content=deep, headers={"content-type": "application/json"})
    body = _problem(r, 422)
    assert "body" in str(body)
