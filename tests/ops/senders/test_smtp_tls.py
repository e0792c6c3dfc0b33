"""SMTP over STARTTLS with a login, against aiosmtpd on loopback with a certificate made for the test.

The peer requires STARTTLS before MAIL and AUTH (LOGIN or PLAIN) only over TLS; the sender verifies the
certificate against the CA file it is told to trust, never with verification off.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dachu.i18n import has
from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import describe_reason
from dachu.ops.senders.smtp import SmtpSender, SmtpSettings, message_id
from tests.conftest import need
from tests.peers.smtp import SmtpPeer, certificates_available

USER, PASSWORD = "shop@example.com", "s3cret-Pa55word!"
BUYER = "buyer-7f3a@example.com"


@pytest.fixture(scope="module")
def tls_peer() -> Iterator[SmtpPeer]:
    need(certificates_available(), "STARTTLS test: neither the cryptography package nor the openssl command")
    peer = SmtpPeer(tls=True, users={USER: PASSWORD})
    yield peer
    peer.stop()


def sender(peer: SmtpPeer, *, password: str = PASSWORD, ca_file: str | None = None) -> SmtpSender:
    return SmtpSender(
        SmtpSettings(
            host="127.0.0.1",
            port=peer.port,
            from_address=USER,
            starttls=True,
            username=USER,
            password=password,
            ca_file=peer.ca_file if ca_file is None else ca_file,
            timeout_seconds=5,
        )
    )


def message(address: str = BUYER) -> Outgoing:
    key = f"payment_reminder:b-{uuid.uuid4().hex[:10]}:2026-11-11"
    return Outgoing(key=key, channel="email", address=address, text="您的订单还未付款", subject="催付")


def secrets_in(text: str) -> list[str]:
    """Which forms of the password (and of the login, which AUTH PLAIN carries with it) `text` holds."""
    forms = {
        PASSWORD,
        base64.b64encode(PASSWORD.encode()).decode(),  # AUTH LOGIN's second answer
        base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode(),  # AUTH PLAIN's one answer
    }
    return [form for form in forms if form in text]


def send_one(s: SmtpSender, m: Outgoing) -> Outcome:
    try:
        [outcome] = s.send([m])
    finally:
        s.close()
    return outcome


def test_a_message_goes_over_starttls_with_a_login_and_arrives_once(tls_peer: SmtpPeer) -> None:
    m = message()
    outcome = send_one(sender(tls_peer), m)
    assert outcome.status == "sent", outcome
    assert tls_peer.count(message_id(m.key, "example.com")) == 1
    index = next(i for i, x in enumerate(tls_peer.messages) if x["Message-ID"] == message_id(m.key, "example.com"))
    assert tls_peer.sessions[index] == (True, USER)  # over TLS, logged in


def test_a_wrong_password_fails_for_good_and_names_no_address_or_password(tls_peer: SmtpPeer) -> None:
    m = message()
    before = len(tls_peer.messages)
    outcome = send_one(sender(tls_peer, password="wrong-password"), m)
    assert (outcome.status, outcome.retryable) == ("failed", False)
    assert outcome.reason == "senders.smtp_login_refused 535"
    text = repr(outcome) + describe_reason(outcome.reason, "zh") + describe_reason(outcome.reason, "en")
    for secret in (BUYER, USER, "wrong-password", PASSWORD):
        assert secret not in text
    assert len(tls_peer.messages) == before


def test_a_certificate_the_sender_does_not_trust_fails_with_a_clear_reason(tls_peer: SmtpPeer) -> None:
    before = len(tls_peer.messages)
    outcomes = sender(tls_peer, ca_file=tls_peer.other_ca_file).send([message(), message()])
    assert [(o.status, o.retryable) for o in outcomes] == [("failed", False)] * 2
    reason = outcomes[0].reason or ""
    assert reason.startswith("senders.tls_untrusted ") and has("senders.tls_untrusted")
    assert "ca_file" in describe_reason(reason, "en") and "ca_file" in describe_reason(reason, "zh")
    assert len(tls_peer.messages) == before  # nothing went, not even in clear


def test_the_systems_cas_do_not_trust_a_private_ca(tls_peer: SmtpPeer) -> None:
    s = SmtpSender(
        SmtpSettings(host="127.0.0.1", port=tls_peer.port, from_address=USER, username=USER, password=PASSWORD)
    )
    outcome = send_one(s, message())
    assert outcome.status == "failed" and (outcome.reason or "").startswith("senders.tls_untrusted ")


def test_a_ca_file_that_cannot_be_read_fails_before_connecting(tls_peer: SmtpPeer) -> None:
    outcome = send_one(sender(tls_peer, ca_file="/nonexistent/ca.pem"), message())
    assert (outcome.status, outcome.reason, outcome.retryable) == ("failed", "senders.tls_ca_unreadable", False)


def test_a_server_without_starttls_is_never_sent_to_in_clear() -> None:
    plain = SmtpPeer()
    try:
        s = SmtpSender(SmtpSettings(host="127.0.0.1", port=plain.port, from_address=USER, starttls=True))
        outcome = send_one(s, message())
        assert (outcome.status, outcome.reason, outcome.retryable) == ("failed", "senders.smtp_no_starttls", False)
        assert plain.messages == []
    finally:
        plain.stop()


def test_the_password_never_reaches_a_log_or_an_outcome(tls_peer: SmtpPeer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    outcomes = [
        *sender(tls_peer).send([message()]),
        *sender(tls_peer, password=PASSWORD + "x").send([message()]),
        *sender(tls_peer, ca_file=tls_peer.other_ca_file).send([message()]),
    ]
    assert [o.status for o in outcomes] == ["sent", "failed", "failed"]
    # the peer's own log (aiosmtpd's mail.log) included: nothing anywhere in the process logs the secret
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    assert secrets_in(logged) == [] and secrets_in(repr(outcomes)) == []
    assert PASSWORD not in repr(sender(tls_peer).settings)  # nor the settings' repr (a traceback's locals)


def test_the_contract_keys_still_hold_on_a_tls_server(tls_peer: SmtpPeer) -> None:
    """A refused recipient is still per message, after STARTTLS and login."""
    batch = [message(), message("refuse@example.com"), message()]
    outcomes = sender(tls_peer).send(batch)
    assert [o.status for o in outcomes] == ["sent", "failed", "sent"]
    assert outcomes[1].reason == "senders.smtp_refused 550" and not outcomes[1].retryable
    assert all(o.key == m.key for o, m in zip(outcomes, batch, strict=True))
    assert dt.date(2026, 11, 11).isoformat() in outcomes[0].key


def test_the_campaigns_ca_file_reaches_the_sender_relative_to_the_campaign(tmp_path: Path) -> None:
    from dachu.domain.campaign.senders import SendersSettings
    from dachu.ops.senders.config import build_senders

    settings = SendersSettings.model_validate({"email": {"host": "127.0.0.1", "from_address": "shop@example.com",
                                                         "ca_file": "certs/ca.pem"}})
    senders = build_senders(settings, {}, base=tmp_path)
    try:
        assert senders["email"].settings.ca_file == str(tmp_path / "certs" / "ca.pem")  # type: ignore[attr-defined]
    finally:
        for sender in senders.values():
            sender.close()
