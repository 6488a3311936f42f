"""The posts app, and the notification kinds it plugs into the notifications app (ADR 0008):
mention, reply, like and boost. Their subject is a post; who may still see it is visible_to's call."""

from __future__ import annotations

from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "readingroom.posts"
    label = "posts"

    def ready(self) -> None:
        from readingroom.groups import hooks
        from readingroom.notifications import kinds
        from readingroom.posts.actions import delete_group_posts, follow_group_privacy
        from readingroom.posts.timeline import remove_group_from_home

        hooks.on_membership_ended(remove_group_from_home)
        hooks.on_group_deleting(delete_group_posts)
        hooks.on_privacy_changed(follow_group_privacy)
        from readingroom.notifications.kinds import Delivery, Grouping, Kind

        post_kinds = [
            ("mention", "Mentions", Delivery.EMAIL, Grouping.NONE, "When someone @mentions you in a post."),
            ("reply", "Replies", Delivery.EMAIL, Grouping.NONE, "When someone replies to one of your posts."),
            ("like", "Likes", Delivery.IN_APP, Grouping.SUBJECT, "When someone likes one of your posts."),
            ("boost", "Boosts", Delivery.IN_APP, Grouping.SUBJECT, "When someone boosts one of your posts."),
        ]
        for slug, label, delivery, grouping, help_text in post_kinds:
            kinds.register(
                Kind(
                    slug=slug,
                    label=label,
                    default_delivery=delivery,
                    grouping=grouping,
                    load=load_notified_posts,
                    describe=describe_post_notification,
                    help_text=help_text,
                )
            )


def load_notified_posts(viewer, notifications):
    """One query for the subjects of every post kind on a page, through Post.objects.visible_to.
    A mention also needs the post to still mention the viewer (an edit may have removed it)."""
    from django.db.models import Exists, OuterRef

    from readingroom.posts.models import Mention, Post

    ids = {n.subject_id for n in notifications}
    posts = {
        p.pk: p
        for p in Post.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .only("id", "body", "author_id")
        .annotate(mentions_viewer=Exists(Mention.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)))
    }
    shown = []
    for n in notifications:
        post = posts.get(n.subject_id)
        if post is None or (n.kind == "mention" and not post.mentions_viewer):
            continue
        n.subject = post
        shown.append(n)
    return shown


_POST_VERBS = {
    "mention": "mentioned you",
    "reply": "replied to your post",
    "like": "liked your post",
    "boost": "boosted your post",
}


def describe_post_notification(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description, actors_text, excerpt

    post = notification.subject
    return Description(
        text=f"{actors_text(notification)} {_POST_VERBS[notification.kind]}",
        url=reverse("posts:detail", args=[post.pk]),
        excerpt=excerpt(post.body),
    )
