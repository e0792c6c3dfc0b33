"""One contract, every sender, each against its real or loopback peer."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dachu.ops.senders.aliyun_sms import AliyunSmsSender, AliyunSmsSettings
from dachu.ops.senders.base import Outgoing, Sender
from dachu.ops.senders.file import FileSender
from dachu.ops.senders.process import SenderProcess
from dachu.ops.senders.robots import DingTalkRobot, FeishuRobot, WeComRobot
from dachu.ops.senders.smtp import SmtpSender, SmtpSettings, message_id
from dachu.ops.senders.webhook import WebhookSender
from tests.peers import chat

GOOD_PHONE = "19900000001"  # 199 0000 000x: obviously fake
BAD_PHONE = "1990000"  # not a mainland mobile number
GOOD_MAIL = "buyer.test@example.com"


def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


@dataclass
class Case:
    make: Callable[[bool], Sender]  # live=False: pointed at a dead peer
    address: str
    bad_address: str | None  # the peer refuses it; None: this channel cannot refuse
    landed: Callable[[str], int]  # how many times the peer got this key
    template: str | None = None


def sms_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    peer = request.getfixturevalue("sms_peer")

    def make(live: bool) -> Sender:
        endpoint = peer.url if live else f"http://127.0.0.1:{dead_port()}/"
        return AliyunSmsSender(
            AliyunSmsSettings(peer.access_key_id, peer.secret, "测试店", endpoint=endpoint, timeout_seconds=3)
        )

    return Case(make, GOOD_PHONE, BAD_PHONE, lambda key: peer.calls().get(key, 0), template="SMS_000001")


def sms_process_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    """The SMS sender as `build_senders` runs it: in a process of its own, over a pipe."""
    peer = request.getfixturevalue("sms_peer")

    def make(live: bool) -> Sender:
        endpoint = peer.url if live else f"http://127.0.0.1:{dead_port()}/"
        return SenderProcess(
            AliyunSmsSender,
            AliyunSmsSettings(peer.access_key_id, peer.secret, "测试店", endpoint=endpoint, timeout_seconds=3),
        )

    return Case(make, GOOD_PHONE, BAD_PHONE, lambda key: peer.calls().get(key, 0), template="SMS_000001")


def smtp_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    peer = request.getfixturevalue("smtp_peer")

    def make(live: bool) -> Sender:
        port = peer.port if live else dead_port()
        return SmtpSender(
            SmtpSettings(
                host="127.0.0.1", port=port, starttls=False, from_address="shop@example.com", timeout_seconds=3
            )
        )

    return Case(make, GOOD_MAIL, "refuse@example.com", lambda key: peer.count(message_id(key, "example.com")))


def webhook_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    peer = request.getfixturevalue("chat_peer")

    def make(live: bool) -> Sender:
        base = peer.base if live else f"http://127.0.0.1:{dead_port()}"
        return WebhookSender(f"{base}/hook", chat.HOOK_SECRET, timeout_seconds=3)

    return Case(make, GOOD_MAIL, "refuse@example.com", lambda key: peer.count(f"key={key};"))


def robot_case(kind: str) -> Callable[[pytest.FixtureRequest, Path], Case]:
    paths = {
        "dingtalk": ("/dingtalk/robot/send?access_token={t}", DingTalkRobot),
        "feishu": ("/feishu/open-apis/bot/v2/hook/{t}", FeishuRobot),
        "wecom": ("/wecom/cgi-bin/webhook/send?key={t}", WeComRobot),
    }

    def build(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
        peer = request.getfixturevalue("chat_peer")
        path, cls = paths[kind]

        def make(live: bool) -> Sender:
            return cls(None, chat.SECRET if kind != "wecom" else None, timeout_seconds=3)

        base = peer.base
        good = base + path.format(t=chat.TOKEN)
        bad = base + path.format(t="wrong-token")
        case = Case(make, good, bad, lambda key: peer.count(key))
        case.dead_address = f"http://127.0.0.1:{dead_port()}" + path.format(t=chat.TOKEN)  # type: ignore[attr-defined]
        return case

    return build


def file_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    target = tmp_path / "催付.csv"

    def make(live: bool) -> Sender:
        if live:
            return FileSender(target)
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        return FileSender(blocker / "催付.csv")  # its folder is a file: the disk refuses

    def landed(key: str) -> int:
        if not target.exists():
            return 0
        return sum(1 for line in target.read_text(encoding="utf-8-sig").splitlines() if line.startswith(key + ","))

    return Case(make, GOOD_PHONE, None, landed)


CASES = {
    "sms": sms_case,
    "sms_process": sms_process_case,
    "email": smtp_case,
    "webhook": webhook_case,
    "dingtalk": robot_case("dingtalk"),
    "feishu": robot_case("feishu"),
    "wecom": robot_case("wecom"),
    "file": file_case,
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    return CASES[request.param](request, tmp_path)


def message(case: Case, address: str, channel: str = "x") -> Outgoing:
    key = f"payment_reminder:b-{uuid.uuid4().hex[:10]}:2026-11-11"
    return Outgoing(
        key=key,
        channel=channel,
        address=address,
        text=f"【测试店】您的订单还未付款 {key}",
        subject=None,
        template_code=case.template,
        params={"item": "野菊蜜", "amount": "29.00", "order_ids": "T0001"},
        called_at=dt.datetime.now(dt.UTC),
    )


PEER_LOGGERS = ("mail.log",)  # aiosmtpd, the peer, logs what it receives: not ours


def assert_no_address(things: object, *addresses: str) -> None:
    text = repr(things)
    for address in addresses:
        assert address not in text


def test_every_message_gets_one_outcome_in_order(case: Case, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sender = case.make(True)
    try:
        good = [message(case, case.address) for _ in range(3)]
        bad = [message(case, case.bad_address)] if case.bad_address else []
        batch = [good[0], *bad, good[1], good[2]]
        outcomes = sender.send(batch)
        assert [o.key for o in outcomes] == [m.key for m in batch]
        for m, o in zip(batch, outcomes, strict=True):
            if m in bad:
                assert o.status == "failed" and o.reason and not o.retryable
                assert case.landed(m.key) == 0 or sender.channel == "sms"  # the SMS peer records refused calls too
            else:
                assert o.status == "sent", o
                assert case.landed(m.key) == 1
        addresses = [GOOD_PHONE, GOOD_MAIL, "refuse@example.com", chat.TOKEN, "wrong-token"]
        if case.bad_address:
            addresses.append(case.bad_address)
        assert_no_address(outcomes, *addresses)
        assert_no_address([r.getMessage() for r in caplog.records if r.name not in PEER_LOGGERS], *addresses)
    finally:
        sender.close()


def test_a_dead_peer_is_failed_and_retryable_never_an_exception(case: Case, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sender = case.make(False)
    try:
        address = getattr(case, "dead_address", case.address)
        batch = [message(case, address), message(case, address)]
        outcomes = sender.send(batch)
        assert [o.key for o in outcomes] == [m.key for m in batch]
        assert all(o.status == "failed" and o.retryable and o.reason for o in outcomes)
        assert_no_address(outcomes, address, GOOD_PHONE, GOOD_MAIL, chat.TOKEN)
        assert_no_address(
            [r.getMessage() for r in caplog.records if r.name not in PEER_LOGGERS],
            address,
            GOOD_PHONE,
            GOOD_MAIL,
            chat.TOKEN,
        )
    finally:
        sender.close()


RECONCILABLE = ("sms", "sms_process", "file")
"""The channels whose provider can be asked what landed; the others never get a second call (the outbox)."""


@pytest.fixture(params=RECONCILABLE, ids=RECONCILABLE)
def reconcilable_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    return CASES[request.param](request, tmp_path)


def test_only_the_channels_that_can_be_asked_say_they_reconcile(case: Case) -> None:
    sender = case.make(True)
    try:
        assert sender.reconcilable == (sender.channel in ("sms", "file"))
    finally:
        sender.close()


def test_reconcile_knows_what_landed(reconcilable_case: Case) -> None:
    case = reconcilable_case
    sender = case.make(True)
    try:
        assert sender.reconcilable
        landed = message(case, case.address)
        never = message(case, case.address)
        assert sender.send([landed])[0].status == "sent"
        outcomes = sender.reconcile([landed, never])
        assert [(o.key, o.status) for o in outcomes] == [(landed.key, "sent"), (never.key, "unknown")]
    finally:
        sender.close()
