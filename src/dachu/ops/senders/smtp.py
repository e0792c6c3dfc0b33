"""E-mail through SMTP (邮件), stdlib `smtplib`: one connection per batch, STARTTLS and login when configured.

Each message gets `Message-ID: <key@domain>` (the key with characters a Message-ID cannot hold escaped), a
UTF-8 subject and body. A recipient refused with 5xx is `failed` for good, 4xx retryable; a connection that
cannot be opened, logged in or that breaks fails the rest of the batch as retryable. The server's answer to
DATA (its queue id) is kept as `provider_id`. Not reconcilable: SMTP cannot be asked what it accepted.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import quote

from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import failed, scrub


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The mail server and the sender's identity; `password` comes from the environment."""

    host: str
    from_address: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 15.0
    message_id_domain: str | None = None  # default: the domain of `from_address`


def message_id(key: str, domain: str) -> str:
    """`<key@domain>`, the key's characters outside atext escaped as `=XX` so the id stays one token."""
    local = quote(key, safe="!#$&'*+-/?^_`{|}~.").replace("%", "=")
    return f"<{local}@{domain}>"


class SmtpSender:
    """Sends each message as one e-mail."""

    channel = "email"
    reconcilable = False
    needs_address = True

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.domain = settings.message_id_domain or settings.from_address.rpartition("@")[2] or "localhost"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        try:
            client.ehlo()
            if s.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if s.username:
                client.login(s.username, s.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def _build(self, message: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.settings.from_address
        mail["To"] = message.address
        mail["Subject"] = message.subject or ""
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = message_id(message.key, self.domain)
        mail.set_content(message.text, charset="utf-8")
        return mail

    def _send_one(self, client: smtplib.SMTP, message: Outgoing) -> Outcome:
        try:
            client.mail(self.settings.from_address, ["SMTPUTF8"] if not message.address.isascii() else [])
            code, _ = client.rcpt(message.address)
            if code >= 300:
                client.rset()
                return failed(message.key, f"senders.smtp_refused {code}", retryable=400 <= code < 500)
            code, answer = client.data(self._build(message).as_bytes())
        except smtplib.SMTPResponseException as exc:
            return failed(message.key, f"senders.smtp_refused {exc.smtp_code}", retryable=400 <= exc.smtp_code < 500)
        if code >= 300:
            return failed(message.key, f"senders.smtp_refused {code}", retryable=400 <= code < 500)
        queued = scrub(answer.decode("utf-8", "replace"), message.address)
        return Outcome(key=message.key, status="sent", provider_id=queued[:200] or None)

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """One e-mail per message over one connection; one outcome per message, in order."""
        if not batch:
            return []
        outcomes: list[Outcome] = []
        try:
            client = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            return [failed(m.key, f"senders.smtp_refused {exc.smtp_code}", retryable=False) for m in batch]
        except (OSError, smtplib.SMTPException) as exc:
            reason = "senders.timeout" if isinstance(exc, TimeoutError) else "senders.unreachable"
            return [failed(m.key, reason, retryable=True) for m in batch]
        try:
            for index, message in enumerate(batch):
                if not message.address:
                    outcomes.append(failed(message.key, "senders.no_address", retryable=False))
                    continue
                try:
                    outcomes.append(self._send_one(client, message))
                except (OSError, smtplib.SMTPException):
                    # The connection broke: this message may or may not have been taken; the rest were not sent.
                    outcomes.append(failed(message.key, "senders.connection_lost", retryable=True))
                    outcomes.extend(failed(m.key, "senders.unreachable", retryable=True) for m in batch[index + 1 :])
                    break
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()
        return outcomes

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """Not reconcilable: the outbox never calls this."""
        raise NotImplementedError("SMTP cannot be asked what it accepted")

    def close(self) -> None:
        """Nothing stays open between batches."""
