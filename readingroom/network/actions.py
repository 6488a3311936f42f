"""Every write to the social graph: follows, follow requests, blocks and mutes.

Counters move with F() only when a row was really created or deleted, so repeated or racing
requests leave them exact. Home timelines are merged or unmerged after commit.
"""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.db.models import F, Q

from readingroom.accounts.models import Block, Follow, FollowRequest, Mute, Profile, User
from readingroom.notifications import actions as notifications
from readingroom.posts import timeline


class RelationshipRefused(Exception):
    """A follow that may not happen (oneself, or across a block). The message is for the member."""


def _blocked_either_way(a: User, b: User) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def _count_follow(follower_id: int, followee_id: int, delta: int) -> None:
    Profile.objects.filter(user_id=follower_id).update(following_count=F("following_count") + delta)
    Profile.objects.filter(user_id=followee_id).update(followers_count=F("followers_count") + delta)


def _start_follow(follower: User, followee: User) -> bool:
    """Create the follow if missing; True when this call created it."""
    _, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    if created:
        _count_follow(follower.pk, followee.pk, +1)
        transaction.on_commit(lambda: timeline.merge_author(owner=follower, author=followee))
    return created


def _end_follow(follower: User, followee: User) -> bool:
    """Delete the follow if present; True when this call deleted it."""
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    if deleted:
        _count_follow(follower.pk, followee.pk, -1)
        transaction.on_commit(lambda: timeline.unmerge_author(owner=follower, author=followee))
    return bool(deleted)


@transaction.atomic
def follow(*, follower: User, followee: User) -> Literal["following", "requested"]:
    """Follow a member, or ask to when their account is locked. Idempotent."""
    if follower.pk == followee.pk:
        raise RelationshipRefused("You cannot follow yourself.")
    if not followee.is_active or _blocked_either_way(follower, followee):
        raise RelationshipRefused("You cannot follow this member.")
    if Follow.objects.filter(follower=follower, followee=followee).exists():
        return "following"
    locked = Profile.objects.filter(user=followee, locked=True).exists()
    if locked:
        _, created = FollowRequest.objects.get_or_create(requester=follower, target=followee)
        if created:
            _notify_on_commit("follow_request", recipient=followee, actor=follower)
        return "requested"
    if _start_follow(follower, followee):
        _notify_on_commit("follow", recipient=followee, actor=follower)
    return "following"


def _notify_on_commit(kind: str, *, recipient: User, actor: User) -> None:
    recipient_id, actor_id = recipient.pk, actor.pk
    transaction.on_commit(lambda: notifications.notify(kind=kind, recipient_id=recipient_id, actor_id=actor_id))


@transaction.atomic
def unfollow(*, follower: User, followee: User) -> None:
    """Stop following, or withdraw a pending request. Idempotent."""
    FollowRequest.objects.filter(requester=follower, target=followee).delete()
    _end_follow(follower, followee)


@transaction.atomic
def approve_follow_request(*, target: User, request_id: int) -> bool:
    """Turn a pending request to `target` into a follow. False when there is no such request."""
    request = FollowRequest.objects.select_related("requester").filter(pk=request_id, target=target).first()
    if request is None:
        return False
    requester = request.requester
    request.delete()
    if requester.is_active and not _blocked_either_way(requester, target):
        _start_follow(requester, target)
    return True


@transaction.atomic
def decline_follow_request(*, target: User, request_id: int) -> bool:
    """Drop a pending request; the requester is not told. False when there is no such request."""
    deleted, _ = FollowRequest.objects.filter(pk=request_id, target=target).delete()
    return bool(deleted)


@transaction.atomic
def remove_follower(*, user: User, follower: User) -> bool:
    """The member ends someone else's follow of them (a soft block)."""
    FollowRequest.objects.filter(requester=follower, target=user).delete()
    return _end_follow(follower, user)


@transaction.atomic
def block(*, blocker: User, blocked: User) -> None:
    """Block a member: follows and requests end both ways, and each leaves the other's home."""
    if blocker.pk == blocked.pk:
        raise RelationshipRefused("You cannot block yourself.")
    Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    FollowRequest.objects.filter(Q(requester=blocker, target=blocked) | Q(requester=blocked, target=blocker)).delete()
    _end_follow(blocker, blocked)
    _end_follow(blocked, blocker)
    # Neither hears from the other any more, including what they did before the block.
    notifications.forget_actor(recipient=blocker, actor=blocked)
    notifications.forget_actor(recipient=blocked, actor=blocker)
    # Unmerge both ways even without a follow: boosts and hashtag follows may have brought posts in.
    transaction.on_commit(lambda: timeline.unmerge_author(owner=blocker, author=blocked))
    transaction.on_commit(lambda: timeline.unmerge_author(owner=blocked, author=blocker))


@transaction.atomic
def unblock(*, blocker: User, blocked: User) -> None:
    """Lift a block. Follows it ended stay ended."""
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()


@transaction.atomic
def mute(*, muter: User, muted: User) -> None:
    """Hide a member's posts from the muter's home timeline; the muted member is not told."""
    if muter.pk == muted.pk:
        raise RelationshipRefused("You cannot mute yourself.")
    _, created = Mute.objects.get_or_create(muter=muter, muted=muted)
    if created:
        transaction.on_commit(lambda: timeline.unmerge_author(owner=muter, author=muted))


@transaction.atomic
def unmute(*, muter: User, muted: User) -> None:
    deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
    if deleted and Follow.objects.filter(follower=muter, followee=muted).exists():
        transaction.on_commit(lambda: timeline.merge_author(owner=muter, author=muted))
