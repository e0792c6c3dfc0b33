"""E-mail through SMTP (邮件), stdlib `smtplib`: one connection per batch, STARTTLS and login when configured.

Each message gets `Message-ID: <key@domain>` (the key with characters a Message-ID cannot hold escaped), a
UTF-8 subject and body. A recipient refused with 5xx is `failed` for good, 4xx retryable; a connection that
cannot be opened or that breaks fails the rest of the batch as retryable. Refused for good, the whole batch:
a login the server refuses (`senders.smtp_login_refused 535`: the username or password), a certificate that
is not trusted (`senders.tls_untrusted`) and a server that does not offer STARTTLS when it is asked for
(`senders.smtp_no_starttls`: never sent in clear instead). The certificate is always verified, against
`ca_file` when given (that file alone, e.g. the company's own CA; unreadable: `senders.tls_ca_unreadable`),
else the system's trusted CAs. The server's answer to DATA (its queue id) is kept as `provider_id`. Not
reconcilable: SMTP cannot be asked what it accepted. The password goes to `smtplib.login` only: never to a
log, an outcome, an exception or the settings' repr.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import quote

from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import failed, scrub


class _NoStartTls(Exception):
    """The server did not offer STARTTLS, which the settings ask for."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The mail server and the sender's identity; `password` comes from the environment."""

    host: str
    from_address: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None  # PEM file of the CAs to trust instead of the system's (verification stays on)
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

    def _tls_context(self) -> ssl.SSLContext:
        # create_default_context: hostname checked, certificate required; `cafile` replaces the system's CAs
        return ssl.create_default_context(cafile=self.settings.ca_file)

    def _connect(self, context: ssl.SSLContext | None) -> smtplib.SMTP:
        s = self.settings
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        try:
            client.ehlo()
            if context is not None:
                if not client.has_extn("starttls"):
                    raise _NoStartTls
                client.starttls(context=context)
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
            context = self._tls_context() if self.settings.starttls else None
        except (OSError, ssl.SSLError):  # ca_file missing, unreadable or not PEM: before any connection
            return [failed(m.key, "senders.tls_ca_unreadable", retryable=False) for m in batch]
        try:
            client = self._connect(context)
        except smtplib.SMTPAuthenticationError as exc:
            # the server's text may echo the username: only its code is kept
            return [failed(m.key, f"senders.smtp_login_refused {exc.smtp_code}", retryable=False) for m in batch]
        except _NoStartTls:
            return [failed(m.key, "senders.smtp_no_starttls", retryable=False) for m in batch]
        except ssl.SSLCertVerificationError as exc:
            # a configuration to fix (ca_file, the server's certificate), not a moment to wait out
            reason = f"senders.tls_untrusted {exc.verify_code}"
            return [failed(m.key, reason, retryable=False) for m in batch]
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
