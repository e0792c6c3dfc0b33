"""A workspace for sending reminders to the loopback SMS gateway: a campaign and a store of unpaid orders.

Shared by the kill -9 tests (tests/ops/test_outbox_crash.py) and bench/remind.py.
"""

from __future__ import annotations

from pathlib import Path

from dachu.app import example_text
from dachu.data.store import Store


def make_workspace(root: Path, peer_url: str, buyers: int, *, key_env: str, secret_env: str) -> Path:
    """A campaign sending SMS to `peer_url` (credentials in `key_env`/`secret_env`) and a store of `buyers`
    unpaid orders, one per buyer, placed 10:00–10:15 on the event day; the campaign file's path."""
    root.mkdir(parents=True, exist_ok=True)
    campaign = root / "campaign.yaml"
    campaign.write_text(
        example_text("double11", "zh")
        + "\nsenders:\n"
        + "  reconcile_after_seconds: 1\n"
        + "  sms:\n"
        + "    sign_name: 测试店\n"
        + f"    endpoint: {peer_url}\n"
        + f"    access_key_id_env: {key_env}\n"
        + f"    access_key_secret_env: {secret_env}\n",
        encoding="utf-8",
    )
    buyer = "'b' || lpad(i::VARCHAR, 7, '0')"
    with Store.open(root / "dachu.duckdb") as store:
        store.con.execute(
            "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, total_amount, paid_amount) "
            f"SELECT 'tmall', 'T' || i, {buyer}, 'pending_payment', "
            "TIMESTAMP '2026-11-11 10:00:00' + to_seconds(i % 900), 59.00, 0 FROM range(?) t(i)",
            [buyers],
        )
        store.con.execute(
            "INSERT INTO order_lines (platform, order_id, line_no, sku) SELECT 'tmall', 'T' || i, 1, 'A01' "
            "FROM range(?) t(i)",
            [buyers],
        )
        # numbers of the unassigned 1000 prefix: no phone anywhere has them
        store.con.execute(
            "INSERT INTO contacts (platform, order_id, buyer_key, mobile) "
            f"SELECT 'tmall', 'T' || i, {buyer}, '1000' || lpad(i::VARCHAR, 7, '0') FROM range(?) t(i)",
            [buyers],
        )
    return campaign
