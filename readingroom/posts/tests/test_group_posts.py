"""A group's posts: who reads them, who writes them, where they show and where they never do
(posts sit above groups, so these tests live here)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from readingroom.accounts.models import Profile
from readingroom.core.models import Visibility
from readingroom.groups import actions
from readingroom.groups.models import Membership
from readingroom.groups.tests.helpers import add_member, make_group
from readingroom.notifications.models import Notification
from readingroom.posts import actions as post_actions
from readingroom.posts import queries
from readingroom.posts.models import Hashtag, Post, TimelineEntry
from readingroom.posts.tests.conftest import parse
from readingroom.posts.timeline import merge_author
from readingroom.testing.factories import BlockFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(page):
    return [p.pk for p in page.items]


def walk(fetch):
    """Every post id over every page, following next cursors."""
    seen, before, pages = [], None, 0
    while True:
        page = fetch(before)
        seen.extend(p.pk for p in page.items)
        pages += 1
        if not page.has_next:
            return seen, pages
        before = page.next_cursor
        assert pages < 50


def detail_status(client, post, viewer=None):
    if viewer is None:
        client.logout()
    else:
        client.force_login(viewer)
    return client.get(reverse("posts:detail", args=[post.pk])).status_code


@pytest.fixture
def cohort():
    """A private cohort group: its owner, one member, and an outsider."""
    owner = UserFactory()
    group = make_group(owner, name="MLIS cohort 2027", privacy="private")
    return group, owner, add_member(group), UserFactory()


# --- who reads them ------------------------------------------------------------------------------


def test_a_public_groups_posts_are_public_and_visible_to_anonymous_visitors(client, publish):
    owner = UserFactory()
    group = make_group(owner)
    post = publish(owner, "Welcome, lone archivists", visibility=Visibility.FOLLOWERS, group=group)
    assert post.group_id == group.pk and post.visibility == Visibility.PUBLIC
    assert detail_status(client, post) == 200
    assert detail_status(client, post, UserFactory()) == 200
    assert "Welcome, lone archivists" in client.get(reverse("posts:group", args=[group.slug])).content.decode()


def test_a_private_groups_posts_are_for_its_members_only(client, publish, cohort):
    group, owner, member, outsider = cohort
    post = publish(owner, "Timetable is out", group=group)
    assert post.visibility == Visibility.MEMBERS
    assert detail_status(client, post, member) == 200
    assert detail_status(client, post, outsider) == 404
    assert detail_status(client, post) == 404
    staff = UserFactory(is_staff=True)
    assert detail_status(client, post, staff) == 404
    client.force_login(outsider)
    assert client.get(reverse("posts:history", args=[post.pk])).status_code == 404
    assert queries.hydrate([post.pk], outsider) == []


def test_a_hidden_groups_posts_are_404_to_outsiders(client, publish):
    owner = UserFactory()
    group = make_group(owner, privacy="hidden")
    post = publish(owner, "Hidden words", group=group)
    assert detail_status(client, post, UserFactory()) == 404
    assert detail_status(client, post) == 404
    assert detail_status(client, post, add_member(group)) == 200


def test_a_member_who_leaves_or_is_removed_no_longer_reads_the_group(client, publish, cohort):
    group, owner, member, _ = cohort
    removed = add_member(group)
    post = publish(owner, "For members", group=group)
    reply = publish(member, "A reply for members", reply_to=post)
    assert detail_status(client, post, member) == 200
    actions.leave(user=member, group=group)
    assert detail_status(client, post, member) == 404
    assert detail_status(client, reply, member) == 404  # not even their own reply
    actions.remove_member(actor=owner, membership=Membership.objects.get(group=group, user=removed))
    assert detail_status(client, post, removed) == 404
    client.force_login(removed)
    assert client.get(reverse("posts:group", args=[group.slug])).status_code == 302


def test_making_a_public_group_private_hides_its_posts_from_outsiders(client, publish):
    owner = UserFactory()
    group = make_group(owner)
    post = publish(owner, "Once public", group=group)
    reply = publish(add_member(group), "Public reply", reply_to=post)
    outsider = UserFactory()
    liked = post_actions.like(user=outsider, post=post)
    post_actions.bookmark(user=outsider, post=liked)
    actions.update_group(actor=owner, group=group, privacy="private")
    assert detail_status(client, post) == 404
    assert detail_status(client, post, outsider) == 404
    assert detail_status(client, reply, outsider) == 404
    assert queries.bookmarks(viewer=outsider).items == []
    assert set(Post.objects.filter(group=group).values_list("visibility", flat=True)) == {Visibility.MEMBERS}
    assert detail_status(client, post, owner) == 200
    actions.update_group(actor=owner, group=group, privacy="public")
    assert detail_status(client, post) == 200


def test_a_boost_of_a_group_post_is_never_shown(publish):
    owner = UserFactory()
    group = make_group(owner)
    post = publish(owner, "Stay in the group", group=group)
    smuggled = PostFactory(author=UserFactory(), boost_of=post, body="", visibility=Visibility.PUBLIC)
    assert queries.hydrate([smuggled.pk], None) == []
    assert queries.hydrate([smuggled.pk], UserFactory()) == []


def test_a_private_groups_hashtags_stay_in_the_group(client, publish, cohort):
    group, owner, member, outsider = cohort
    post = publish(owner, "Week one reading #cohortreading", group=group)
    tag = Hashtag.objects.get(name="cohortreading")
    assert ids(queries.hashtag_timeline(viewer=outsider, hashtag=tag)) == []
    assert ids(queries.hashtag_timeline(viewer=member, hashtag=tag)) == [post.pk]
    client.force_login(outsider)
    assert "Week one reading" not in client.get(reverse("posts:hashtag", args=["cohortreading"])).content.decode()


# --- who writes them -----------------------------------------------------------------------------


def test_outsiders_cannot_post_in_a_group():
    public, private = make_group(), make_group(privacy="private")
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        post_actions.create_post(author=outsider, body="Let me in", visibility="public", group=public)
    with pytest.raises(Http404):
        post_actions.create_post(author=outsider, body="Let me in", visibility="public", group=private)
    assert not Post.objects.exists()


def test_outsiders_cannot_post_or_reply_through_the_composer(client, publish, cohort):
    group, owner, _, outsider = cohort
    public = make_group(owner, name="Open group")
    public_post = publish(owner, "Open to all", group=public)
    private_post = publish(owner, "Members only", group=group)
    client.force_login(outsider)
    before = Post.objects.count()
    response = client.post(
        reverse("posts:create"), {"body": "Outsider post", "visibility": "public", "group": public.pk}
    )
    assert response.status_code == 200 and "Join Open group to post" in response.content.decode()
    response = client.post(reverse("posts:create"), {"body": "Outsider", "visibility": "public", "group": group.pk})
    assert response.status_code == 404
    response = client.post(
        reverse("posts:create"), {"body": "Reply", "visibility": "public", "reply_to": public_post.pk}
    )
    assert response.status_code == 200 and "Join Open group" in response.content.decode()
    response = client.post(
        reverse("posts:create"), {"body": "Reply", "visibility": "public", "reply_to": private_post.pk}
    )
    assert response.status_code == 404
    response = client.post(reverse("posts:create"), {"body": "No such", "visibility": "public", "group": 10**9})
    assert response.status_code == 404
    assert Post.objects.count() == before
    assert Profile.objects.get(user=outsider).posts_count == 0


def test_the_post_page_offers_a_reply_box_to_members_only(client, publish):
    owner = UserFactory()
    group = make_group(owner)
    post = publish(owner, "Say hello", group=group)
    client.force_login(UserFactory())
    assert 'name="reply_to"' not in client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    client.force_login(add_member(group))
    assert f'name="reply_to" value="{post.pk}"' in client.get(reverse("posts:detail", args=[post.pk])).content.decode()


def test_replies_belong_to_their_parents_group_at_every_depth(publish, cohort):
    group, owner, member, _ = cohort
    post = publish(owner, "Thread", group=group)
    reply = publish(member, "Reply", visibility=Visibility.PUBLIC, reply_to=post)
    deeper = publish(owner, "Deeper", reply_to=reply)
    for found in (reply, deeper):
        assert found.group_id == group.pk and found.visibility == Visibility.MEMBERS
        assert found.thread_root_id == post.pk


def test_a_reply_outside_a_group_cannot_be_pulled_into_one(publish, cohort):
    group, owner, _, _ = cohort
    plain = publish(UserFactory(), "An ordinary post")
    reply = publish(owner, "Reply", reply_to=plain, group=group)
    assert reply.group_id is None


def test_a_group_post_keeps_the_groups_audience_when_edited(client, publish, cohort):
    group, owner, _, outsider = cohort
    post = publish(owner, "Original", group=group)
    post_actions.edit_post(post=post, editor=owner, body="Edited once", visibility=Visibility.PUBLIC)
    client.force_login(owner)
    response = client.post(reverse("posts:edit", args=[post.pk]), {"body": "Edited twice", "visibility": "public"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Edited twice" and post.visibility == Visibility.MEMBERS and post.group_id == group.pk
    assert detail_status(client, post, outsider) == 404


def test_the_edit_page_of_a_group_post_offers_no_audience_choice(client, publish, cohort):
    group, owner, _, _ = cohort
    post = publish(owner, "Original", group=group)
    client.force_login(owner)
    page = client.get(reverse("posts:edit", args=[post.pk])).content.decode()
    assert "<select" not in page and "MLIS cohort 2027" in page


def test_group_posts_cannot_be_boosted(client, publish):
    owner = UserFactory()
    group = make_group(owner)
    post = publish(owner, "Keep it here", group=group)
    member = add_member(group)
    with pytest.raises(PermissionDenied):
        post_actions.boost(user=member, post=post)
    client.force_login(member)
    response = client.post(reverse("posts:boost", args=[post.pk]), {"state": "on"})
    assert response.status_code == 302
    assert not Post.objects.filter(boost_of=post).exists() and Post.objects.get(pk=post.pk).boosts_count == 0
    page = client.get(reverse("posts:group", args=[group.slug])).content.decode()
    assert reverse("posts:boost", args=[post.pk]) not in page
    assert reverse("posts:like", args=[post.pk]) in page


# --- where they show -----------------------------------------------------------------------------


def test_group_posts_stay_out_of_the_local_and_profile_timelines(client, publish):
    owner = UserFactory()
    group = make_group(owner)
    plain = publish(owner, "An ordinary post")
    in_group = publish(owner, "A group post", group=group)
    reply = publish(owner, "A group reply", reply_to=in_group)
    viewer = UserFactory()
    for who in (None, viewer, owner):
        assert ids(queries.local_timeline(viewer=who)) == [plain.pk]
        assert ids(queries.profile_timeline(viewer=who, author=owner)) == [plain.pk]
        assert ids(queries.profile_timeline(viewer=who, author=owner, with_replies=True)) == [plain.pk]
    assert ids(queries.group_timeline(viewer=viewer, group=group)) == [in_group.pk]
    assert reply.pk not in ids(queries.group_timeline(viewer=viewer, group=group))
    for path in (reverse("posts:local"), reverse("network:profile", args=[owner.profile.handle])):
        assert "A group post" not in client.get(path).content.decode()


def test_reading_forward_leaves_group_posts_out_as_reading_backward_does(publish):
    owner = UserFactory()
    group = make_group(owner)
    plain = publish(owner, "An ordinary post")
    publish(owner, "A group post", group=group)
    for timeline in ("local", "profile"):
        page = queries.newer_posts(timeline=timeline, viewer=None, after=0, limit=20, author=owner)
        assert ids(page) == [plain.pk], timeline


def test_the_group_timeline_pages_never_repeat_or_skip_a_post(publish, cohort):
    group, owner, member, outsider = cohort
    blocked = add_member(group)
    posted = []
    for n in range(50):
        author = blocked if n % 7 == 3 else (owner if n % 2 else member)
        post = publish(author, f"Post {n}", group=group)
        if author != blocked:
            posted.append(post.pk)
        if n % 5 == 0:
            publish(member, f"Reply {n}", reply_to=post)
        if n % 6 == 0:
            publish(owner, f"Elsewhere {n}")
    BlockFactory(blocker=member, blocked=blocked)
    seen, pages = walk(lambda before: queries.group_timeline(viewer=member, group=group, before=before))
    assert seen == sorted(posted, reverse=True) and pages == 3
    assert queries.group_timeline(viewer=outsider, group=group).items == []


def test_the_group_page_pages_by_its_older_posts_link(client, publish):
    owner = UserFactory()
    group = make_group(owner)
    posts = [publish(owner, f"zqx{n:02d} group post", group=group) for n in range(25)]
    first = client.get(reverse("posts:group", args=[group.slug])).content.decode()
    assert "zqx24" in first and "zqx05" in first and "zqx04" not in first
    cursor = posts[5].pk
    assert f"before={cursor}" in first
    second = client.get(reverse("posts:group", args=[group.slug]), {"before": cursor}).content.decode()
    assert "zqx04" in second and "zqx00" in second and "zqx05" not in second


def test_a_group_posts_card_says_which_group_it_is_in(client, publish):
    owner = UserFactory()
    group = make_group(owner, name="Lone <archivists>")
    publish(owner, "Card test", group=group)
    for path in (reverse("posts:group", args=[group.slug]), reverse("posts:home")):
        client.force_login(owner)
        tree = parse(client.get(path).content.decode())
        labels = [span for span in tree.iter("span") if span.get("class") == "visibility"]
        assert labels, path
        link = labels[0].find("a")
        assert "".join(labels[0].itertext()) == "in Lone <archivists>"
        assert link.get("href") == reverse("posts:group", args=[group.slug])


def test_a_failed_post_from_the_group_page_keeps_the_group(client, cohort):
    group, owner, _, _ = cohort
    client.force_login(owner)
    response = client.post(reverse("posts:create"), {"body": "   ", "visibility": "public", "group": group.pk})
    page = response.content.decode()
    assert "Write something before posting." in page
    assert f'name="group" value="{group.pk}"' in page
    assert 'id="compose-visibility"' not in page  # the group decides who reads it
    assert not Post.objects.exists()


# --- deleting the group --------------------------------------------------------------------------


def test_deleting_a_group_takes_its_posts_counts_and_notifications(publish, committing, cohort):
    group, owner, member, _ = cohort
    other = make_group(owner, name="Other group")
    post = publish(owner, "In the group", group=group)
    with committing():
        reply = post_actions.create_post(author=member, body="Reply @x", visibility="public", reply_to=post)
        post_actions.like(user=member, post=post)
        actions.request_to_join(user=UserFactory(), group=group)
    kept = publish(owner, "Kept post", group=other)
    plain = publish(member, "Outside any group")
    assert Notification.objects.filter(recipient=owner, kind__in=["reply", "like", "group_request"]).count() == 3
    assert (Profile.objects.get(user=owner).posts_count, Profile.objects.get(user=member).posts_count) == (2, 2)
    actions.delete_group(actor=owner, group=group)
    assert not Post.objects.filter(pk__in=[post.pk, reply.pk]).exists()
    assert set(Post.objects.values_list("pk", flat=True)) == {kept.pk, plain.pk}
    assert (Profile.objects.get(user=owner).posts_count, Profile.objects.get(user=member).posts_count) == (1, 1)
    assert not Notification.objects.filter(recipient=owner).exists()
    assert not TimelineEntry.objects.filter(post_id__in=[post.pk, reply.pk]).exists()


def test_deleting_a_group_post_counts_down_the_groups_posts(publish, cohort):
    group, owner, member, _ = cohort
    post = publish(owner, "One", group=group)
    publish(member, "Two", reply_to=post)
    group.refresh_from_db()
    assert group.posts_count == 2
    post_actions.delete_post(post=post, actor=owner)
    group.refresh_from_db()
    assert group.posts_count == 1


def test_a_followed_authors_group_posts_are_not_merged_on_follow(publish, cohort):
    group, owner, _, outsider = cohort
    publish(owner, "Group only", group=group)
    plain = publish(owner, "Plain")
    merge_author(owner=outsider, author=owner)  # what network's follow does on commit
    assert list(TimelineEntry.objects.filter(owner=outsider).values_list("post_id", flat=True)) == [plain.pk]


def test_a_member_who_left_may_delete_but_not_rewrite_their_group_posts(client, publish, cohort):
    group, owner, member, _ = cohort
    post = publish(member, "Before I left", group=group)
    actions.leave(user=member, group=group)
    with pytest.raises(Http404):
        post_actions.edit_post(post=post, editor=member, body="Rewritten after leaving")
    client.force_login(member)
    assert (
        client.post(reverse("posts:edit", args=[post.pk]), {"body": "Again", "visibility": "public"}).status_code == 404
    )
    assert Post.objects.get(pk=post.pk).body == "Before I left"
    assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
