"""Who may do what with posts. Private things answer 404: check_* raise Http404."""

from __future__ import annotations

from django.http import Http404

from readingroom.core.models import Visibility
from readingroom.groups import permissions as group_permissions
from readingroom.posts.models import Post


def original(post: Post) -> Post:
    """The post a boost points at, or the post itself: likes, replies and bookmarks go there."""
    return post.boost_of if post.boost_of_id else post


def can_see_post(viewer, post: Post) -> bool:
    return Post.objects.visible_to(viewer).filter(pk=post.pk).exists()


def check_can_see_post(viewer, post: Post) -> None:
    if not can_see_post(viewer, post):
        raise Http404("No such post")


def can_edit_post(user, post: Post) -> bool:
    """The author, while they may still write there: a member who left or was banned from the
    post's group cannot rewrite what they posted in it (they may still delete it)."""
    if not (user.is_authenticated and post.author_id == user.id and not post.is_boost):
        return False
    return not post.group_id or group_permissions.can_post(user, post.group)


def check_can_edit_post(user, post: Post) -> None:
    if not can_edit_post(user, post):
        raise Http404("No such post")


def can_delete_post(user, post: Post) -> bool:
    return bool(user.is_authenticated and (post.author_id == user.id or user.is_staff))


def check_can_delete_post(user, post: Post) -> None:
    if not can_delete_post(user, post):
        raise Http404("No such post")


def can_boost(user, post: Post) -> bool:
    """Followers-only posts stay with the author's followers, and group posts with the group:
    nobody may boost them."""
    target = original(post)
    return bool(user.is_authenticated and target.visibility != Visibility.FOLLOWERS and not target.group_id)
