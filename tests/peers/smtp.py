"""A loopback SMTP server (aiosmtpd): records each accepted message by its Message-ID; refuses `refuse@…`.

Plain by default. `SmtpPeer(tls=True, users={"shop": "pw"})` offers STARTTLS with a certificate made at
start-up for 127.0.0.1 (signed by a test CA whose PEM is `peer.ca_file`; `peer.other_ca_file` is a CA that
signed nothing, for "not trusted" tests), requires it before MAIL (`require_starttls`) and requires AUTH
LOGIN/PLAIN with one of `users` before MAIL, only over TLS (`auth_require_tls`). Each accepted message's
session is kept (`peer.sessions`: whether it was TLS, the login name) beside the message.

Certificates come from the `cryptography` package when it is installed, else from the `openssl` command;
`certificates_available()` says whether either is (a test without them skips).
"""

from __future__ import annotations

import datetime as dt
import email
import importlib.util
import ipaddress
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Certificates:
    """PEM files: the CA that signed the server's certificate, the server's certificate and key, a stranger CA."""

    ca_file: Path
    cert_file: Path
    key_file: Path
    other_ca_file: Path


def certificates_available() -> bool:
    return importlib.util.find_spec("cryptography") is not None or shutil.which("openssl") is not None


def make_certificates(directory: Path) -> Certificates:
    """A test CA, a server certificate it signs for 127.0.0.1 and localhost (a day long), and a second CA."""
    if importlib.util.find_spec("cryptography") is not None:
        return _with_cryptography(directory)
    if shutil.which("openssl") is not None:
        return _with_openssl(directory)
    raise RuntimeError("neither the cryptography package nor the openssl command is available")


def _with_cryptography(directory: Path) -> Certificates:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)

    def write_key(key: Any, path: Path) -> None:
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def usage(*, cert_sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=cert_sign,
            crl_sign=cert_sign,
            encipher_only=False,
            decipher_only=False,
        )

    def ca(common: str, path: Path) -> tuple[Any, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(common))
            .issuer_name(name(common))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key, cert

    ca_key, ca_cert = ca("dachu test CA", directory / "ca.pem")
    ca("dachu stranger CA", directory / "other-ca.pem")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(HOST))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (directory / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    write_key(key, directory / "server.key")
    return Certificates(
        directory / "ca.pem", directory / "server.pem", directory / "server.key", directory / "other-ca.pem"
    )


_OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = dachu test
[ca_ext]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _with_openssl(directory: Path) -> Certificates:
    config = directory / "openssl.cnf"
    config.write_text(_OPENSSL_CONFIG)
    ec_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)

    for stem, common in (("ca", "dachu test CA"), ("other-ca", "dachu stranger CA")):
        run("req", "-x509", "-config", str(config), "-extensions", "ca_ext", *ec_key, "-days", "1",
            "-subj", f"/CN={common}", "-keyout", f"{stem}.key", "-out", f"{stem}.pem")  # fmt: skip
    run("req", "-new", "-config", str(config), *ec_key, "-subj", f"/CN={HOST}",
        "-keyout", "server.key", "-out", "server.csr")  # fmt: skip
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", "1",
        "-set_serial", f"0x{secrets.token_hex(8)}", "-extfile", str(config), "-extensions", "leaf_ext",
        "-out", "server.pem")  # fmt: skip
    return Certificates(
        directory / "ca.pem", directory / "server.pem", directory / "server.key", directory / "other-ca.pem"
    )


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.sessions: list[tuple[bool, str | None]] = []  # per message: over TLS, the login it came with

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("refuse@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        login = session.login_data.decode() if session.authenticated and session.login_data else None
        self.sessions.append((session.ssl is not None, login))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages):06d}"


class _Users:
    """aiosmtpd's authenticator: LOGIN and PLAIN against a fixed table of users."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users = users

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if mechanism not in ("LOGIN", "PLAIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        ok = login in self.users and secrets.compare_digest(self.users[login], password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)  # sets login_data


class SmtpPeer:
    def __init__(self, *, tls: bool = False, users: dict[str, str] | None = None) -> None:
        self.handler = _Handler()
        with socket.socket() as probe:  # aiosmtpd's start-up check needs a real port, not 0
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self.certificates: Certificates | None = None
        options: dict[str, Any] = {}
        if tls:
            self._dir = tempfile.TemporaryDirectory(prefix="dachu-smtp-peer-")
            self.certificates = make_certificates(Path(self._dir.name))
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.certificates.cert_file, self.certificates.key_file)
            options.update(tls_context=context, require_starttls=True)
        if users:
            options.update(authenticator=_Users(users), auth_required=True, auth_require_tls=tls)
        self.controller = Controller(self.handler, hostname=HOST, port=self.port, **options)
        self.controller.start()

    @property
    def ca_file(self) -> str:
        assert self.certificates is not None, "a plain peer has no certificate"
        return str(self.certificates.ca_file)

    @property
    def other_ca_file(self) -> str:
        assert self.certificates is not None, "a plain peer has no certificate"
        return str(self.certificates.other_ca_file)

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    @property
    def sessions(self) -> list[tuple[bool, str | None]]:
        return self.handler.sessions

    def count(self, message_id: str) -> int:
        return sum(1 for m in self.messages if m["Message-ID"] == message_id)

    def stop(self) -> None:
        self.controller.stop()
        if self._dir is not None:
            self._dir.cleanup()
