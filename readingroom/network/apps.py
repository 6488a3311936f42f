"""The network app, and the notification kinds it plugs into the notifications app (ADR 0008):
follow and follow_request. Their subjects are the members who acted."""

from __future__ import annotations

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "readingroom.network"
    label = "network"

    def ready(self) -> None:
        from readingroom.core import settings_nav
        from readingroom.notifications import kinds

        settings_nav.register(key="requests", label="Follow requests", url_name="network:requests", order=30)
        settings_nav.register(key="blocks_mutes", label="Blocked and muted", url_name="network:blocks_mutes", order=40)
        from readingroom.notifications.kinds import Delivery, Grouping, Kind

        kinds.register(
            Kind(
                slug="follow",
                label="Follows",
                default_delivery=Delivery.IN_APP,
                grouping=Grouping.DAY,
                load=load_visible_followers,
                describe=describe_follow,
                help_text="When someone starts following you.",
            )
        )
        kinds.register(
            Kind(
                slug="follow_request",
                label="Follow requests",
                default_delivery=Delivery.EMAIL,
                grouping=Grouping.DAY,
                load=load_requesters,
                describe=describe_follow_request,
                help_text="When someone asks to follow your locked account.",
            )
        )


def load_visible_followers(viewer, notifications):
    """Followers are named only where the viewer may see their profile (the followers list's rule,
    can_view_profile as a query condition): one query for the page."""
    from readingroom.accounts.models import Profile
    from readingroom.network.queries import visible_profiles_q

    ids = {a.user_id for n in notifications for a in n.actors}
    visible = set(
        Profile.objects.filter(user_id__in=ids).filter(visible_profiles_q(viewer)).values_list("user_id", flat=True)
    )
    shown = []
    for n in notifications:
        n.actors = [a for a in n.actors if a.user_id in visible]
        n.subject = None
        if n.actors:
            shown.append(n)
    return shown


def load_requesters(viewer, notifications):
    """Requesters are shown as the follow requests page shows them (blocks are already applied)."""
    for n in notifications:
        n.subject = None
    return list(notifications)


def describe_follow(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description, actors_text

    actors = notification.actors
    if getattr(notification, "actor_total", 1) == 1 and len(actors) == 1:
        url = reverse("network:profile", args=[actors[0].handle])
    else:
        url = reverse("network:followers", args=[viewer.profile.handle])
    return Description(text=f"{actors_text(notification)} followed you", url=url)


def describe_follow_request(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description, actors_text

    return Description(text=f"{actors_text(notification)} asked to follow you", url=reverse("network:requests"))
