"""What goes in each member's digest, built for a whole batch of members at once.

A batch of any size costs a constant number of queries (a dozen or so): the batch's follows,
followed hashtags and mutes; the candidate posts, replies and new followers of every member in
their period; one visibility check of every candidate post (Post.objects.visible_to, per member)
and one of the newest followers (visible_profiles_q, per member), each as one statement per
hundred members (digests.visibility); and the display fields of what is shown. Only members who
chose some notification kinds "in the digest" cost queries of their own (notifications decorate
per viewer). See docs/adr/0009-digests.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Exists, OuterRef

from readingroom.accounts.models import Profile, User
from readingroom.digests.candidates import RunCache, chunks, read_candidates, top_candidates
from readingroom.digests.visibility import ForManyViewers
from readingroom.network.queries import visible_profiles_q
from readingroom.notifications import queries as notification_queries
from readingroom.notifications.kinds import excerpt
from readingroom.posts.models import Post

TOP_POSTS = 5
TOP_CHECKED = 3 * TOP_POSTS  # candidates checked for visibility, best first
REPLIES_SHOWN = 5
FOLLOWERS_SHOWN = 10
FOLLOWERS_CHECKED = FOLLOWERS_SHOWN  # the newest followers whose profiles are checked (and named if visible)
CHECKED = 50  # replies checked per member; more than this says "50+"
NOTIFICATIONS_SHOWN = 10
# Notification kinds the digest already covers with sections of its own.
COVERED_KINDS = ("follow", "reply")


@dataclass(frozen=True)
class Claim:
    """A member's digest claimed by a run: the period it covers and their settings."""

    digest_id: int
    member_id: int
    since: datetime
    until: datetime
    frequency: str
    weekday: int
    hour: int
    time_zone: str


@dataclass(frozen=True)
class Recipient:
    member_id: int
    email: str
    display_name: str
    handle: str


@dataclass(frozen=True)
class PostItem:
    post_id: int
    author_name: str
    author_handle: str
    excerpt: str
    likes: int
    boosts: int
    replies: int


@dataclass(frozen=True)
class Person:
    handle: str
    display_name: str


@dataclass
class DigestContent:
    top_posts: list[PostItem] = field(default_factory=list)
    new_followers: list[Person] = field(default_factory=list)
    followers_total: int = 0
    replies: list[PostItem] = field(default_factory=list)
    replies_total: int = 0
    replies_more: bool = False
    notifications: list = field(default_factory=list)  # decorated Notification rows

    @property
    def items(self) -> int:
        return len(self.top_posts) + self.followers_total + self.replies_total + len(self.notifications)


def _visible_posts(viewer: User, ids: list[int]):
    return Post.objects.visible_to(viewer).filter(pk__in=ids)


def _visible_people(viewer: User, ids: list[int]):
    return Profile.objects.filter(user_id__in=ids).filter(visible_profiles_q(viewer))


VISIBLE_POSTS = ForManyViewers(_visible_posts)
VISIBLE_PEOPLE = ForManyViewers(_visible_people, fields=("handle", "display_name"))


def recipients(member_ids: Sequence[int]) -> dict[int, Recipient]:
    """The members a digest may be sent to: active, with an address, and (when sign-up requires
    it) a verified one, so an address someone else signed up with never gets a digest."""
    members = User.objects.filter(pk__in=member_ids, is_active=True, profile__isnull=False).exclude(email="")
    if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory":
        members = members.filter(Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True)))
    rows = members.values_list("pk", "email", "profile__display_name", "profile__handle")
    return {pk: Recipient(pk, email, name or handle, handle) for pk, email, name, handle in rows}


def build_contents(
    claims: Sequence[Claim], *, floors: tuple[int, int], cache: RunCache | None = None
) -> dict[int, DigestContent]:
    """Each claimed member's digest content. `floors` are the lowest post and follow ids created in
    the longest window (a range bound for the indexes; every period lies inside that window);
    `cache` carries posts already read from one batch of a run to the next."""
    if not claims:
        return {}
    found = read_candidates(claims, floors, cache if cache is not None else RunCache())
    top, replies, followers = {}, {}, {}
    for claim in claims:
        m = claim.member_id
        muted = found.mutes.get(m, set())
        top[m] = top_candidates(claim, found, limit=TOP_CHECKED)
        replies[m] = [pk for pk, author in found.replies.get(m, ()) if author not in muted]
        followers[m] = [f for f in found.followers.get(m, ()) if f not in muted]
    # Replies are counted among those the member may see; new followers all count (as a profile's
    # follower count does), and only those whose profiles the member may see are named.
    seen_posts = VISIBLE_POSTS.allowed({m: top[m] + replies[m][:CHECKED] for m in top if top[m] or replies[m]})
    seen_people = VISIBLE_PEOPLE.allowed({m: ids[:FOLLOWERS_CHECKED] for m, ids in followers.items() if ids})

    shown_posts = {m: [p for p in top[m] if p in seen_posts.get(m, ())][:TOP_POSTS] for m in top}
    shown_replies = {m: [p for p in replies[m][:CHECKED] if p in seen_posts.get(m, ())] for m in top}
    posts = _post_items(p for m in top for p in shown_posts[m] + shown_replies[m][:REPLIES_SHOWN])
    people: dict[int, list[Person]] = {}
    for m in top:
        seen = seen_people.get(m, {})
        people[m] = [Person(seen[f][0], seen[f][1] or seen[f][0]) for f in followers[m] if f in seen]
    notifications = _notifications(claims)
    return {
        m: DigestContent(
            top_posts=[posts[p] for p in shown_posts[m] if p in posts],
            new_followers=people[m][:FOLLOWERS_SHOWN],
            followers_total=len(followers[m]),
            replies=[posts[p] for p in shown_replies[m][:REPLIES_SHOWN] if p in posts],
            replies_total=len(shown_replies[m]),
            replies_more=len(replies[m]) > CHECKED,
            notifications=notifications.get(m, []),
        )
        for m in top
    }


def _post_items(ids: Iterable[int]) -> dict[int, PostItem]:
    items = {}
    fields = ("pk", "body", "author__profile__display_name", "author__profile__handle")
    fields += ("likes_count", "boosts_count", "replies_count")
    for chunk in chunks(ids):
        for pk, body, name, handle, likes, boosts, replies in Post.objects.filter(pk__in=chunk).values_list(*fields):
            items[pk] = PostItem(pk, name or handle or "", handle or "", excerpt(body, 200), likes, boosts, replies)
    return items


def _notifications(claims: Sequence[Claim]) -> dict[int, list]:
    """Notifications of kinds the member wants "in the digest": one query finds who has any in
    the batch; only those members' notifications are then read and decorated."""
    by_member = {c.member_id: c for c in claims}
    since = min(c.since for c in claims)
    wanting = set(
        notification_queries.members_wanting_digest_items(since=since).filter(recipient_id__in=list(by_member))
    )
    if not wanting:
        return {}
    found = {}
    for member in User.objects.select_related("profile").filter(pk__in=wanting):
        claim = by_member[member.pk]
        rows = notification_queries.digest_notifications(
            member, since=claim.since, until=claim.until, exclude_kinds=COVERED_KINDS, limit=NOTIFICATIONS_SHOWN
        )
        if rows:
            found[member.pk] = rows
    return found
