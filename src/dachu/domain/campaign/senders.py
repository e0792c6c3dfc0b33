"""The campaign file's optional `senders:` section: how messages leave (发送通道).

Secrets never go in the campaign file: every key ending in `_env` names an environment variable that holds
the secret (an AccessKey secret, a password, a robot URL with its token). A campaign without the section,
or with only some channels, sends through the file sender: a CSV for 千牛's batch 催付, its path relative to
the campaign file. Every key is optional and a missing key keeps its default below.

    senders:
      file: {path: out/催付名单.csv, lang: zh}
      reconcile_after_seconds: 300               # ask the provider about calls a crash left unanswered
      sms:
        sign_name: 野菊蜜旗舰店                  # the registered SMS signature (短信签名)
        access_key_id_env: DACHU_ALIYUN_SMS_KEY_ID
        access_key_secret_env: DACHU_ALIYUN_SMS_SECRET
        region_id: cn-hangzhou
        templates: {first: SMS_154950909, before_close: SMS_154950910}   # the approved template codes
        concurrency: 64                          # calls in flight at once
        timeout_seconds: 10
      email:
        host: smtp.example.com
        port: 587
        starttls: true
        from_address: shop@example.com
        username: shop@example.com
        password_env: DACHU_SMTP_PASSWORD
        ca_file: certs/company-ca.pem            # optional: trust this CA (else the system's); never unverified
      webhook: {url_env: DACHU_WEBHOOK_URL, secret_env: DACHU_WEBHOOK_SECRET}
      dingtalk: {url_env: DACHU_DINGTALK_URL, secret_env: DACHU_DINGTALK_SECRET}
      feishu: {url_env: DACHU_FEISHU_URL, secret_env: DACHU_FEISHU_SECRET}
      wecom: {url_env: DACHU_WECOM_URL}
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from dachu.domain.types import Model

EnvName = Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$", max_length=100)]
"""The name of an environment variable (`DACHU_SMTP_PASSWORD`), never the secret itself."""
Seconds = Annotated[float, Field(gt=0, le=300)]
Concurrency = Annotated[int, Field(ge=1, le=1024)]


class FileSenderSettings(Model):
    """The CSV file for 千牛's batch 催付; `path` is relative to the campaign file."""

    path: str = "out/reminders.csv"
    lang: Literal["zh", "en"] = "zh"


class SmsSenderSettings(Model):
    """Alibaba Cloud SMS (阿里云短信, dysmsapi)."""

    provider: Literal["aliyun"] = "aliyun"
    sign_name: str = ""
    access_key_id_env: EnvName = "DACHU_ALIYUN_SMS_KEY_ID"
    access_key_secret_env: EnvName = "DACHU_ALIYUN_SMS_SECRET"
    region_id: str = "cn-hangzhou"
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    templates: dict[str, str] = {}
    """The provider's template code (模板CODE, e.g. SMS_154950909) of each `remind:` template by name; a
    template not listed is sent under its own name. The provider sends only templates it approved, so each
    approved text must match the `remind:` template's (the text here counts the segments and the cost)."""
    concurrency: Concurrency = 64
    timeout_seconds: Seconds = 10.0


class EmailSenderSettings(Model):
    """An SMTP server."""

    host: str = "localhost"
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    starttls: bool = True
    from_address: str = ""
    username: str | None = None
    password_env: EnvName | None = None
    ca_file: str | None = None
    """A PEM file of the CAs to trust for the server's certificate instead of the system's (a company CA);
    relative to the campaign file. Verification is never turned off."""
    timeout_seconds: Seconds = 15.0


class WebhookSenderSettings(Model):
    """A generic signed webhook; the URL may name its own variable or be written here (it holds no token)."""

    url: str | None = None
    url_env: EnvName | None = None
    secret_env: EnvName = "DACHU_WEBHOOK_SECRET"
    concurrency: Concurrency = 32
    timeout_seconds: Seconds = 10.0


class RobotSettings(Model):
    """A team-chat robot: its URL (with its token) and its signing secret, both from the environment."""

    url_env: EnvName | None = None
    secret_env: EnvName | None = None
    timeout_seconds: Seconds = 10.0


class SendersSettings(Model):
    """How each channel sends; a channel left out is not available (the file sender always is)."""

    file: FileSenderSettings = FileSenderSettings()
    reconcile_after_seconds: Annotated[int, Field(ge=1, le=86400)] = 300
    """A message left `provider_called` this long (a crash mid-call) is reconciled with the provider."""
    sms: SmsSenderSettings | None = None
    email: EmailSenderSettings | None = None
    webhook: WebhookSenderSettings | None = None
    dingtalk: RobotSettings | None = None
    feishu: RobotSettings | None = None
    wecom: RobotSettings | None = None


DEFAULT_SENDERS = SendersSettings()
"""The senders of a campaign without a `senders:` section: the file sender only."""
