"""The digest email: plain text and HTML, with the notifications app's RFC 8058 one-click
unsubscribe headers and a token scoped to the digest (ADR 0008, 0009).

Written in Python, not as templates: a run renders 100,000 of these, and through the template
engine the two parts cost about 1.7 ms a member, more than half of the whole run's budget (as
posts.card_html found for post cards). Every member-supplied value is escaped explicitly in the
HTML part; the text part is plain text.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from readingroom.digests.content import CHECKED, Claim, DigestContent, PostItem, Recipient
from readingroom.digests.models import DigestSchedule
from readingroom.digests.queries import describe
from readingroom.digests.schedule import member_zone
from readingroom.notifications import emails as notification_emails

SCOPE = "digest"
SUBJECT_MAX = 150
HEADLINE = "What your network shared while you were away"


def unsubscribe_url(member_id: int) -> str:
    token = notification_emails.scoped_unsubscribe_token(member_id=member_id, scope=SCOPE)
    return notification_emails.absolute(reverse("digests:unsubscribe", args=[token]))


def read_unsubscribe_token(token: str) -> int | None:
    return notification_emails.read_scoped_unsubscribe_token(token, scope=SCOPE)


@dataclass(frozen=True)
class Links:
    """Absolute URL prefixes, resolved once per run rather than once per link."""

    post: str  # + id
    person: str  # + handle
    notification: str  # + id + "/"
    settings: str

    @classmethod
    def resolve(cls) -> Links:
        site = notification_emails.absolute("")
        return cls(
            post=site + reverse("posts:detail", args=[1]).removesuffix("1"),
            person=site + reverse("network:profile", args=["x"]).removesuffix("x"),
            notification=site + reverse("notifications:open", args=[1]).removesuffix("1/"),
            settings=site + reverse("digests:settings"),
        )


def _count(total: int, more: bool) -> str:
    return f"{CHECKED}+" if more else str(total)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary(content: DigestContent) -> str:
    """ "5 posts, 50+ new followers, 1 reply" """
    parts = []
    for count, more, one, many in (
        (len(content.top_posts), False, "post", "posts"),
        (content.followers_total, False, "new follower", "new followers"),
        (content.replies_total, content.replies_more, "reply", "replies"),
        (len(content.notifications), False, "notification", "notifications"),
    ):
        if count:
            parts.append(f"{_count(count, more)} {one if count == 1 and not more else many}")
    return ", ".join(parts)


@dataclass(frozen=True)
class _Parts:
    """Everything both parts show, with links made absolute."""

    subject: str
    name: str
    since: str
    content: DigestContent
    followers_url: str
    schedule: str
    time_zone: str
    links: Links
    unsubscribe: str


def _stats(p: PostItem) -> str:
    return " · ".join(
        (
            _plural(p.likes, "like", "likes"),
            _plural(p.boosts, "boost", "boosts"),
            _plural(p.replies, "reply", "replies"),
        )
    )


def _text(d: _Parts) -> str:
    c, links = d.content, d.links
    out = [f"Hello {d.name},", "", f"Here is what your network shared while you were away, since {d.since}."]
    if c.top_posts:
        out += ["", "TOP POSTS FROM PEOPLE AND HASHTAGS YOU FOLLOW"]
        for p in c.top_posts:
            out += ["", f"* {p.author_name} (@{p.author_handle}): “{p.excerpt}”", f"  {_stats(p)}"]
            out.append(f"  {links.post}{p.post_id}")
    if c.new_followers:
        out += ["", f"NEW FOLLOWERS ({c.followers_total})", ""]
        out += [f"* {f.display_name} (@{f.handle}): {links.person}{f.handle}" for f in c.new_followers]
        others = c.followers_total - len(c.new_followers)
        if others > 0:
            out.append(f"…and {others} more: {d.followers_url}")
    if c.replies:
        out += ["", f"REPLIES TO YOU ({_count(c.replies_total, c.replies_more)})"]
        for p in c.replies:
            out += ["", f"* {p.author_name} (@{p.author_handle}): “{p.excerpt}”", f"  {links.post}{p.post_id}"]
    if c.notifications:
        out += ["", "NOTIFICATIONS"]
        for n in c.notifications:
            quote = f": “{n.description.excerpt}”" if n.description.excerpt else ""
            out += ["", f"* {n.description.text}{quote}", f"  {links.notification}{n.pk}/"]
    out += ["", "--", f"You get this digest {d.schedule} ({d.time_zone})."]
    out += [f"Change when it comes: {links.settings}", f"Stop the digest: {d.unsubscribe}", ""]
    return "\n".join(out)


def _html_post(p: PostItem, links: Links, *, link_text: str, stats: bool) -> str:
    url = escape(f"{links.post}{p.post_id}")
    line = f"{escape(_stats(p))} · " if stats else ""
    return (
        f"<li><p><strong>{escape(p.author_name)}</strong> (@{escape(p.author_handle)})</p>"
        f"<blockquote>{escape(p.excerpt)}</blockquote>"
        f'<p>{line}<a href="{url}">{link_text}</a></p></li>'
    )


def _html(d: _Parts) -> str:
    c, links = d.content, d.links
    out = [
        '<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8">',
        f"<title>{escape(d.subject)}</title></head>\n<body>",
        f"<p>Hello {escape(d.name)},</p>\n<h1>{HEADLINE}</h1>\n<p>Since {escape(d.since)}.</p>",
    ]
    if c.top_posts:
        out.append("<h2>Top posts from people and hashtags you follow</h2>\n<ul>")
        out += [_html_post(p, links, link_text="Read the post", stats=True) for p in c.top_posts]
        out.append("</ul>")
    if c.new_followers:
        out.append(f"<h2>New followers ({c.followers_total})</h2>\n<ul>")
        out += [
            f'<li><a href="{escape(links.person + f.handle)}">{escape(f.display_name)}</a> (@{escape(f.handle)})</li>'
            for f in c.new_followers
        ]
        out.append("</ul>")
        others = c.followers_total - len(c.new_followers)
        if others > 0:
            out.append(f'<p><a href="{escape(d.followers_url)}">…and {others} more</a></p>')
    if c.replies:
        out.append(f"<h2>Replies to you ({_count(c.replies_total, c.replies_more)})</h2>\n<ul>")
        out += [_html_post(p, links, link_text="Read the reply", stats=False) for p in c.replies]
        out.append("</ul>")
    if c.notifications:
        out.append("<h2>Notifications</h2>\n<ul>")
        for n in c.notifications:
            quote = f"<blockquote>{escape(n.description.excerpt)}</blockquote>" if n.description.excerpt else ""
            url = escape(f"{links.notification}{n.pk}/")
            out.append(f'<li><a href="{url}">{escape(n.description.text)}</a>{quote}</li>')
        out.append("</ul>")
    out.append(
        f"<hr>\n<p>You get this digest {escape(d.schedule)} ({escape(d.time_zone)}).<br>\n"
        f'<a href="{escape(links.settings)}">Change when it comes</a> · '
        f'<a href="{escape(d.unsubscribe)}">Stop the digest</a></p>\n</body>\n</html>\n'
    )
    return "\n".join(out)


class DigestMessage(EmailMultiAlternatives):
    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        # A random boundary set here spares the serialiser from compiling a regular expression per
        # message to check the one it would invent (a fifth of its time); nobody can guess this one.
        message.set_boundary(f"=={secrets.token_hex(16)}==")
        return message


def build_message(
    recipient: Recipient, claim: Claim, content: DigestContent, *, links: Links | None = None
) -> EmailMultiAlternatives:
    links = links or Links.resolve()
    zone = member_zone(claim.time_zone)
    since = claim.since.astimezone(zone)
    subject = " ".join(f"[{settings.SITE_NAME}] Your {claim.frequency} digest: {summary(content)}".split())
    parts = _Parts(
        subject=subject[:SUBJECT_MAX],
        name=recipient.display_name,
        since=f"{since:%A} {since.day} {since:%B}, {since:%H:%M}",
        content=content,
        followers_url=f"{links.person}{recipient.handle}/followers",
        schedule=describe(DigestSchedule(frequency=claim.frequency, weekday=claim.weekday, hour=claim.hour)),
        time_zone=zone.key.replace("_", " "),
        links=links,
        unsubscribe=unsubscribe_url(recipient.member_id),
    )
    message = DigestMessage(
        subject=parts.subject,
        body=_text(parts),
        to=[recipient.email],
        headers=notification_emails.list_unsubscribe_headers(parts.unsubscribe),
    )
    message.attach_alternative(_html(parts), "text/html")
    return message
