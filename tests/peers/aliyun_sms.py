"""A loopback Alibaba Cloud SMS (dysmsapi 2017-05-25) that checks what the real one checks.

Every RPC call's signature is recomputed here from the known secret, independently of dachu's code
(wrong → HTTP 400 `SignatureDoesNotMatch`); a reused `SignatureNonce` is refused (`SignatureNonceUsed`), a
timestamp more than 15 minutes off is refused (`InvalidTimeStamp.Expired`), an unknown AccessKeyId is
`InvalidAccessKeyId.NotFound`, a number that is not a mainland mobile (1 + 10 digits) is
`isv.MOBILE_NUMBER_ILLEGAL`. Each `SendSms` is recorded under its OutId, so a test can assert at most one call
per key; `QuerySendDetails` answers from those records.

Control endpoints (JSON): `GET /_calls` → {"calls": {out_id: n}, "total": n}; `POST /_control` with any of
`fail_numbers` (delivered → failed, SendStatus 2, err_code `UNDELIV`), `refuse_numbers` (answered
`isv.MOBILE_NUMBER_ILLEGAL`), `throttle` (the next n SendSms answer `isv.BUSINESS_LIMIT_CONTROL`),
`stall_seconds` (wait before answering, for timeouts), `reset`; `POST /_push` {"url": ...} posts the
not-yet-reported deliveries to `url` as one SmsReport array.

Run it apart: `python -m tests.peers.aliyun_sms --port 0 --secret S` prints `PORT <n>` and serves until
killed. It is a plain asyncio protocol (no framework) so that one core serves > 8,000 calls a second.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

CHINA = dt.timezone(dt.timedelta(hours=8))
MOBILE = re.compile(r"^1\d{10}$")


_RESERVED = re.compile(r"[^A-Za-z0-9_.~-]+")


def _escape(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8"))


@functools.lru_cache(maxsize=4096)
def _enc(text: str) -> str:
    # RFC 3986: only the unreserved A-Z a-z 0-9 - _ . ~ stay literal; written here, not taken from dachu
    return _RESERVED.sub(_escape, text)


def _parse_form(body: bytes) -> dict[str, str]:
    params = {}
    for pair in body.decode().split("&"):
        name, _, value = pair.partition("=")
        params[unquote_plus(name) if "%" in name or "+" in name else name] = (
            unquote_plus(value) if "%" in value or "+" in value else value
        )
    return params


@functools.lru_cache(maxsize=64)
def _parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def expected_signature(method: str, params: dict[str, str], secret: str) -> str:
    canonical = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted(params.items()) if k != "Signature")
    # canonical holds only unreserved characters, %XX, = and &: encoding it again is three replacements
    to_sign = f"{method}&{_enc('/')}&" + canonical.replace("%", "%25").replace("=", "%3D").replace("&", "%26")
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class SmsState:
    def __init__(self, secret: str, access_key_id: str) -> None:
        self.secret = secret
        self.access_key_id = access_key_id
        self.reset()

    def reset(self) -> None:
        self.calls: dict[str, int] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.unreported: list[dict[str, Any]] = []
        self.nonces: set[str] = set()
        self.fail_numbers: set[str] = set()
        self.refuse_numbers: set[str] = set()
        self.throttle = 0
        self.stall = 0.0
        self.total = 0
        self.seq = 0

    def rpc(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        request_id = f"PEER-{self.seq}"
        self.seq += 1

        def error(status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
            return status, {"RequestId": request_id, "Code": code, "Message": message}

        for name in ("AccessKeyId", "Action", "SignatureNonce", "Timestamp", "Signature", "SignatureMethod"):
            if name not in params:
                return error(400, "MissingParameter", f"{name} is mandatory for this action.")
        if params["AccessKeyId"] != self.access_key_id:
            return error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
            return error(400, "InvalidParameter", "SignatureMethod/SignatureVersion")
        if not hmac.compare_digest(params["Signature"], expected_signature(method, params, self.secret)):
            return error(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        try:
            stamp = _parse_stamp(params["Timestamp"])
        except ValueError:
            return error(400, "InvalidTimeStamp.Format", "Specified time stamp does not conform to ISO8601.")
        if abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) > 900:
            return error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        if params["SignatureNonce"] in self.nonces:
            return error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(params["SignatureNonce"])
        if params.get("Version") != "2017-05-25" or params.get("Format") != "JSON":
            return error(400, "InvalidVersion", "Specified parameter Version/Format is not valid.")
        if params["Action"] == "SendSms":
            return self.send_sms(params, request_id)
        if params["Action"] == "QuerySendDetails":
            return self.query(params, request_id)
        return error(404, "InvalidAction.NotFound", "Specified api is not found.")

    def send_sms(self, params: dict[str, str], request_id: str) -> tuple[int, dict[str, Any]]:
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not params.get(name):
                return 400, {"RequestId": request_id, "Code": "MissingParameter", "Message": name}
        out_id = params.get("OutId", "")
        self.total += 1
        self.calls[out_id] = self.calls.get(out_id, 0) + 1
        phone = params["PhoneNumbers"]
        try:
            json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return 200, {"RequestId": request_id, "Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法"}
        if self.throttle > 0:
            self.throttle -= 1
            return 200, {
                "RequestId": request_id,
                "Code": "isv.BUSINESS_LIMIT_CONTROL",
                "Message": "触发分钟级流控Permits:1",
            }
        if not MOBILE.match(phone) or phone in self.refuse_numbers:
            return 200, {"RequestId": request_id, "Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
        biz_id = f"{self.seq:012d}^0"
        now = dt.datetime.now(CHINA)
        failed = phone in self.fail_numbers
        record = {
            "PhoneNum": phone,
            "SendStatus": 2 if failed else 3,
            "ErrCode": "UNDELIV" if failed else "DELIVERED",
            "TemplateCode": params["TemplateCode"],
            "Content": f"【{params['SignName']}】",
            "OutId": out_id,
            "SendDate": now.strftime("%Y-%m-%d %H:%M:%S"),
            "ReceiveDate": now.strftime("%Y-%m-%d %H:%M:%S"),
            "_day": now.strftime("%Y%m%d"),
            "_biz": biz_id,
        }
        self.records.setdefault(phone, []).append(record)
        self.unreported.append(record)
        return 200, {"RequestId": request_id, "Code": "OK", "Message": "OK", "BizId": biz_id}

    def query(self, params: dict[str, str], request_id: str) -> tuple[int, dict[str, Any]]:
        phone, day = params.get("PhoneNumber", ""), params.get("SendDate", "")
        size, page = int(params.get("PageSize") or 10), int(params.get("CurrentPage") or 1)
        if not phone or not re.fullmatch(r"\d{8}", day) or not 1 <= size <= 50:
            return 400, {"RequestId": request_id, "Code": "isv.INVALID_PARAMETERS", "Message": "参数异常"}
        rows = [r for r in self.records.get(phone, []) if r["_day"] == day]
        if params.get("BizId"):
            rows = [r for r in rows if r["_biz"] == params["BizId"]]
        chunk = rows[(page - 1) * size : page * size]
        dtos = [{k: v for k, v in r.items() if not k.startswith("_")} for r in chunk]
        return 200, {
            "RequestId": request_id,
            "Code": "OK",
            "Message": "OK",
            "TotalCount": len(rows),
            "SmsSendDetailDTOs": {"SmsSendDetailDTO": dtos},
        }

    def reports(self) -> list[dict[str, Any]]:
        out = [
            {
                "phone_number": r["PhoneNum"],
                "send_time": r["SendDate"],
                "report_time": r["ReceiveDate"],
                "success": r["SendStatus"] == 3,
                "err_code": r["ErrCode"],
                "err_msg": "用户接收成功" if r["SendStatus"] == 3 else "失败",
                "sms_size": "1",
                "biz_id": r["_biz"],
                "out_id": r["OutId"],
            }
            for r in self.unreported
        ]
        self.unreported = []
        return out

    def control(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("reset"):
            self.reset()
        self.fail_numbers |= set(body.get("fail_numbers", ()))
        self.refuse_numbers |= set(body.get("refuse_numbers", ()))
        self.throttle = int(body.get("throttle", self.throttle))
        self.stall = float(body.get("stall_seconds", self.stall))
        return {"ok": True}


def _response(status: int, payload: Any) -> bytes:
    body = json.dumps(payload, ensure_ascii=False).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "OK")
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json;charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class _Protocol(asyncio.Protocol):
    def __init__(self, state: SmsState) -> None:
        self.state = state
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            method, target = lines[0].split(" ")[:2]
            self.handle(method, target, body)

    def handle(self, method: str, target: str, body: bytes) -> None:
        state = self.state
        path, _, query = target.partition("?")
        if path == "/_calls":
            reply = _response(200, {"calls": state.calls, "total": state.total})
        elif path == "/_control":
            reply = _response(200, state.control(json.loads(body or b"{}")))
        elif path == "/_push":
            url = json.loads(body)["url"]
            reports = state.reports()
            asyncio.get_running_loop().run_in_executor(None, _post_json, url, reports)
            reply = _response(200, {"pushed": len(reports)})
        elif path == "/":
            params = _parse_form(body) if method == "POST" else dict(parse_qsl(query, keep_blank_values=True))
            status, payload = state.rpc(method, params)
            reply = _response(status, payload)
        else:
            reply = _response(404, {"Code": "NotFound"})
        if state.stall and path == "/":
            asyncio.get_running_loop().call_later(state.stall, self._write, reply)
        else:
            self._write(reply)

    def _write(self, reply: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)


def _post_json(url: str, payload: Any) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(payload, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


async def serve(port: int, secret: str, access_key_id: str) -> None:
    state = SmsState(secret, access_key_id)
    server = await asyncio.get_running_loop().create_server(lambda: _Protocol(state), "127.0.0.1", port, backlog=2048)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


class SmsPeer:
    """The peer in a child process (its own core and GIL); `url` is its endpoint."""

    def __init__(self, secret: str = "peer-secret", access_key_id: str = "LTAI-peer-test") -> None:
        self.secret, self.access_key_id = secret, access_key_id
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.peers.aliyun_sms",
                "--port",
                "0",
                "--secret",
                secret,
                "--access-key-id",
                access_key_id,
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError("the SMS peer did not start")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}/"

    def _json(self, path: str, payload: Any | None = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url.rstrip("/") + path, data=data), timeout=10) as r:
            return json.loads(r.read())

    def calls(self) -> dict[str, int]:
        return dict(self._json("/_calls")["calls"])

    def total(self) -> int:
        return int(self._json("/_calls")["total"])

    def control(self, **settings: Any) -> None:
        self._json("/_control", settings)

    def push_reports(self, url: str) -> int:
        return int(self._json("/_push", {"url": url})["pushed"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.process.stdout:
            self.process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="loopback Alibaba Cloud SMS peer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--access-key-id", default="LTAI-peer-test")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, args.secret, args.access_key_id))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
