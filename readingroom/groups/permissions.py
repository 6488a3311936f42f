"""Who may see and do what in a group. Private things answer 404: check_* raise Http404.

One rule per question, used by pages, the API, search, feeds and notifications:
- a group's page (name, about, code of conduct): anyone, except a hidden group, which only its
  members (and site staff) know exists;
- a group's content (its posts and their replies): anyone for a public group, otherwise only its
  members; `content_q` is that rule as a query, applied by Post.objects.visible_to;
- posting: members; moderating (requests, invitations, pins, removals, bans): owners and moderators;
  settings, roles and deleting the group: owners.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from readingroom.groups.models import Group, GroupBan, Membership, Privacy, Role


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def membership(user, group: Group) -> Membership | None:
    """The member's membership of the group, read once per user object and group."""
    if not _signed_in(user):
        return None
    cache = user.__dict__.setdefault("_group_memberships", {})
    if group.pk not in cache:
        cache[group.pk] = Membership.objects.filter(group=group, user=user).first()
    return cache[group.pk]


def forget_membership(user, group: Group) -> None:
    """Drop the cached answer after the member joins, leaves or changes role."""
    if user is not None:
        user.__dict__.get("_group_memberships", {}).pop(group.pk, None)


def is_banned(user, group: Group) -> bool:
    return _signed_in(user) and GroupBan.objects.filter(group=group, user=user).exists()


def content_q(viewer, prefix: str = "group") -> Q:
    """Rows whose group (through `prefix`) the viewer may read: none, a public one, or one of theirs."""
    free = Q(**{f"{prefix}__isnull": True}) | Q(**{f"{prefix}__privacy": Privacy.PUBLIC})
    if not _signed_in(viewer):
        return free
    return free | Q(**{f"{prefix}__in": Membership.objects.filter(user=viewer).values("group")})


def can_view_group(viewer, group: Group) -> bool:
    if group.privacy != Privacy.HIDDEN:
        return True
    return membership(viewer, group) is not None or bool(_signed_in(viewer) and viewer.is_staff)


def check_can_view_group(viewer, group: Group) -> None:
    if not can_view_group(viewer, group):
        raise Http404("No such group")


def can_read_content(viewer, group: Group) -> bool:
    return group.privacy == Privacy.PUBLIC or membership(viewer, group) is not None


def check_can_read_content(viewer, group: Group) -> None:
    check_can_view_group(viewer, group)
    if not can_read_content(viewer, group):
        raise Http404("No such group")


def can_post(user, group: Group) -> bool:
    return membership(user, group) is not None


def can_moderate(user, group: Group) -> bool:
    found = membership(user, group)
    return found is not None and found.moderates


def check_can_moderate(user, group: Group) -> None:
    check_can_view_group(user, group)
    if not can_moderate(user, group):
        raise Http404("No such group")


def can_manage(user, group: Group) -> bool:
    found = membership(user, group)
    return found is not None and found.role == Role.OWNER


def check_can_manage(user, group: Group) -> None:
    check_can_view_group(user, group)
    if not can_manage(user, group):
        raise Http404("No such group")


def can_join(user, group: Group) -> bool:
    """Join at once: a public group, for a signed-in member not in it and not banned from it."""
    return (
        _signed_in(user)
        and group.privacy == Privacy.PUBLIC
        and membership(user, group) is None
        and not is_banned(user, group)
    )


def can_request(user, group: Group) -> bool:
    """Ask to join: a private group (a hidden one takes invitations only)."""
    return (
        _signed_in(user)
        and group.privacy == Privacy.PRIVATE
        and membership(user, group) is None
        and not is_banned(user, group)
    )


def can_remove(actor, target: Membership) -> bool:
    """Moderators remove members; only owners remove moderators; nobody removes an owner."""
    mine = membership(actor, target.group)
    if mine is None or not mine.moderates or target.user_id == actor.pk or target.role == Role.OWNER:
        return False
    return target.role == Role.MEMBER or mine.role == Role.OWNER
