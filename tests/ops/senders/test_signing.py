"""Each provider's signing against a worked example computed here by hand (or published by the provider)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

from dachu.ops.senders.aliyun_sms import percent_encode, rpc_signature, string_to_sign
from dachu.ops.senders.robots import dingtalk_sign, feishu_sign
from dachu.ops.senders.smtp import message_id


def test_aliyun_rpc_signature_matches_the_published_example() -> None:
    # The provider's signature documentation: ECS DescribeRegions, AccessKeySecret "testsecret".
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert string_to_sign("GET", params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert rpc_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_send_sms_example_with_a_chinese_sign_name() -> None:
    # The SMS product's own example (SendSms, SignName 阿里云短信测试专用, AccessKeySecret "testSecret").
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert rpc_signature("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_aliyun_signature_recomputed_by_hand_for_a_post() -> None:
    params = {
        "Action": "SendSms",
        "TemplateParam": '{"item":"野菊蜜 礼盒*2"}',
        "OutId": "payment_reminder:b1:2026-11-11",
    }

    def enc(text: str) -> str:  # only A-Z a-z 0-9 - _ . ~ literal, byte by byte
        safe = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
        return "".join(chr(b) if b in safe else f"%{b:02X}" for b in text.encode())

    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    expected = base64.b64encode(hmac.new(b"s3cret&", f"POST&%2F&{enc(canonical)}".encode(), hashlib.sha1).digest())
    assert rpc_signature("POST", params, "s3cret") == expected.decode()
    assert percent_encode("a b*~") == "a%20b%2A~"


def test_dingtalk_sign_for_a_fixed_timestamp() -> None:
    secret, stamp = "SECthis-is-a-test-secret", 1700000000000
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert dingtalk_sign(secret, stamp) == urllib.parse.quote_plus(base64.b64encode(digest).decode())
    assert urllib.parse.unquote_plus(dingtalk_sign(secret, stamp)).endswith("=")


def test_feishu_sign_keys_the_hmac_with_timestamp_and_secret() -> None:
    secret, stamp = "feishu-test-secret", 1599360473
    digest = hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    assert feishu_sign(secret, stamp) == base64.b64encode(digest).decode()
    assert feishu_sign(secret, stamp) != dingtalk_sign(secret, stamp)


def test_message_id_is_one_token_built_from_the_key() -> None:
    assert (
        message_id("payment_reminder:b1:2026-11-11", "shop.example")
        == "<payment_reminder=3Ab1=3A2026-11-11@shop.example>"
    )
