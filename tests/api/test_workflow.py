"""The contribution workflow over HTTP: draft → submit → review → release, with its audit trail."""

from __future__ import annotations

import secrets
from typing import Any

from platform_helpers import BEV_SPEC


def _contribution(name: str) -> dict[str, Any]:
    return {
        "title": f"Add {name}",
        "sources": ["maker's homologation sheet (test)"],
        "license": "CC-BY-4.0",
        "changes": [{"target_type": "vehicle", "payload": dict(BEV_SPEC, name=name)}],
    }


def _xlsx_text(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
    )


def test_contribution_is_reviewed_released_and_audited(server: Any) -> None:
    name = f"Workflow BEV {secrets.token_hex(3)}"
    contributor = server.client(server.token_of("contributor"))
    reviewer = server.client(server.token_of("reviewer"))
    maintainer = server.client(server.token_of("maintainer"))
    anonymous = server.client()
    with contributor, reviewer, maintainer, anonymous:
        # anonymous reads are cached until the next write; read before, to prove the cache is invalidated
        releases_before = anonymous.get("/api/v1/releases").json()["total"]
        assert anonymous.get("/api/v1/vehicles", params={"q": name}).json()["total"] == 0
        r = contributor.post("/api/v1/contributions", json=_contribution(name))
        assert r.status_code == 201, r.text
        draft = r.json()
        assert r.headers["ETag"] == draft["etag"]
        assert anonymous.get(f"/api/v1/contributions/{draft['id']}").status_code == 404
        r = contributor.post(
            f"/api/v1/contributions/{draft['id']}/submit", headers={"If-Match": draft["etag"]}
        )
        assert r.status_code == 200, r.text
        assert r.json()["impact"]["headline"][0]["after"] > 0
        # the author's organisation may not review; a reviewer approves
        assert (
            contributor.post(
                f"/api/v1/contributions/{draft['id']}/review", json={"decision": "approve", "comment": "mine"}
            ).status_code
            == 403
        )
        r = reviewer.post(
            f"/api/v1/contributions/{draft['id']}/review", json={"decision": "approve", "comment": "ok"}
        )
        assert r.status_code == 200, r.text
        tag = f"http-{secrets.token_hex(3)}"
        assert contributor.post("/api/v1/releases", json={"tag": tag, "title": "x"}).status_code == 403
        r = maintainer.post("/api/v1/releases", json={"tag": tag, "title": "HTTP release"})
        assert r.status_code == 201, r.text
        assert draft["id"] in r.json()["contributions"]
        release = anonymous.get(f"/api/v1/releases/{tag}").json()
        assert release["sha256"] == r.json()["sha256"]
        after = anonymous.get("/api/v1/releases").json()
        assert after["total"] == releases_before + 1
        assert tag in [x["tag"] for x in after["items"]]
        listed = anonymous.get("/api/v1/vehicles", params={"q": name}).json()
        assert [v["name"] for v in listed["items"]] == [name]
        published = anonymous.get(f"/api/v1/contributions/{draft['id']}").json()
        assert published["status"] == "published"
        trail = anonymous.get(
            "/api/v1/audit", params={"target_type": "contribution", "target_id": str(draft["id"])}
        ).json()["items"]
        # anonymous callers see the publication; the draft, submission and review trail (with the
        # reviewer's comment) stay with the organisation and maintainers (issue 13, item 3)
        assert [e["action"] for e in reversed(trail)] == ["contribution.publish"]
        own_trail = contributor.get(
            "/api/v1/audit", params={"target_type": "contribution", "target_id": str(draft["id"])}
        ).json()["items"]
        assert own_trail[-1]["action"] == "contribution.create"
        # the CSV and XLSX exports of the audit log leak nothing more than the JSON (issue 13, item 3)
        for fmt in ("csv", "xlsx"):
            export = anonymous.get("/api/v1/audit", params={"per_page": 200, "format": fmt})
            assert export.status_code == 200
            text = export.text if fmt == "csv" else _xlsx_text(export.content)
            assert "contribution.publish" in text
            assert draft["title"] not in text
            assert "contribution.submit" not in text
        assert {"contribution.submit", "contribution.approved", "contribution.publish"} <= {
            e["action"] for e in own_trail
        }
        assert maintainer.post("/api/v1/releases", json={"tag": tag, "title": "again"}).status_code == 409


def test_rejected_change_set_can_be_fixed_and_resubmitted(server: Any) -> None:
    contributor = server.client(server.token_of("contributor"))
    reviewer = server.client(server.token_of("reviewer"))
    with contributor, reviewer:
        draft = contributor.post(
            "/api/v1/contributions", json=_contribution(f"Rejected {secrets.token_hex(3)}")
        ).json()
        contributor.post(f"/api/v1/contributions/{draft['id']}/submit")
        r = reviewer.post(
            f"/api/v1/contributions/{draft['id']}/review",
            json={"decision": "reject", "comment": "cite the sheet"},
        )
        assert r.json()["status"] == "rejected"
        assert r.json()["comments"][-1]["body"] == "cite the sheet"
        etag = contributor.get(f"/api/v1/contributions/{draft['id']}").headers["ETag"]
        r = contributor.patch(
            f"/api/v1/contributions/{draft['id']}",
            json={"sources": ["sheet p. 3"]},
            headers={"If-Match": etag},
        )
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "draft"
        assert contributor.post(f"/api/v1/contributions/{draft['id']}/submit").json()["status"] == "submitted"


def test_submitting_an_invalid_change_set_is_a_422_with_the_report(server: Any) -> None:
    with server.client(server.token_of("contributor")) as contributor:
        body = _contribution("Broken")
        body["changes"][0]["payload"] = dict(BEV_SPEC, battery_capacity_kwh=0)
        draft = contributor.post("/api/v1/contributions", json=body).json()
        assert draft["validation_report"]["valid"] is False
        r = contributor.post(f"/api/v1/contributions/{draft['id']}/submit")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["field"].startswith("changes.0.payload")
    assert r.json()["validation_report"]["valid"] is False
