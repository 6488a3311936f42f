"""Notification kinds of groups. Their subject is the group; a loader shows a notification only
while the recipient may still act on it: a join request while they moderate the group, an approval
while they are a member."""

from __future__ import annotations


def register_kinds() -> None:
    from readingroom.notifications import kinds
    from readingroom.notifications.kinds import Delivery, Grouping, Kind

    kinds.register(
        Kind(
            slug="group_request",
            label="Group join requests",
            default_delivery=Delivery.EMAIL,
            grouping=Grouping.SUBJECT,
            load=load_moderated_groups,
            describe=describe_request,
            help_text="When someone asks to join a group you moderate.",
        )
    )
    kinds.register(
        Kind(
            slug="group_joined",
            label="Group approvals",
            default_delivery=Delivery.EMAIL,
            grouping=Grouping.NONE,
            load=load_member_groups,
            describe=describe_joined,
            help_text="When a group you asked to join lets you in.",
        )
    )


def _load(viewer, notifications, roles):
    from readingroom.groups.models import Group, Membership

    ids = {n.subject_id for n in notifications}
    # The viewer's own membership must have the role: one condition on one row, not two joins.
    memberships = Membership.objects.filter(user=viewer)
    if roles:
        memberships = memberships.filter(role__in=roles)
    mine = Group.objects.filter(pk__in=ids).filter(pk__in=memberships.values("group"))
    groups = {g.pk: g for g in mine.only("id", "slug", "name")}
    shown = []
    for n in notifications:
        n.subject = groups.get(n.subject_id)
        if n.subject is not None:
            shown.append(n)
    return shown


def load_moderated_groups(viewer, notifications):
    from readingroom.groups.models import Role

    return _load(viewer, notifications, [Role.OWNER, Role.MODERATOR])


def load_member_groups(viewer, notifications):
    return _load(viewer, notifications, None)


def describe_request(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description, actors_text

    group = notification.subject
    return Description(
        text=f"{actors_text(notification)} asked to join {group.name}",
        url=reverse("groups:requests", args=[group.slug]),
    )


def describe_joined(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description

    group = notification.subject
    return Description(text=f"You are now a member of {group.name}", url=reverse("posts:group", args=[group.slug]))
