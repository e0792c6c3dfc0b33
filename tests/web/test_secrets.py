"""The war room's secrets: made once into a 0600 file, never printed; HMAC mode turns the bearer token off;
the webhook has its own secret; used signatures are remembered across a restart."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest

from dachu.app import Workspace
from dachu.app.live import SeenSignatures, load_secrets, sign_headers
from dachu.errors import IngestError
from dachu.web.auth import Guard
from tests.web.process import serving


def test_secrets_are_made_once_owner_only_and_given_ones_never_written(tmp_path: Path) -> None:
    path = tmp_path / "live" / "secrets.json"
    first = load_secrets(path, {"ingest_token": None, "dashboard_token": "from-env", "webhook_secret": None})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = json.loads(path.read_text())
    assert set(kept) == {"ingest_token", "webhook_secret", "address_key"}  # the given one is not written
    assert first.dashboard_token == "from-env" and len(first.ingest_token) >= 24
    again = load_secrets(path, {})
    assert (again.ingest_token, again.webhook_secret) == (first.ingest_token, first.webhook_secret)
    path.chmod(0o644)
    load_secrets(path, {})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # an older, looser file is tightened


def test_hmac_mode_refuses_the_bearer_token() -> None:
    guard = Guard(ingest_token=None, dashboard_token="d", hmac_secret="s")
    with pytest.raises(IngestError) as err:
        guard.check_ingest("Bearer anything", None, None, b"[]", 1_800_000_000)
    assert err.value.key == "warroom.auth.signed_only"
    headers = sign_headers("s", b"[]", 1_800_000_000)
    guard.check_ingest(None, headers["X-Dachu-Timestamp"], headers["X-Dachu-Signature"], b"[]", 1_800_000_000)


def test_a_used_signature_is_remembered_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "signatures.log"
    now = 1_800_000_000
    headers = sign_headers("s", b"[]", now)
    ts, sig = headers["X-Dachu-Timestamp"], headers["X-Dachu-Signature"]
    Guard(None, "d", hmac_secret="s", seen=SeenSignatures(path, 300)).check_ingest(None, ts, sig, b"[]", now)
    restarted = Guard(None, "d", hmac_secret="s", seen=SeenSignatures(path, 300))
    with pytest.raises(IngestError) as err:
        restarted.check_ingest(None, ts, sig, b"[]", now + 10)
    assert err.value.key == "warroom.auth.replayed"


@pytest.mark.slow
def test_serve_never_prints_a_token_and_signs_alerts_with_its_own_secret(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.init("double11", "en")
    with serving(ws.campaign_path, "--lang", "en", env={"DACHU_HMAC_SECRET": "ingest-hmac"}) as served:
        keys = json.loads((tmp_path / "live" / "secrets.json").read_text())
        assert stat.S_IMODE((tmp_path / "live" / "secrets.json").stat().st_mode) == 0o600
        # the bearer token is off in HMAC mode, even the right one
        r = httpx.post(f"{served.url}/api/events", content=b"[]",
                       headers={"Authorization": f"Bearer {keys['ingest_token']}"}, timeout=10)
        assert (r.status_code, r.json()["error"]["code"]) == (401, "warroom.auth.signed_only")
        ok = httpx.get(f"{served.url}/api/snapshot", headers={"Authorization": f"Bearer {keys['dashboard_token']}"},
                       timeout=10)
        assert ok.status_code == 200
    printed = served.out.read_text() + served.err.read_text()
    assert "secrets.json" in printed
    for value in (*keys.values(), "ingest-hmac"):
        assert value not in printed
    assert keys["webhook_secret"] != "ingest-hmac"
