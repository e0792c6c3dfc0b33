"""Senders (发送通道) behind one seam (`dachu.ops.senders.base.Sender`).

SMTP e-mail, Alibaba Cloud SMS (`SendSms`, signed as the provider signs), a signed generic webhook, the
DingTalk, Feishu and WeCom group robots, and a CSV file for 千牛's batch 催付. Every one passes the same
contract test (tests/ops/senders/test_contract.py) against its real or loopback peer.
"""
