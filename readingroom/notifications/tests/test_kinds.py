"""The kinds registry: an app adds a kind without touching the notifications app or any other."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from readingroom.notifications import actions, kinds, queries
from readingroom.notifications.kinds import Delivery, Description, Grouping, Kind
from readingroom.testing.factories import UserFactory


def load_everything(viewer, notifications):
    for n in notifications:
        n.subject = f"thing {n.subject_id}"
    return [n for n in notifications if n.subject_id != 13]  # thing 13 is hidden from everyone


def describe_thing(viewer, notification):
    return Description(
        text=f"{kinds.actors_text(notification)} sent you {notification.subject}", url="/things/", excerpt="x"
    )


@pytest.fixture
def thanks_kind():
    kind = kinds.register(
        Kind(
            slug="thanks",
            label="Thanks",
            default_delivery=Delivery.IN_APP,
            grouping=Grouping.SUBJECT,
            load=load_everything,
            describe=describe_thing,
            help_text="When someone thanks you.",
        )
    )
    yield kind
    kinds.unregister("thanks")


def test_the_posts_and_network_apps_register_their_kinds_at_startup():
    assert [k.slug for k in kinds.all_kinds()][:6] == ["mention", "reply", "like", "boost", "follow", "follow_request"]


@pytest.mark.django_db
def test_a_registered_kind_notifies_lists_filters_and_has_a_setting(thanks_kind, member, member_client):
    giver = UserFactory(profile__display_name="Gil")
    actions.notify(kind="thanks", recipient_id=member.pk, actor_id=giver.pk, subject_id=7)
    actions.notify(kind="thanks", recipient_id=member.pk, actor_id=giver.pk, subject_id=13)
    page = member_client.get(reverse("notifications:list"), {"kind": "thanks"}).content.decode()
    assert "Gil sent you thing 7" in page and "thing 13" not in page
    assert "?kind=thanks" in page
    settings_page = member_client.get(reverse("notifications:settings")).content.decode()
    assert "When someone thanks you." in settings_page and 'name="delivery_thanks"' in settings_page


@pytest.mark.django_db
def test_notifications_of_a_kind_no_longer_registered_are_not_shown(thanks_kind, member):
    actions.notify(kind="thanks", recipient_id=member.pk, actor_id=UserFactory().pk, subject_id=7)
    kinds.unregister("thanks")
    assert queries.unread_count(member) == 0
    assert queries.notification_page(viewer=member).items == []


def test_a_slug_cannot_be_registered_twice_with_another_definition(thanks_kind):
    assert kinds.register(thanks_kind) is thanks_kind  # the same definition again is harmless
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(Kind("thanks", "Other", Delivery.OFF, Grouping.NONE, load_everything, describe_thing))


@pytest.mark.parametrize("slug", ["", "has space", "x" * 31, "dash-ed"])
def test_slugs_are_short_words(slug):
    with pytest.raises(ValueError, match="must be 1-30"):
        kinds.register(Kind(slug, "Bad", Delivery.OFF, Grouping.NONE, load_everything, describe_thing))


class _N:
    def __init__(self, names, total):
        self.actors = [type("A", (), {"display_name": name})() for name in names]
        self.actor_total = total


@pytest.mark.parametrize(
    ("names", "total", "text"),
    [
        (["Ana"], 1, "Ana"),
        (["Ana", "Ben"], 2, "Ana and Ben"),
        (["Ana", "Ben", "Cat"], 3, "Ana and 2 others"),
        (["Ana"], 2, "Ana and 1 other"),
        ([], 0, "Someone"),
    ],
)
def test_actors_are_named_like_mastodon_does(names, total, text):
    assert kinds.actors_text(_N(names, total)) == text


def test_excerpts_are_one_short_line():
    assert kinds.excerpt("a\n\nb   c") == "a b c"
    assert kinds.excerpt("x" * 200, limit=10) == "xxxxxxxxx…"


@pytest.mark.django_db
def test_a_kind_delivered_in_the_digest_by_default_counts_for_the_digest_until_changed(tell):
    kinds.register(Kind("weekly", "Weekly", Delivery.DIGEST, Grouping.DAY, load_everything, describe_thing))
    try:
        ana, ben = UserFactory(), UserFactory()
        tell("weekly", to=ana, by=ben)
        tell("weekly", to=ben, by=ana)
        actions.save_preferences(member=ben, deliveries={"weekly": Delivery.IN_APP}, quiet=None)
        since = timezone.now() - timedelta(hours=1)
        assert list(queries.members_wanting_digest_items(since=since)) == [ana.pk]
    finally:
        kinds.unregister("weekly")
