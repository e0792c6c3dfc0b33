"""What each sender does beyond the contract: torn files, throttling, timeouts, pushed reports, config."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dachu.domain.campaign.senders import SendersSettings
from dachu.i18n import t
from dachu.ops.senders.aliyun_sms import AliyunSmsSender, AliyunSmsSettings, parse_sms_reports, parse_sms_up
from dachu.ops.senders.base import Outgoing
from dachu.ops.senders.common import describe_reason, mask_address
from dachu.ops.senders.config import SenderNotConfigured, build_senders
from dachu.ops.senders.file import FileSender


def sms(key: str, phone: str = "19900000002") -> Outgoing:  # 1990000000x: obviously fake numbers
    return Outgoing(
        key=key,
        channel="sms",
        address=phone,
        text="x",
        template_code="SMS_000001",
        params={"amount": "29.00"},
        called_at=dt.datetime.now(dt.UTC),
    )


def test_masks() -> None:
    assert mask_address("13800001234") == "138****1234"
    assert mask_address("alice@example.com") == "a***@example.com"
    assert mask_address("https://oapi.dingtalk.com/robot/send?access_token=abc") == "https://oapi.dingtalk.com/***"


def test_file_sender_writes_bom_header_and_masked_rows(tmp_path: Path) -> None:
    path = tmp_path / "qianniu.csv"
    sender = FileSender(path)
    message = Outgoing(
        key="k1", channel="file", address="13800001234", text='您好，"野菊蜜"\n还未付款', params={"order_ids": "T1,T2"}
    )
    assert sender.send([message])[0].status == "sent"
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith(t("senders.file.key", "zh"))
    assert "138****1234" in text and "13800001234" not in text and "T1,T2" in text


def test_a_torn_last_row_is_never_counted_and_cut_before_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "qianniu.csv"
    sender = FileSender(path)
    sender.send([Outgoing(key="k1", channel="file", address="13800001234", text="一")])
    with path.open("ab") as handle:  # a crash in the middle of a row with an open quote
        handle.write('k2,,138****1234,"半行'.encode())
    torn = Outgoing(key="k2", channel="file", address="13800001234", text="半行")
    assert sender.reconcile([torn])[0].status == "unknown"
    sender.send([torn])
    assert sender.keys() == {"k1", "k2"}
    assert path.read_text(encoding="utf-8-sig").count("k2,") == 1


def test_sms_throttling_is_retryable_and_a_bad_number_is_not(sms_peer) -> None:
    sender = AliyunSmsSender(
        AliyunSmsSettings(sms_peer.access_key_id, sms_peer.secret, "测试店", endpoint=sms_peer.url)
    )
    try:
        sms_peer.control(throttle=1)
        throttled, bad = sender.send([sms("t1"), sms("t2", phone="123")])
        assert (throttled.status, throttled.reason, throttled.retryable) == (
            "failed",
            "isv.BUSINESS_LIMIT_CONTROL",
            True,
        )
        assert (bad.status, bad.reason, bad.retryable) == ("failed", "isv.MOBILE_NUMBER_ILLEGAL", False)
        assert "123" not in describe_reason(bad.reason, "en")
    finally:
        sender.close()


def test_sms_wrong_secret_is_refused_as_the_provider_does(sms_peer) -> None:
    sender = AliyunSmsSender(AliyunSmsSettings(sms_peer.access_key_id, "wrong", "测试店", endpoint=sms_peer.url))
    try:
        outcome = sender.send([sms("w1")])[0]
        assert (outcome.status, outcome.reason, outcome.retryable) == ("failed", "SignatureDoesNotMatch", False)
    finally:
        sender.close()


def test_sms_timeout_is_failed_retryable(sms_peer) -> None:
    sender = AliyunSmsSender(
        AliyunSmsSettings(sms_peer.access_key_id, sms_peer.secret, "测试店", endpoint=sms_peer.url, timeout_seconds=0.3)
    )
    sms_peer.control(stall_seconds=1)
    try:
        outcome = sender.send([sms("slow1")])[0]
        assert (outcome.status, outcome.reason, outcome.retryable) == ("failed", "senders.timeout", True)
    finally:
        sms_peer.control(stall_seconds=0)
        sender.close()


def test_sms_delivery_failure_shows_in_reconcile_and_in_pushed_reports(sms_peer, chat_peer) -> None:
    sms_peer.control(fail_numbers=["19900000009"])
    sender = AliyunSmsSender(
        AliyunSmsSettings(sms_peer.access_key_id, sms_peer.secret, "测试店", endpoint=sms_peer.url)
    )
    try:
        message = sms("undelivered-1", phone="19900000009")
        assert sender.send([message])[0].status == "sent"  # accepted; the carrier fails it later
        outcome = sender.reconcile([message])[0]
        assert (outcome.status, outcome.reason) == ("failed", "senders.delivery_failed UNDELIV")
    finally:
        sender.close()
    report = json.dumps(
        [
            {
                "phone_number": "19900000009",
                "send_time": "2026-11-11 00:00:01",
                "report_time": "2026-11-11 00:00:03",
                "success": False,
                "err_code": "UNDELIV",
                "err_msg": "失败",
                "sms_size": "1",
                "biz_id": "1^0",
                "out_id": "k9",
            },
            {
                "phone_number": "19900000002",
                "send_time": "2026-11-11 00:00:01",
                "report_time": "2026-11-11 00:00:03",
                "success": True,
                "err_code": "DELIVERED",
                "err_msg": "用户接收成功",
                "sms_size": "1",
                "biz_id": "2^0",
                "out_id": "k2",
            },
        ],
        ensure_ascii=False,
    )
    failed, sent = parse_sms_reports(report)
    assert (failed.key, failed.status, sent.key, sent.status, sent.provider_id) == ("k9", "failed", "k2", "sent", "2^0")
    assert "19900000009" not in repr(failed)


def test_uplink_replies_mark_opt_out() -> None:
    replies = parse_sms_up(
        json.dumps(
            [
                {
                    "phone_number": "19900000003",
                    "content": " td ",
                    "send_time": "2026-11-11 10:00:00",
                    "sign_name": "测试店",
                },
                {
                    "phone_number": "19900000004",
                    "content": "退订",
                    "send_time": "2026-11-11 10:00:00",
                    "sign_name": "测试店",
                },
                {
                    "phone_number": "19900000005",
                    "content": "好的，马上付款",
                    "send_time": "2026-11-11 10:00:00",
                    "sign_name": "测试店",
                },
            ],
            ensure_ascii=False,
        )
    )
    assert [r.opt_out for r in replies] == [True, True, False]
    assert "19900000003" not in repr(replies[0])


def test_build_senders_defaults_to_the_file_and_reads_secrets_from_env(tmp_path: Path) -> None:
    senders = build_senders(SendersSettings(), {}, base=tmp_path)
    assert list(senders) == ["file"]
    settings = SendersSettings.model_validate({"sms": {"sign_name": "测试店"}, "wecom": {"url_env": "DACHU_WECOM_URL"}})
    with pytest.raises(SenderNotConfigured) as error:
        build_senders(settings, {}, base=tmp_path)
    assert "DACHU_ALIYUN_SMS_KEY_ID" in str(error.value)
    env = {
        "DACHU_ALIYUN_SMS_KEY_ID": "LTAI-test",
        "DACHU_ALIYUN_SMS_SECRET": "s",
        "DACHU_WECOM_URL": "http://127.0.0.1:9/x",
    }
    senders = build_senders(settings, env, base=tmp_path)
    assert set(senders) == {"file", "sms", "wecom"}
    for sender in senders.values():
        sender.close()


def test_the_campaign_file_names_variables_never_secrets() -> None:
    with pytest.raises(ValueError):
        SendersSettings.model_validate({"sms": {"access_key_secret_env": "my secret value!"}})
    with pytest.raises(ValueError):
        SendersSettings.model_validate({"sms": {"access_key_secret": "abc"}})
