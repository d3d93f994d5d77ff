"""The worker's mail job: notifications by e-mail, through SMTP, at most once.

Settings (`[smtp]` in the settings file; off unless `enabled = true`):

[smtp]
enabled = false
host = "smtp.bekasikota.go.id"
port = 587
user = "siaran"
password = "…"            # kept as a Secret: never logged, never shown
sender = "Siaran <siaran@bekasikota.go.id>"
starttls = true           # upgrade a plain connection (port 587)
ssl = false               # or TLS from the start (port 465)
timeout_seconds = 30
helo_name = ""            # the name we greet with (empty: this host's fully qualified name)
dashboard_url = "https://siaran.bekasikota.go.id"   # the links in the mails
send_seconds = 30         # how often due e-mails are looked for
batch = 20                # e-mails claimed at once
max_attempts = 5          # transient refusals before an e-mail fails
backoff_seconds = 60      # first retry delay; doubles each attempt
max_age_hours = 48        # a pending e-mail older than this is not sent

Each run: claims left in `sending` by a dead worker become `unknown` (content.org.mail_outbox:
SMTP cannot be asked whether they arrived, so they are never resent); then due e-mails are
claimed and committed; then one SMTP conversation sends them, each outcome written as it comes.
A failure before the message was handed over (connection refused, 4xx to MAIL/RCPT) is retried
later; a 5xx fails it; a conversation that breaks while the message itself is being handed over
(no answer to DATA) is `unknown`.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any

from content.infra.config import Settings
from content.models import EmailState
from content.org import mail_outbox
from content.org.mail_outbox import Mail
from publishers.social.base import Secret
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")
SUBJECT_PREFIX = "[Siaran] "
FOOTER = (
    "Pesan ini dikirim otomatis oleh Siaran, Pemerintah Kota Bekasi. Pilih pemberitahuan "
    "yang Anda terima lewat e-mail di {url}."
)


@dataclass(frozen=True)
class SmtpSettings:
    enabled: bool = False
    host: str = "localhost"
    port: int = 587
    user: str = ""
    password: Secret = field(default_factory=lambda: Secret(""))
    sender: str = "Siaran <siaran@localhost>"
    starttls: bool = True
    ssl: bool = False
    timeout_seconds: float = 30.0
    helo_name: str = ""  # the name this host greets with (empty: its own fully qualified name)
    dashboard_url: str = ""
    send_seconds: float = 30.0
    batch: int = 20
    max_attempts: int = 5
    backoff_seconds: float = 60.0
    max_age_hours: float = 48.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSettings:
        section: Mapping[str, Any] = settings.section("smtp")
        defaults = cls()
        known: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            if name not in section or name == "password":
                continue
            kind, raw = type(getattr(defaults, name)), section[name]
            if kind is bool:
                known[name] = raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true"}
            else:
                known[name] = kind(raw)
        url = str(section.get("dashboard_url") or settings.public_base_url or "").rstrip("/")
        known["dashboard_url"] = url or f"http://{settings.host}:{settings.dashboard_port}"
        return cls(**known, password=Secret(str(section.get("password") or "")))

    @property
    def stale_after(self) -> timedelta:
        """Longer than any conversation can last: connect, greet, log in, send a batch."""
        return timedelta(seconds=self.timeout_seconds * (4 + self.batch))

    def backoff(self, attempt: int) -> timedelta:
        return timedelta(seconds=self.backoff_seconds * 2 ** max(0, attempt - 1))

    def __repr__(self) -> str:  # the password is a Secret: masked
        return f"SmtpSettings(host={self.host!r}, port={self.port}, user={self.user!r})"


def message_id(notification_id: int, sender: str) -> str:
    """Stable per notification: a mail client (or a relay) sees a resend as the same message."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "siaran.localhost"
    return f"<notification-{notification_id}@{domain}>"


def compose(mail: Mail, config: SmtpSettings) -> EmailMessage:
    """The notification's sentence and a link to the page where it is acted on; never the
    post's words (the sentence names the post by its number only)."""
    link = f"{config.dashboard_url}/{mail.page}"
    msg = EmailMessage()
    msg["From"] = config.sender
    msg["To"] = formataddr((mail.name, mail.to))
    msg["Subject"] = SUBJECT_PREFIX + mail.sentence
    msg["Message-ID"] = message_id(mail.notification_id, config.sender)
    msg["Auto-Submitted"] = "auto-generated"
    footer = FOOTER.format(url=f"{config.dashboard_url}/pemberitahuan")
    msg.set_content(
        f"Yth. {mail.name},\n\n{mail.sentence}\n\nBuka Siaran: {link}\n\n-- \n{footer}\n"
    )
    return msg


class Unreachable(Exception):
    """SMTP could not be reached or refused us before any message (retried later)."""


def _connect(config: SmtpSettings) -> smtplib.SMTP:
    try:
        smtp: smtplib.SMTP
        if config.ssl:
            smtp = smtplib.SMTP_SSL(
                config.host,
                config.port,
                local_hostname=config.helo_name or None,
                timeout=config.timeout_seconds,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(
                config.host,
                config.port,
                local_hostname=config.helo_name or None,
                timeout=config.timeout_seconds,
            )
        smtp.ehlo()
        if config.starttls and not config.ssl:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config.user:
            smtp.login(config.user, config.password.reveal())
        return smtp
    except (OSError, smtplib.SMTPException) as exc:
        raise Unreachable(_describe(exc)) from None


def _describe(exc: BaseException) -> str:
    """What went wrong, for the row and the log: the class and the server's code, never the
    credentials (a login refusal's text is not kept)."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code is not None else ''}"


@dataclass(frozen=True)
class Result:
    state: EmailState  # SENT, FAILED, UNKNOWN; PENDING for "try again later"
    error: str = ""


def _refused(code: int, step: str) -> Result:
    if 400 <= code < 500:
        return Result(EmailState.PENDING, f"{step} {code}")
    return Result(EmailState.FAILED, f"{step} {code}")


def _envelope(smtp: smtplib.SMTP, sender: str, to: str) -> Result | None:
    """MAIL and RCPT: nothing is handed over yet, so a refusal is retried or failed by its
    code, and a broken connection is retried. None when both were accepted."""
    try:
        code, _ = smtp.mail(sender)
        step = "MAIL"
        if code == 250:
            code, _ = smtp.rcpt(to)
            step = "RCPT"
            if code in (250, 251):
                return None
        smtp.rset()
        return _refused(code, step)
    except smtplib.SMTPResponseException as exc:
        return _refused(exc.smtp_code, "MAIL")
    except (OSError, smtplib.SMTPException) as exc:
        return Result(EmailState.PENDING, _describe(exc))


def send_one(smtp: smtplib.SMTP, mail: Mail, config: SmtpSettings) -> Result:
    """One message, step by step so that the step that failed is known: a refusal before DATA
    is retried or failed by its code; a conversation that breaks during DATA leaves the
    message's fate unknown (it is not sent again)."""
    msg = compose(mail, config)
    refused = _envelope(smtp, parseaddr(config.sender)[1], mail.to)
    if refused is not None:
        return refused
    try:
        code, _ = smtp.data(msg.as_bytes())
    except smtplib.SMTPResponseException as exc:  # an answer: the server did not take it
        return _refused(exc.smtp_code, "DATA")
    except (OSError, smtplib.SMTPException) as exc:  # no answer: it may have arrived
        return Result(EmailState.UNKNOWN, _describe(exc))
    return Result(EmailState.SENT) if code == 250 else _refused(code, "DATA")


def send_pending(ctx: WorkerContext, config: SmtpSettings | None = None) -> int:
    """One run of the mail job; returns how many e-mails were sent."""
    config = config or SmtpSettings.from_settings(ctx.settings)
    if not config.enabled:
        return 0
    with ctx.transaction() as session:
        unknown = mail_outbox.settle_abandoned(session, stale_after=config.stale_after)
        mail_outbox.expire_old(session, max_age=timedelta(hours=config.max_age_hours))
    if unknown:
        log.warning("%d e-mails left mid-send by a stopped worker marked unknown", unknown)
    with ctx.transaction() as session:  # committed before SMTP is called
        mails = mail_outbox.claim(session, limit=config.batch)
    if not mails:
        return 0
    try:
        smtp = _connect(config)
    except Unreachable as exc:
        log.warning("SMTP unreachable (%s); %d e-mails wait", exc, len(mails))
        for mail in mails:
            _record(ctx, config, mail, Result(EmailState.PENDING, str(exc)))
        return 0
    sent = 0
    try:
        for mail in mails:
            result = send_one(smtp, mail, config)
            _record(ctx, config, mail, result)
            sent += result.state is EmailState.SENT
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return sent


def _record(ctx: WorkerContext, config: SmtpSettings, mail: Mail, result: Result) -> None:
    with ctx.transaction() as session:
        if result.state is EmailState.PENDING:
            state = mail_outbox.retry_later(
                session,
                mail.notification_id,
                result.error,
                attempt=mail.attempt,
                max_attempts=config.max_attempts,
                backoff=config.backoff(mail.attempt),
            )
        else:
            state = result.state
            mail_outbox.finish(session, mail.notification_id, state, result.error)
    log.info(
        "notification e-mail %s",
        state.value,
        extra={"notification_id": mail.notification_id, "kind": mail.kind.value},
    )
