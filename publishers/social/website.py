"""An OPD's own website: the WordPress REST API (WordPress >= 5.6) through `requests`, with an
Application Password over Basic auth (`username`, `application_password`; sealed like every
credential). The account's `site_url` setting is where the site lives; simulator accounts are
routed to the bundled simulator like the others (`PublisherSettings.website_base_url`).

- Photo first: `POST /wp-json/wp/v2/media` (multipart `file`, `alt_text`) -> the attachment id.
- Terms: the KIP category as a category (slug `kip-<category>`), the OPD as a tag (slug from its
  short name); looked up by slug, created when missing (400 `term_exists` answers with the id).
  A user who may not create terms (403) still publishes, without that term.
- Post: `POST /wp-json/wp/v2/posts` (status publish, title = headline, content = the text as
  escaped HTML, `content.editorial.web_html`, featured_media, categories, tags, and slug
  `siaran-<target id>`: the marker `find_existing` looks up, so an unknown outcome is settled
  by `GET /wp-json/wp/v2/posts?slug=` and the post is never made twice).
- Withdraw (takedown): `DELETE /wp-json/wp/v2/posts/<id>` without `force`: to the trash, where
  the site's editor can still restore it; 404/410 mean already gone.
- Connection: `GET /wp-json/wp/v2/users/me?context=edit`: the user's name and whether it has
  `publish_posts` and `upload_files`. Application Passwords do not expire.
- Metrics: none (WordPress core has no page-view API; the channel declares `reads_metrics`
  False, and Monev says so).

Errors are classified in `publishers.social.classify.classify_wp`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import requests

from content.editorial.web_html import body_html
from content.labels import KIP_LABELS
from content.models import Account, AccountHealth, Channel, KipCategory
from publishers.social.base import (
    Capabilities,
    Secret,
    common_problems,
    failed_connection,
    invalid_target,
    secrets_from,
)
from publishers.social.classify import classify_wp, for_delete, from_exception
from publishers.social.config import PublisherSettings
from publishers.social.result import (
    ConnectionStatus,
    Metrics,
    Outcome,
    Problem,
    PublishError,
    Reason,
    Receipt,
)
from publishers.social.target import Photo, TargetContent
from publishers.social.transport import CallRecord, install_log_redaction, mount_base_urls

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(channel=Channel.WEBSITE, metrics_per_call=100)
API = "/wp-json/wp/v2"
NEEDED_CAPABILITIES = ("publish_posts", "upload_files")
CREDENTIALS = ("username", "application_password")
_SLUG = re.compile(r"[^a-z0-9]+")


def marker_slug(target_id: int) -> str:
    """The slug Siaran gives the post of `target_id`: how it is found again."""
    return f"siaran-{target_id}"


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:190]


class WebsitePublisher:
    kind = Channel.WEBSITE
    capabilities = CAPABILITIES

    def __init__(
        self,
        *,
        site_url: str,
        credentials: Mapping[str, Secret],
        config: PublisherSettings,
        handle: str = "",
    ) -> None:
        install_log_redaction()
        self.site_url = site_url.rstrip("/")
        self.handle = handle
        self.config = config
        self._credentials = dict(credentials)
        self.session = requests.Session()
        self.session.auth = (
            credentials["username"].reveal(),
            credentials["application_password"].reveal(),
        )
        base = (config.website_base_url or self.site_url).rstrip("/")
        routes = {self.site_url: base} if base != self.site_url else {}
        self.recorder = mount_base_urls(self.session, routes, config.timeouts)

    def __repr__(self) -> str:
        return f"WebsitePublisher({self.site_url}, credentials={self._credentials})"

    def close(self) -> None:
        self.session.close()

    def paid_calls(self) -> list[CallRecord]:
        return []  # the OPD's own site: nothing is charged

    def validate(self, target: TargetContent) -> list[Problem]:
        return common_problems(CAPABILITIES, target)

    # --- plumbing -------------------------------------------------------------------------

    def _status(self) -> int | None:
        response = self.recorder.response
        return None if response is None else response.status_code

    def _call(self, method: str, path: str, *, creating: bool = False, **kwargs: Any) -> Any:
        """One REST call; its JSON answer, or a `PublishError` with the classified receipt."""
        try:
            response = self.session.request(method, f"{self.site_url}{API}{path}", **kwargs)
            if not response.ok:
                raise PublishError(
                    classify_wp(
                        response.status_code, response.headers, _json(response), creating=creating
                    )
                )
            return response.json()
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            receipt = from_exception(
                Channel.WEBSITE, exc, creating=creating, http_status=self._status()
            )
        raise PublishError(receipt) from None

    def _upload(self, photo: Photo) -> int:
        fields = {"alt_text": photo.alt_text[: CAPABILITIES.max_alt_text]}
        upload = {"file": (photo.filename, photo.read(), photo.mime)}
        answer = self._call("POST", "/media", data=fields, files=upload)
        media_id = answer.get("id") if isinstance(answer, Mapping) else None
        if not isinstance(media_id, int):
            raise PublishError(_bad("media upload answered without an id", Outcome.RETRYABLE))
        return media_id

    def _term(self, kind: str, name: str, slug: str) -> int | None:
        """The id of the category or tag with `slug`, created when missing; None when this
        user may not create it (the post goes out without it)."""
        found = self._call("GET", f"/{kind}", params={"slug": slug})
        if isinstance(found, list) and found and isinstance(found[0], Mapping):
            term_id = found[0].get("id")
            if isinstance(term_id, int):
                return term_id
        try:
            made = self._call("POST", f"/{kind}", json={"name": name, "slug": slug})
        except PublishError as exc:
            if exc.receipt.reason is Reason.PERMISSION:
                log.warning("website %s: may not create %s %s", self.site_url, kind, slug)
                return None
            existing = _existing_term(self.recorder.response)
            if existing is not None:
                return existing
            raise
        term_id = made.get("id") if isinstance(made, Mapping) else None
        return term_id if isinstance(term_id, int) else None

    def _terms(self, target: TargetContent) -> dict[str, list[int]]:
        chosen: dict[str, list[int]] = {}
        if target.kip:
            label = KIP_LABELS.get(KipCategory(target.kip), target.kip)
            category = self._term("categories", label, f"kip-{slugify(target.kip)}")
            if category is not None:
                chosen["categories"] = [category]
        if target.opd and slugify(target.opd):
            tag = self._term("tags", target.opd, slugify(target.opd))
            if tag is not None:
                chosen["tags"] = [tag]
        return chosen

    # --- the interface --------------------------------------------------------------------

    def publish(self, target: TargetContent) -> Receipt:
        problems = self.validate(target)
        if problems:
            raise PublishError(invalid_target(Channel.WEBSITE, problems))
        text, _ = CAPABILITIES.compose(target.text, target.link, bool(target.photos))
        post: dict[str, Any] = {
            "title": target.title,
            "content": body_html(text),
            "status": "publish",
            "slug": marker_slug(target.target_id),
        }
        if target.photos:
            post["featured_media"] = self._upload(target.photos[0])
        post |= self._terms(target)
        created = self._call("POST", "/posts", json=post, creating=True)
        receipt = _receipt(created, Outcome.SUCCESS, self._status())
        if receipt is None:
            raise PublishError(_bad("post created without an id", Outcome.UNKNOWN))
        return receipt

    def find_existing(self, target: TargetContent, since: datetime | None = None) -> Receipt | None:
        slug = marker_slug(target.target_id)
        found = self._call("GET", "/posts", params={"slug": slug, "status": "publish"})
        rows = found if isinstance(found, list) else []
        for row in rows:
            if isinstance(row, Mapping) and row.get("slug") == slug:
                return _receipt(row, Outcome.RECONCILED, None)
        return None

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[Metrics]:
        return []  # WordPress has no page-view API; the channel declares reads_metrics False

    def delete(self, remote_id: str) -> Receipt:
        try:
            self._call("DELETE", f"/posts/{remote_id}")  # no force: to the trash
        except PublishError as exc:
            return for_delete(exc.receipt)
        return Receipt(
            Channel.WEBSITE, Outcome.SUCCESS, remote_id=remote_id, http_status=self._status()
        )

    def check_connection(self) -> ConnectionStatus:
        try:
            me = self._call("GET", "/users/me", params={"context": "edit"})
        except PublishError as exc:
            return failed_connection(exc.receipt)
        if not isinstance(me, Mapping):
            return failed_connection(_bad("users/me answered without a user", Outcome.RETRYABLE))
        name = str(me.get("name") or me.get("slug") or self.site_url)
        held = me.get("capabilities")
        caps = held if isinstance(held, Mapping) else {}
        missing = [c for c in NEEDED_CAPABILITIES if caps.get(c) is not True]
        if missing:
            return ConnectionStatus(
                AccountHealth.ERROR,
                f"Pengguna WordPress {name} belum punya hak {', '.join(missing)}.",
                account_name=name,
            )
        return ConnectionStatus(AccountHealth.OK, f"Terhubung sebagai {name}.", account_name=name)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _existing_term(response: requests.Response | None) -> int | None:
    """The id WordPress names in a 400 `term_exists` (a term made meanwhile)."""
    body = _json(response) if response is not None else None
    if not isinstance(body, Mapping) or body.get("code") != "term_exists":
        return None
    data = body.get("data")
    term_id = data.get("term_id") if isinstance(data, Mapping) else None
    return term_id if isinstance(term_id, int) else None


def _receipt(post: Any, outcome: Outcome, status: int | None) -> Receipt | None:
    if not isinstance(post, Mapping) or not post.get("id"):
        return None
    link = post.get("link")
    return Receipt(
        Channel.WEBSITE,
        outcome,
        remote_id=str(post["id"]),
        url=str(link) if link else None,
        http_status=status,
    )


def _bad(message: str, outcome: Outcome) -> Receipt:
    return Receipt(Channel.WEBSITE, outcome, Reason.BAD_RESPONSE, platform_message=message)


def build(
    account: Account, credentials: Mapping[str, Any], config: PublisherSettings
) -> WebsitePublisher:
    site_url = str((account.settings or {}).get("site_url") or "").strip()
    if not site_url.startswith(("https://", "http://")):
        raise ValueError("a website account needs the site_url setting (https://...)")
    return WebsitePublisher(
        site_url=site_url,
        credentials=secrets_from(credentials, CREDENTIALS),
        config=config,
        handle=account.handle,
    )
