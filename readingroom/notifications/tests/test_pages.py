"""The notifications page, its read actions and the header badge."""

import re

import pytest
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.notifications import actions, queries
from readingroom.notifications.models import Notification
from readingroom.testing.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def test_the_page_needs_a_signed_in_member(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_page_lists_notifications_newest_first_with_links_that_open_them(member, member_client, liked):
    liked(member, 2)
    page = member_client.get(LIST).content.decode()
    assert page.index("Fan 1 liked your post") < page.index("Fan 0 liked your post")
    assert 'aria-current="page">All<' in page
    assert page.count("Mark as read") == 2


def test_pages_are_keyset_paged_without_repeats_or_gaps(member, member_client, liked, settings):
    settings.RR_PAGE_SIZE = 3
    liked(member, 7)
    seen, url = [], LIST
    while url:
        response = member_client.get(url)
        seen += re.findall(r">Fan (\d) liked your post</a>", response.content.decode())
        page = response.context["page"]
        url = f"{LIST}?before={page.next_cursor}" if page.has_next else None
    assert seen == [str(i) for i in reversed(range(7))]


def test_hidden_notifications_do_not_shorten_a_page_or_hide_later_ones(member, member_client, liked, settings):
    settings.RR_PAGE_SIZE = 2
    posts = liked(member, 6)
    for post in posts[2:5]:  # three posts in the middle become unseeable
        post.visibility = Visibility.FOLLOWERS
        post.author = UserFactory()
        post.save()
    first = member_client.get(LIST).context["page"]
    assert [n.subject_id for n in first.items] == [posts[5].pk, posts[1].pk]
    second = member_client.get(f"{LIST}?before={first.next_cursor}").context["page"]
    assert [n.subject_id for n in second.items] == [posts[0].pk]


def test_the_page_filters_by_kind_with_plain_links(member, member_client, tell):
    post = PostFactory(author=member)
    tell("like", to=member, by=UserFactory(profile__display_name="Liker"), about=post)
    tell("boost", to=member, by=UserFactory(profile__display_name="Booster"), about=post)
    page = member_client.get(LIST, {"kind": "boost"}).content.decode()
    assert "Booster boosted your post" in page and "Liker" not in page
    assert f'href="{LIST}?kind=boost" aria-current="page"' in page
    assert "Liker liked" in member_client.get(LIST, {"kind": "unknown"}).content.decode()


def test_the_page_costs_the_same_queries_for_few_or_many_notifications(
    member, member_client, liked, django_assert_max_num_queries
):
    liked(member, 2)
    liked(member, 1, kind="boost")
    with django_assert_max_num_queries(12) as few:
        member_client.get(LIST)
    liked(member, 18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = member_client.get(LIST)
    assert len(response.context["page"].items) == 20


def test_opening_a_notification_marks_it_read_and_goes_to_its_subject(member, member_client, liked):
    [post] = liked(member, 1)
    notification = Notification.objects.get()
    response = member_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_or_marks_someone_elses_notification(member, member_client, liked):
    liked(UserFactory(), 1)
    notification = Notification.objects.get()
    assert member_client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert member_client.post(reverse("notifications:mark_read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_a_notification_about_a_deleted_post_is_not_found(member, member_client, liked):
    [post] = liked(member, 1)
    pk = Notification.objects.get().pk
    post.delete()  # without posts.actions.delete_post, which would also delete the notification
    assert member_client.get(reverse("notifications:open", args=[pk])).status_code == 404


def test_mark_one_read_without_javascript_redirects_back(member, member_client, liked):
    liked(member, 1)
    notification = Notification.objects.get()
    url = reverse("notifications:mark_read", args=[notification.pk])
    response = member_client.post(url, {"next": f"{LIST}?kind=like"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?kind=like"
    assert queries.unread_count(member) == 0


def test_mark_one_read_with_htmx_returns_the_item_and_the_new_badge(member, member_client, liked):
    liked(member, 2)
    notification = Notification.objects.order_by("position").first()
    response = member_client.post(reverse("notifications:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html and "Mark as read" not in html
    assert 'id="notification-badge" hx-swap-oob="innerHTML"' in html
    assert '<span class="notification-count" aria-hidden="true">1</span>' in html


def test_mark_all_read_marks_only_what_the_member_had_seen(member, member_client, liked):
    liked(member, 2)
    up_to = member_client.get(LIST).context["up_to"]
    liked(member, 1)  # arrives after the page was shown
    response = member_client.post(reverse("notifications:mark_all_read"), {"up_to": up_to})
    assert response.status_code == 302 and response["Location"] == LIST
    assert queries.unread_count(member) == 1


def test_mark_all_read_of_one_kind_leaves_the_others(member, member_client, tell):
    post = PostFactory(author=member)
    tell("like", to=member, by=UserFactory(), about=post)
    tell("boost", to=member, by=UserFactory(), about=post)
    member_client.post(reverse("notifications:mark_all_read"), {"kind": "like"})
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("kind", flat=True)) == ["boost"]


def test_mark_all_read_with_htmx_returns_the_list_badge_and_a_status(member, member_client, liked):
    liked(member, 2)
    response = member_client.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="notification-items"' in html and "Mark as read" not in html
    assert "All notifications are marked as read." in html
    assert queries.unread_count(member) == 0


def test_the_header_shows_the_unread_count_with_an_accessible_name(member, member_client, liked):
    liked(member, 3)
    html = member_client.get(reverse("posts:bookmarks")).content.decode()
    assert 'aria-label="Notifications, 3 unread"' in html
    assert 'Notifications <span id="notification-badge" aria-live="polite"' in html
    assert '<span class="notification-count" aria-hidden="true">3</span>' in html


def test_the_badge_endpoint_returns_the_count_fragment_in_one_query(
    member, member_client, liked, django_assert_max_num_queries
):
    liked(member, 2)
    member_client.get(reverse("notifications:badge"))  # session and user cached as on any later poll
    with django_assert_max_num_queries(3):  # user, profile (time zone middleware), the count
        response = member_client.get(reverse("notifications:badge"))
    assert response.content.decode() == (
        '<span class="notification-count" aria-hidden="true">2</span>'
        '<span class="sr-only">2 unread notifications</span>'
    )
    assert "no-cache" in response["Cache-Control"]


def test_the_badge_says_none_with_no_unread_and_nothing_for_visitors(member_client, client):
    assert (
        member_client.get(reverse("notifications:badge")).content
        == b'<span class="sr-only">No unread notifications</span>'
    )
    assert 'aria-label="Notifications"' in member_client.get(reverse("posts:bookmarks")).content.decode()
    client.logout()
    assert client.get(reverse("notifications:badge")).status_code == 204


def test_the_badge_caps_large_counts(member, liked, monkeypatch):
    monkeypatch.setattr(queries, "UNREAD_CAP", 3)
    liked(member, 4)
    count = queries.unread_count(member)
    assert (count, queries.badge_label(count)) == (3, "2+")


def test_mark_read_is_idempotent(member):
    assert not actions.mark_read(member=member, notification_id=12345)
