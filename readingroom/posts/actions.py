"""Every write to posts: compose, edit, delete, like, boost, bookmark, follow hashtags.

Actions re-check permissions themselves (views check too) so that every caller gets the same rules.
Counters move with F() expressions, never read-modify-write; each toggle is idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from readingroom.accounts.models import Profile
from readingroom.core.images import process_image
from readingroom.core.models import Visibility
from readingroom.groups import actions as group_actions
from readingroom.groups import permissions as group_permissions
from readingroom.groups.models import Group
from readingroom.notifications import actions as notifications
from readingroom.posts import content
from readingroom.posts.models import Bookmark, Hashtag, HashtagFollow, Like, Mention, Post, PostEdit, PostImage
from readingroom.posts.permissions import (
    can_boost,
    check_can_delete_post,
    check_can_edit_post,
    check_can_see_post,
    original,
)
from readingroom.posts.timeline import add_to_own_timeline, enqueue_fan_out, merge_hashtag

ALT_TEXT_MAX = 1500
HASHTAG_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# The notification kinds whose subject is a post (registered in posts/apps.py).
NOTIFICATION_KINDS = ("mention", "reply", "like", "boost")


def _increment(model, pk: int, field: str, by: int) -> None:
    """Add `by` to a counter in SQL; a decrement never takes it below zero."""
    rows = model.objects.filter(pk=pk)
    if by < 0:
        rows = rows.filter(**{f"{field}__gte": -by})
    rows.update(**{field: F(field) + by})


def _clean_images(images: Sequence[tuple[object, str]]) -> list[tuple[object, int, int, str]]:
    """Validate (upload, alt_text) pairs and process each image before anything is written."""
    if len(images) > settings.RR_MAX_IMAGES:
        raise ValidationError(f"A post can have at most {settings.RR_MAX_IMAGES} images.", code="too_many_images")
    cleaned = []
    for number, (upload, alt_text) in enumerate(images, start=1):
        alt_text = (alt_text or "").strip()
        if not alt_text:
            raise ValidationError(f"Image {number} needs a description (alt text).", code="alt_required")
        if len(alt_text) > ALT_TEXT_MAX:
            raise ValidationError(
                f"Image {number}'s description can be at most {ALT_TEXT_MAX:,} characters.", code="alt_too_long"
            )
        try:
            file, width, height = process_image(upload, max_side=1600)
        except ValidationError as exc:
            raise ValidationError(f"Image {number}: {exc.messages[0]}", code=exc.code) from exc
        cleaned.append((file, width, height, alt_text))
    return cleaned


@transaction.atomic
def create_post(
    *,
    author,
    body: str,
    visibility: str,
    reply_to: Post | None = None,
    images: Sequence[tuple[object, str]] = (),
    group: Group | None = None,
) -> Post:
    """Publish a post or reply. `images` holds up to four (uploaded file, alt text) pairs.
    A post in a group, or a reply to one, belongs to the group: only its members may write it,
    and the group's privacy decides who reads it."""
    body = content.clean_body(body, allow_empty=bool(images))
    visibility = content.clean_visibility(visibility)
    if reply_to is not None:
        reply_to = original(reply_to)
        check_can_see_post(author, reply_to)
        # A reply is never seen more widely than what it answers.
        visibility = content.narrowest(visibility, reply_to.visibility)
        group = reply_to.group if reply_to.group_id else None
    if group is not None:
        group_permissions.check_can_read_content(author, group)
        if not group_permissions.can_post(author, group):
            raise PermissionDenied(f"Join {group.name} to post or reply in it.")
        visibility = Visibility.PUBLIC if group.is_public else Visibility.MEMBERS
    cleaned_images = _clean_images(images)
    mentions = content.mentionable(author, body)
    post = Post.objects.create(
        author=author,
        body=body,
        body_html=content.render_body(body, mentions),
        visibility=visibility,
        reply_to=reply_to,
        thread_root_id=(reply_to.thread_root_id or reply_to.pk) if reply_to else None,
        group=group,
    )
    for position, (file, width, height, alt_text) in enumerate(cleaned_images):
        PostImage.objects.create(
            post=post, image=file, width=width, height=height, alt_text=alt_text, position=position
        )
    content.sync_hashtags(post, body)
    content.sync_mentions(post, mentions)
    if reply_to is not None:
        _increment(Post, reply_to.pk, "replies_count", 1)
    _increment(Profile, author.pk, "posts_count", 1)
    # A member who keeps a group's posts out of their home keeps their own there out too.
    if group is None or group_permissions.membership(author, group).show_in_home:
        add_to_own_timeline(post)
    enqueue_fan_out(post)
    if group is not None:
        group_actions.touch(group.pk)
    _notify_on_commit(post)
    return post


def _notify_on_commit(post: Post) -> None:
    """After commit: the replied-to author hears of the reply, each mentioned member of the mention
    (someone both replied to and mentioned is told once, of the reply)."""
    post_id, author_id = post.pk, post.author_id
    parent_author_id = post.reply_to.author_id if post.reply_to_id else None

    def send() -> None:
        if parent_author_id is not None:
            notifications.notify(kind="reply", recipient_id=parent_author_id, actor_id=author_id, subject_id=post_id)
        for user_id in Mention.objects.filter(post_id=post_id).values_list("user_id", flat=True):
            if user_id != parent_author_id:
                notifications.notify(kind="mention", recipient_id=user_id, actor_id=author_id, subject_id=post_id)

    transaction.on_commit(send)


@transaction.atomic
def edit_post(*, post: Post, editor, body: str, visibility: str | None = None) -> Post:
    """Replace a post's text (keeping the previous version) and optionally its visibility."""
    check_can_edit_post(editor, post)
    body = content.clean_body(body, allow_empty=post.images.exists())
    new_visibility = content.clean_visibility(visibility) if visibility else post.visibility
    if post.group_id:  # the group decides who reads it
        new_visibility = post.visibility
    elif post.reply_to_id:
        new_visibility = content.narrowest(new_visibility, post.reply_to.visibility)
    if body == post.body and new_visibility == post.visibility:
        return post
    PostEdit.objects.create(
        post=post, body=post.body, body_html=post.body_html, created_at=post.edited_at or post.created_at
    )
    mentions = content.mentionable(editor, body)
    visibility_changed = new_visibility != post.visibility
    post.body = body
    post.body_html = content.render_body(body, mentions)
    post.visibility = new_visibility
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "visibility", "edited_at"])
    content.sync_hashtags(post, body)
    content.sync_mentions(post, mentions)
    if visibility_changed:
        _resync_boosts(post)
    return post


def _resync_boosts(post: Post) -> None:
    """Boosts share their original's visibility; a post made followers-only loses its boosts."""
    if post.visibility == Visibility.FOLLOWERS:
        post.boosts.all().delete()
        Post.objects.filter(pk=post.pk).update(boosts_count=0)
    else:
        post.boosts.update(visibility=post.visibility)


@transaction.atomic
def delete_post(*, post: Post, actor) -> None:
    """Hard delete: the post, its images, likes, bookmarks, boosts and timeline rows all go."""
    check_can_delete_post(actor, post)
    if post.boost_of_id:
        _increment(Post, post.boost_of_id, "boosts_count", -1)
    else:
        _increment(Profile, post.author_id, "posts_count", -1)
    if post.reply_to_id:
        _increment(Post, post.reply_to_id, "replies_count", -1)
    if post.group_id:  # groups.actions.touch counted it
        _increment(Group, post.group_id, "posts_count", -1)
    if post.thread_root_id is None and not post.boost_of_id:
        _reroot_replies(post)
    files = list(PostImage.objects.filter(post=post).values_list("image", flat=True))
    notifications.forget_subjects(kind_slugs=NOTIFICATION_KINDS, subject_ids=[post.pk])
    post.delete()
    transaction.on_commit(lambda: _delete_files(files))


def _reroot_replies(root: Post) -> None:
    """Each direct reply to a deleted thread root becomes the root of its own sub-thread."""
    parent_of = dict(Post.objects.filter(thread_root=root).values_list("id", "reply_to_id"))
    new_root: dict[int, int | None] = {}
    for post_id in parent_of:
        node = post_id
        while parent_of.get(node) not in (None, root.pk) and parent_of[node] in parent_of:
            node = parent_of[node]
        new_root[post_id] = None if node == post_id else node
    by_root: dict[int | None, list[int]] = {}
    for post_id, top in new_root.items():
        by_root.setdefault(top, []).append(post_id)
    for top, ids in by_root.items():
        Post.objects.filter(pk__in=ids).update(thread_root_id=top)


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@transaction.atomic
def like(*, user, post: Post) -> Post:
    target = original(post)
    check_can_see_post(user, target)
    _, created = Like.objects.get_or_create(user=user, post=target)
    if created:
        _increment(Post, target.pk, "likes_count", 1)
        _notify_author_on_commit("like", target, user)
    return target


def _notify_author_on_commit(kind: str, target: Post, actor) -> None:
    recipient_id, actor_id, post_id = target.author_id, actor.pk, target.pk
    transaction.on_commit(
        lambda: notifications.notify(kind=kind, recipient_id=recipient_id, actor_id=actor_id, subject_id=post_id)
    )


@transaction.atomic
def unlike(*, user, post: Post) -> Post:
    target = original(post)
    deleted, _ = Like.objects.filter(user=user, post=target).delete()
    if deleted:
        _increment(Post, target.pk, "likes_count", -1)
    return target


@transaction.atomic
def boost(*, user, post: Post) -> Post:
    """Share a post with one's followers. Boosting a boost boosts the original. Returns the boost."""
    target = original(post)
    check_can_see_post(user, target)
    if not can_boost(user, target):
        raise PermissionDenied(
            "Group posts stay in their group." if target.group_id else "Followers-only posts cannot be boosted."
        )
    shared, created = Post.objects.get_or_create(
        author=user, boost_of=target, defaults={"visibility": target.visibility}
    )
    if created:
        _increment(Post, target.pk, "boosts_count", 1)
        add_to_own_timeline(shared)
        enqueue_fan_out(shared)
        _notify_author_on_commit("boost", target, user)
    return shared


@transaction.atomic
def unboost(*, user, post: Post) -> Post:
    target = original(post)
    deleted = Post.objects.filter(author=user, boost_of=target).delete()[1].get(Post._meta.label, 0)
    if deleted:
        _increment(Post, target.pk, "boosts_count", -1)
    return target


@transaction.atomic
def bookmark(*, user, post: Post) -> Post:
    target = original(post)
    check_can_see_post(user, target)
    Bookmark.objects.get_or_create(user=user, post=target)
    return target


@transaction.atomic
def unbookmark(*, user, post: Post) -> Post:
    target = original(post)
    Bookmark.objects.filter(user=user, post=target).delete()
    return target


def clean_hashtag_name(name: str) -> str:
    name = (name or "").strip().lstrip("#").lower()
    if not HASHTAG_NAME_RE.match(name):
        raise Http404("No such hashtag")
    return name


@transaction.atomic
def follow_hashtag(*, user, name: str) -> Hashtag:
    hashtag, _ = Hashtag.objects.get_or_create(name=clean_hashtag_name(name))
    _, created = HashtagFollow.objects.get_or_create(user=user, hashtag=hashtag)
    if created:
        merge_hashtag(owner=user, hashtag_id=hashtag.pk)
    return hashtag


@transaction.atomic
def unfollow_hashtag(*, user, name: str) -> None:
    HashtagFollow.objects.filter(user=user, hashtag__name=clean_hashtag_name(name)).delete()


def delete_group_posts(group_id: int) -> None:
    """Before a group is deleted: its posts go as any deleted post goes (files, counts,
    notifications), set-based, in the deleting transaction. Called through groups.hooks."""
    posts = Post.objects.filter(group_id=group_id)
    per_author: dict[int, int] = {}
    for author_id in posts.filter(boost_of__isnull=True).values_list("author_id", flat=True):
        per_author[author_id] = per_author.get(author_id, 0) + 1
    for author_id, count in per_author.items():
        _increment(Profile, author_id, "posts_count", -count)
    ids = list(posts.values_list("pk", flat=True))
    files = list(PostImage.objects.filter(post_id__in=ids).values_list("image", flat=True))
    for start in range(0, len(ids), 500):
        notifications.forget_subjects(kind_slugs=NOTIFICATION_KINDS, subject_ids=ids[start : start + 500])
    posts.delete()
    transaction.on_commit(lambda: _delete_files(files))


def follow_group_privacy(group_id: int, privacy: str) -> None:
    """A group's posts carry its audience in `visibility` too (public, or members), so that
    shortcuts reading only `visibility` stay conservative. Called through groups.hooks."""
    visibility = Visibility.PUBLIC if privacy == "public" else Visibility.MEMBERS
    Post.objects.filter(group_id=group_id).exclude(visibility=visibility).update(visibility=visibility)


def set_post_hidden(*, post: Post, hidden: bool) -> Post:
    """Moderation's tool (readingroom.moderation decides who may and records why): a hidden post,
    and every boost of it, drops out of Post.objects.visible_to, so out of every timeline, thread,
    search result, feed, notification and digest at once; unhiding restores it as it was."""
    moment = timezone.now() if hidden else None
    post.hidden_at = moment
    post.save(update_fields=["hidden_at"])
    Post.objects.filter(boost_of=post).update(hidden_at=moment)
    return post
