"""Notification kinds of discussions. A loader shows a notification only while the recipient may
still read what it is about (a member who left a private group no longer sees its topics)."""

from __future__ import annotations


def register_kinds() -> None:
    from readingroom.notifications import kinds
    from readingroom.notifications.kinds import Delivery, Grouping, Kind

    kinds.register(
        Kind(
            slug="topic_reply",
            label="Discussion replies",
            default_delivery=Delivery.DIGEST,
            grouping=Grouping.SUBJECT,
            load=load_topics,
            describe=describe_reply,
            help_text="New replies in topics you watch, and replies to what you wrote.",
        )
    )
    kinds.register(
        Kind(
            slug="topic_mention",
            label="Discussion mentions",
            default_delivery=Delivery.EMAIL,
            grouping=Grouping.NONE,
            load=load_replies,
            describe=describe_mention,
            help_text="When someone @mentions you in a discussion.",
        )
    )
    kinds.register(
        Kind(
            slug="topic_new",
            label="New topics",
            default_delivery=Delivery.DIGEST,
            grouping=Grouping.NONE,
            load=load_topics,
            describe=describe_new,
            help_text="New topics in groups whose discussions you watch.",
        )
    )
    kinds.register(
        Kind(
            slug="answer_accepted",
            label="Accepted answers",
            default_delivery=Delivery.IN_APP,
            grouping=Grouping.NONE,
            load=load_topics,
            describe=describe_accepted,
            help_text="When your answer to a question is accepted.",
        )
    )


def load_topics(viewer, notifications):
    from readingroom.discussions.permissions import visible_topics

    ids = {n.subject_id for n in notifications}
    return _attach(notifications, visible_topics(viewer).filter(pk__in=ids).select_related("group"))


def load_replies(viewer, notifications):
    from readingroom.discussions.permissions import visible_replies

    ids = {n.subject_id for n in notifications}
    found = visible_replies(viewer).filter(pk__in=ids, deleted_at__isnull=True).select_related("topic__group")
    return _attach(notifications, found)


def _attach(notifications, subjects):
    """Each notification with its subject from `subjects` (already the viewer's visible ones);
    those whose subject the viewer may no longer read are left out."""
    found = {subject.pk: subject for subject in subjects}
    shown = []
    for n in notifications:
        n.subject = found.get(n.subject_id)
        if n.subject is not None:
            shown.append(n)
    return shown


def describe_reply(viewer, notification):
    from readingroom.discussions.urls import topic_url
    from readingroom.notifications.kinds import Description, actors_text

    topic = notification.subject
    return Description(
        text=f"{actors_text(notification)} replied in “{topic.title}”", url=topic_url(topic, "discussions:unread")
    )


def describe_new(viewer, notification):
    from readingroom.discussions.urls import topic_url
    from readingroom.notifications.kinds import Description, actors_text

    topic = notification.subject
    return Description(
        text=f"{actors_text(notification)} started “{topic.title}” in {topic.group.name}", url=topic_url(topic)
    )


def describe_accepted(viewer, notification):
    from readingroom.discussions.urls import topic_url
    from readingroom.notifications.kinds import Description, actors_text

    topic = notification.subject
    text = f"{actors_text(notification)} accepted your answer to “{topic.title}”"
    return Description(text=text, url=topic_url(topic))


def describe_mention(viewer, notification):
    from readingroom.discussions.urls import reply_url
    from readingroom.notifications.kinds import Description, actors_text, excerpt

    found = notification.subject
    return Description(
        text=f"{actors_text(notification)} mentioned you in “{found.topic.title}”",
        url=reply_url(found),
        excerpt=excerpt(found.body),
    )
