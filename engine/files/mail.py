"""Sending mail through an SMTP server, as the settings say.

``PLANFLOW_SMTP_URL``: ``smtp://[user:password@]host[:port]`` (``?starttls=1``
to upgrade the connection), or ``smtps://…`` for TLS from the start; unset,
mail waits in the outbox. ``PLANFLOW_MAIL_FROM``: the sender (default
``planflow@localhost``).
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlparse


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    tls: bool = False
    starttls: bool = False
    timeout: float = 15.0

    @classmethod
    def from_url(cls, url: str, sender: str = "planflow@localhost") -> "SmtpMailer":
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
            raise ValueError(f"PLANFLOW_SMTP_URL={url!r} is not smtp://host[:port] or smtps://host[:port]")
        starttls = parse_qs(parsed.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        return cls(parsed.hostname, parsed.port or (465 if parsed.scheme == "smtps" else 25), sender,
                   unquote(parsed.username) if parsed.username else None,
                   unquote(parsed.password) if parsed.password else None, parsed.scheme == "smtps", starttls)

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        if self.tls:
            server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with server:
            if self.starttls:
                server.starttls(context=ssl.create_default_context())
            if self.username:
                server.login(self.username, self.password or "")
            server.send_message(message)
