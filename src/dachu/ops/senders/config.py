"""Build the senders a campaign's `senders:` section asks for (`build_senders`), secrets from the environment.

The campaign file names environment variables; this module reads them from the mapping it is given (the
face passes `os.environ`), so a test passes a dict. A configured channel whose variable is missing raises
`SenderNotConfigured` (code, zh and en message, fix), never a half-built sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from dachu.domain.campaign.senders import RobotSettings, SendersSettings
from dachu.i18n import both
from dachu.ops.senders.aliyun_sms import AliyunSmsSender, AliyunSmsSettings
from dachu.ops.senders.base import Sender
from dachu.ops.senders.file import FileSender
from dachu.ops.senders.process import SenderProcess
from dachu.ops.senders.robots import DingTalkRobot, FeishuRobot, WeComRobot
from dachu.ops.senders.smtp import SmtpSender, SmtpSettings
from dachu.ops.senders.webhook import WebhookSender


class SenderNotConfigured(Exception):
    """A configured channel's secret is not in the environment."""

    code = "senders.not_configured"

    def __init__(self, channel: str, variable: str) -> None:
        self.channel, self.variable = channel, variable
        self.fix = both("senders.not_configured.fix", variable=variable)
        super().__init__(both("senders.not_configured", channel=channel, variable=variable))


def _need(env: Mapping[str, str], channel: str, variable: str | None) -> str:
    value = env.get(variable or "", "")
    if not variable or not value:
        raise SenderNotConfigured(channel, variable or f"{channel}.*_env")
    return value


def _optional(env: Mapping[str, str], variable: str | None) -> str | None:
    return env.get(variable) or None if variable else None


def _robot(kind: str, settings: RobotSettings, env: Mapping[str, str]) -> Sender:
    url = _optional(env, settings.url_env)
    secret = _optional(env, settings.secret_env)
    if settings.secret_env and secret is None:
        raise SenderNotConfigured(kind, settings.secret_env)
    robots = {"dingtalk": DingTalkRobot, "feishu": FeishuRobot, "wecom": WeComRobot}
    return robots[kind](url, secret, timeout_seconds=settings.timeout_seconds)


def build_senders(settings: SendersSettings, env: Mapping[str, str], *, base: Path = Path()) -> dict[str, Sender]:
    """One sender per configured channel, keyed by channel (`file` always).

    `base`: the campaign's folder, where a relative file path starts.
    """
    path = Path(settings.file.path)
    senders: dict[str, Sender] = {
        "file": FileSender(path if path.is_absolute() else base / path, lang=settings.file.lang)
    }
    if settings.sms is not None:
        sms = settings.sms
        # in a process of its own: its signing and parsing run beside the dispatcher's work, not in turns
        senders["sms"] = SenderProcess(
            AliyunSmsSender,
            AliyunSmsSettings(
                access_key_id=_need(env, "sms", sms.access_key_id_env),
                access_key_secret=_need(env, "sms", sms.access_key_secret_env),
                sign_name=sms.sign_name,
                region_id=sms.region_id,
                endpoint=sms.endpoint,
                concurrency=sms.concurrency,
                timeout_seconds=sms.timeout_seconds,
            ),
        )
    if settings.email is not None:
        mail = settings.email
        senders["email"] = SmtpSender(
            SmtpSettings(
                host=mail.host,
                port=mail.port,
                starttls=mail.starttls,
                from_address=mail.from_address,
                username=mail.username,
                password=_need(env, "email", mail.password_env) if mail.password_env else None,
                ca_file=str(mail.ca_file if Path(mail.ca_file).is_absolute() else base / mail.ca_file)
                if mail.ca_file
                else None,
                timeout_seconds=mail.timeout_seconds,
            )
        )
    if settings.webhook is not None:
        hook = settings.webhook
        url = hook.url or _need(env, "webhook", hook.url_env)
        senders["webhook"] = WebhookSender(
            url,
            _need(env, "webhook", hook.secret_env),
            concurrency=hook.concurrency,
            timeout_seconds=hook.timeout_seconds,
        )
    for kind in ("dingtalk", "feishu", "wecom"):
        robot: RobotSettings | None = getattr(settings, kind)
        if robot is not None:
            senders[kind] = _robot(kind, robot, env)
    return senders
