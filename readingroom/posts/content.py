"""Turning a post body into stored content: validated text, rendered HTML, hashtag and mention rows.

Shared by create_post and edit_post so both treat text identically.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from readingroom.accounts.models import Block, Profile
from readingroom.core.models import Visibility
from readingroom.core.text import extract_hashtags, extract_mentions, render_post
from readingroom.posts.models import Hashtag, Mention, Post, PostHashtag

# Larger means seen by fewer people.
_NARROWNESS = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.FOLLOWERS: 2}


def narrowest(*values: str) -> str:
    return max(values, key=lambda v: _NARROWNESS[v])


def clean_visibility(value: str) -> str:
    if value not in Visibility.values:
        raise ValidationError("Choose who can see this post.", code="visibility")
    return value


def clean_body(body: str, *, allow_empty: bool) -> str:
    body = (body or "").strip()
    limit = settings.RR_POST_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            f"A post can be at most {limit:,} characters; this one has {len(body):,}.", code="too_long"
        )
    if not body and not allow_empty:
        raise ValidationError("Write something before posting.", code="empty")
    return body


def mentionable(author, body: str) -> dict[str, int]:
    """Handle → user id for each @mention of an active member (handles matched case-insensitively)."""
    names = extract_mentions(body)
    if not names:
        return {}
    rows = (
        Profile.objects.annotate(lower_handle=Lower("handle"))
        .filter(lower_handle__in=names, user__is_active=True)
        .values_list("lower_handle", "handle", "user_id")
    )
    return {lower: (handle, user_id) for lower, handle, user_id in rows}


def render_body(body: str, mentions: dict) -> str:
    def mention_url(name: str) -> str | None:
        found = mentions.get(name)
        return reverse("network:profile", args=[found[0]]) if found else None

    def hashtag_url(name: str) -> str:
        return reverse("posts:hashtag", args=[name])

    return render_post(body, mention_url=mention_url, hashtag_url=hashtag_url)


def sync_hashtags(post: Post, body: str) -> None:
    names = extract_hashtags(body)
    if names:
        Hashtag.objects.bulk_create([Hashtag(name=n) for n in names], ignore_conflicts=True)
    wanted = set(Hashtag.objects.filter(name__in=names).values_list("id", flat=True)) if names else set()
    PostHashtag.objects.filter(post=post).exclude(hashtag_id__in=wanted).delete()
    PostHashtag.objects.bulk_create(
        [PostHashtag(post=post, hashtag_id=tag_id) for tag_id in wanted], ignore_conflicts=True
    )


def sync_mentions(post: Post, mentions: dict) -> None:
    """Mention rows (which later drive notifications) skip the author and anyone in a block with them."""
    user_ids = {user_id for _, user_id in mentions.values()} - {post.author_id}
    if user_ids:
        author = post.author_id
        blocks = Block.objects.filter(
            Q(blocker_id=author, blocked_id__in=user_ids) | Q(blocked_id=author, blocker_id__in=user_ids)
        ).values_list("blocker_id", "blocked_id")
        blocked = {user_id for pair in blocks for user_id in pair}
        user_ids -= blocked
    Mention.objects.filter(post=post).exclude(user_id__in=user_ids).delete()
    Mention.objects.bulk_create([Mention(post=post, user_id=u) for u in user_ids], ignore_conflicts=True)
