"""E-mail notifications over SMTP, when ODOP_SMTP_URL is set.

    ODOP_SMTP_URL=smtp://host:25              plain SMTP (a local relay)
    ODOP_SMTP_URL=smtp://user:pass@host:587   STARTTLS, then login
    ODOP_SMTP_URL=smtps://user:pass@host:465  SMTP over TLS

Sending is slow and may fail, so callers hand it to a background task that runs after the request's
transaction committed and the response was sent (FastAPI BackgroundTasks): a mail is never sent for
data that was rolled back, and a mail server that is down never fails or holds up the request.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

log = logging.getLogger("odop.notifications")
SMTP_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    reply_to: str | None = None


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # SMTP over TLS from the start (smtps://)
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("ODOP_SMTP_URL must look like smtp://host:port or smtps://user:password@host:port")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def build_message(email: Email, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="odop.la")
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message.set_content(email.body)  # UTF-8: Lao and Thai text as written
    return message


def send_email(smtp_url: str, sender: str, email: Email) -> bool:
    """Send one message; returns whether the server accepted it. Never raises: failures are logged."""
    try:
        server = SmtpServer.from_url(smtp_url)
        message = build_message(email, sender)
        context = ssl.create_default_context()
        if server.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
        with client:
            if not server.tls and server.username:
                client.starttls(context=context)  # never send a password in clear text
            if server.username:
                client.login(server.username, server.password or "")
            client.send_message(message)
        return True
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        log.warning("e-mail to %s not sent: %s", email.to, exc)
        return False
