"""The sender in a process of its own: what happens when that process dies."""

from __future__ import annotations

import os
import signal

from dachu.ops.senders.aliyun_sms import AliyunSmsSender, AliyunSmsSettings
from dachu.ops.senders.base import Outgoing
from dachu.ops.senders.process import DIED, SenderProcess
from tests.peers.aliyun_sms import SmsPeer


def test_a_dead_sender_process_fails_the_batch_retryably_and_never_raises(sms_peer: SmsPeer) -> None:
    sender = SenderProcess(AliyunSmsSender, AliyunSmsSettings(sms_peer.access_key_id, sms_peer.secret, "测试店",
                                                              endpoint=sms_peer.url))
    try:
        message = Outgoing("process:1", "sms", "10000000001", "【测试店】x", template_code="SMS_000001")
        assert [o.status for o in sender.send([message])] == ["sent"]
        assert sender.channel == "sms" and sender.reconcilable
        pid = sender._proc.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        sender._proc.join(10)
        again = sender.send([Outgoing("process:2", "sms", "10000000002", "【测试店】x", template_code="SMS_000001")])
        assert [(o.status, o.reason, o.retryable) for o in again] == [("failed", DIED, True)]
        assert sms_peer.calls().get("process:2", 0) == 0
    finally:
        sender.close()
