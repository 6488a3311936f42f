"""What a post card shows, worked out once per post in Python.

Timeline pages must render 20 cards in a few milliseconds, so the card template only prints
plain attributes: no URL reversing, date formatting or chained lookups per post. URLs are
reversed once per page with a placeholder and filled in by string replacement.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.urls import reverse
from django.utils import timezone

from readingroom.core.models import Visibility
from readingroom.posts.models import Post

_ID = "2147483646"
_HANDLE = "zz_handle_zz"
_POST_URLS = ("detail", "history", "like", "boost", "bookmark", "edit", "delete")
VISIBILITY_LABELS = {
    Visibility.PUBLIC: "Public",
    Visibility.MEMBERS: "Members only",
    Visibility.FOLLOWERS: "Followers only",
}


@cache  # the URLconf does not change while the process runs
def _url_patterns() -> tuple[dict[str, str], str, str]:
    posts = {name: reverse(f"posts:{name}", args=[_ID]) for name in _POST_URLS}
    return posts, reverse("network:profile", args=[_HANDLE]), reverse("posts:group", args=[_HANDLE])


def decorate(posts: Sequence[Post]) -> None:
    """Attach card fields: each row gets `.t` (the post whose content shows) and flat display values."""
    if not posts:
        return
    patterns, profile_url, group_url = _url_patterns()
    for post in posts:
        target = post.boost_of if post.boost_of_id else post
        if not hasattr(target, "links"):
            pk = str(target.pk)
            target.links = {name: url.replace(_ID, pk) for name, url in patterns.items()}
            profile = target.author.profile
            target.author_name = profile.display_name
            target.author_handle = profile.handle
            target.author_url = profile_url.replace(_HANDLE, profile.handle)
            target.avatar_url = profile.avatar.url if profile.avatar else ""
            target.visibility_label = VISIBILITY_LABELS.get(target.visibility, "")
            slug = getattr(target, "group_slug", None)
            target.group_name = getattr(target, "group_name", "") if slug else ""
            target.group_url = group_url.replace(_HANDLE, slug) if slug else ""
            target.boostable = target.visibility != Visibility.FOLLOWERS and not slug
            target.created_iso = target.created_at.isoformat()
            # In the viewer's own time zone (activated by accounts' MemberTimeZoneMiddleware).
            target.created_label = f"{timezone.localtime(target.created_at):%-d %b %Y, %H:%M}"
        post.t = target
        handle = getattr(post, "reply_to_handle", None)
        post.reply_to_url = profile_url.replace(_HANDLE, handle) if handle else ""
        if post.boost_of_id:
            booster = post.author.profile
            post.booster_name = booster.display_name
            post.booster_url = profile_url.replace(_HANDLE, booster.handle)
