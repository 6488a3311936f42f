import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from readingroom.accounts.models import Profile
from readingroom.accounts.permissions import can_view_profile
from readingroom.core.models import Visibility
from readingroom.network import actions, queries
from readingroom.network.queries import DirectoryFilters
from readingroom.testing.factories import InterestFactory, UserFactory

pytestmark = pytest.mark.django_db


def handles(page_or_list):
    items = getattr(page_or_list, "items", page_or_list)
    return {p.handle for p in items}


def member(handle, **profile):
    return UserFactory(profile__handle=handle, **{f"profile__{k}": v for k, v in profile.items()})


def with_interests(user, *interests):
    user.profile.interests.set(interests)
    return user


# --- directory ------------------------------------------------------------------------------


def test_directory_filters_by_sector_career_stage_country_and_mentoring():
    viewer = member("viewer")
    member("archivist", sector="archive", career_stage="mid_career", country="NZ", open_to_mentoring=True)
    member("museum", sector="museum", career_stage="student", country="NZ")
    member("public", sector="public", career_stage="mid_career", country="GB", seeking_mentor=True)

    def found(**filters):
        return handles(queries.directory(viewer=viewer, filters=DirectoryFilters(**filters)))

    assert found(sector="archive") == {"archivist"}
    assert found(career_stage="mid_career") == {"archivist", "public"}
    assert found(country="NZ") == {"archivist", "museum"}
    assert found(open_to_mentoring=True) == {"archivist"}
    assert found(seeking_mentor=True) == {"public"}
    assert found(country="NZ", career_stage="student") == {"museum"}


def test_directory_text_search_matches_name_handle_headline_and_organisation():
    viewer = member("viewer")
    member("ada", display_name="Ada Lovelace")
    member("metadata_maven")
    member("cat", headline="Cataloguing rare maps")
    member("org", organisation="National Library of Wales")
    member("other")

    def found(q):
        return handles(queries.directory(viewer=viewer, filters=DirectoryFilters(q=q)))

    assert found("lovelace") == {"ada"}
    assert found("MAVEN") == {"metadata_maven"}
    assert found("rare maps") == {"cat"}
    assert found("wales") == {"org"}


def test_directory_filters_by_interest_slug():
    viewer = member("viewer")
    oral = InterestFactory(slug="oral-history", name="Oral history")
    with_interests(member("speaker"), oral)
    member("quiet")
    assert handles(queries.directory(viewer=viewer, filters=DirectoryFilters(interest="oral-history"))) == {"speaker"}


def test_directory_excludes_non_discoverable_blocked_and_inactive_members():
    viewer = member("viewer")
    member("listed")
    member("unlisted", discoverable=False)
    suspended = member("suspended")
    suspended.is_active = False
    suspended.save()
    actions.block(blocker=viewer, blocked=member("i_blocked"))
    actions.block(blocker=member("blocked_me"), blocked=viewer)

    assert handles(queries.directory(viewer=viewer, filters=DirectoryFilters())) == {"viewer", "listed"}


def test_directory_does_not_match_on_a_field_its_owner_hides():
    viewer = member("viewer")
    member("open_sector", sector="archive")
    member("hidden_sector", sector="archive", hidden_fields=["sector"])
    member("hidden_org", organisation="Secret Archive", hidden_fields=["organisation"])
    assert handles(queries.directory(viewer=viewer, filters=DirectoryFilters(sector="archive"))) == {"open_sector"}
    assert handles(queries.directory(viewer=viewer, filters=DirectoryFilters(q="secret"))) == set()


def test_directory_shows_followers_only_profiles_only_to_their_followers():
    viewer, other = member("viewer"), member("other")
    private = member("private", visibility=Visibility.FOLLOWERS)
    actions.follow(follower=viewer, followee=private)
    assert "private" in handles(queries.directory(viewer=viewer, filters=DirectoryFilters()))
    assert "private" not in handles(queries.directory(viewer=other, filters=DirectoryFilters()))


def test_directory_pages_by_member_id_without_repeats():
    viewer = member("viewer")
    for n in range(30):
        member(f"m{n}")
    first = queries.directory(viewer=viewer, filters=DirectoryFilters())
    assert len(first.items) == queries.DIRECTORY_PAGE_SIZE
    second = queries.directory(viewer=viewer, filters=DirectoryFilters(), after=first.next_cursor)
    assert len(second.items) == 31 - queries.DIRECTORY_PAGE_SIZE
    assert not handles(first) & handles(second)
    assert second.next_cursor is None


def test_directory_query_count_does_not_grow_with_members(django_assert_max_num_queries):
    viewer = member("viewer")
    topic = InterestFactory()
    for n in range(10):
        with_interests(member(f"m{n}"), topic)
    with django_assert_max_num_queries(2):
        page = queries.directory(viewer=viewer, filters=DirectoryFilters())
        [list(p.interests.all()) for p in page.items]


# --- suggestions ----------------------------------------------------------------------------


def test_suggestions_rank_most_shared_interests_first_with_the_reason():
    a, b, c = InterestFactory(name="Archives"), InterestFactory(name="Maps"), InterestFactory(name="Zines")
    viewer = with_interests(member("viewer"), a, b, c)
    with_interests(member("one"), a)
    with_interests(member("three"), a, b, c)
    with_interests(member("two"), a, c)
    member("none")

    suggestions = queries.suggested_people(viewer=viewer)

    assert [s.profile.handle for s in suggestions] == ["three", "two", "one"]
    assert suggestions[1].reason == "Shares your interest in Archives and Zines"


def test_suggestions_exclude_followed_requested_blocked_non_discoverable_and_self():
    topic = InterestFactory()
    viewer = with_interests(member("viewer"), topic)
    followed = with_interests(member("followed"), topic)
    locked = with_interests(member("locked", locked=True), topic)
    blocked = with_interests(member("blocked"), topic)
    with_interests(member("hidden", discoverable=False), topic)
    with_interests(member("private", visibility=Visibility.FOLLOWERS), topic)
    with_interests(member("wanted"), topic)
    actions.follow(follower=viewer, followee=followed)
    actions.follow(follower=viewer, followee=locked)
    actions.block(blocker=blocked, blocked=viewer)

    assert [s.profile.handle for s in queries.suggested_people(viewer=viewer)] == ["wanted"]


def test_suggestions_then_offer_people_followed_by_people_you_follow():
    topic = InterestFactory()
    viewer = with_interests(member("viewer"), topic)
    friend1, friend2 = member("friend1"), member("friend2")
    popular, known = member("popular"), member("known")
    with_interests(member("sharer"), topic)
    for follower, followee in [(viewer, friend1), (viewer, friend2), (friend1, popular), (friend2, popular)]:
        actions.follow(follower=follower, followee=followee)
    actions.follow(follower=friend1, followee=known)

    suggestions = queries.suggested_people(viewer=viewer)

    assert [s.profile.handle for s in suggestions] == ["sharer", "popular", "known"]
    assert suggestions[1].reason == "Followed by 2 people you follow"


def test_suggestions_do_not_use_interests_a_member_hides():
    topic = InterestFactory()
    viewer = with_interests(member("viewer"), topic)
    with_interests(member("shy", hidden_fields=["interests"]), topic)
    assert queries.suggested_people(viewer=viewer) == []


def test_suggestions_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    topic = InterestFactory()
    viewer = with_interests(member("viewer"), topic)
    friend = member("friend")
    actions.follow(follower=viewer, followee=friend)
    for n in range(5):
        with_interests(member(f"s{n}"), topic)
        actions.follow(follower=friend, followee=member(f"f{n}"))
    with django_assert_max_num_queries(5):
        assert len(queries.suggested_people(viewer=viewer, limit=8)) == 8


# --- relationship lists and state -----------------------------------------------------------


def test_followers_and_following_list_members_newest_first():
    star, ann, bea = member("star"), member("ann"), member("bea")
    actions.follow(follower=ann, followee=star)
    actions.follow(follower=bea, followee=star)
    actions.follow(follower=star, followee=ann)
    assert [p.handle for p in queries.followers(viewer=ann, user=star).items] == ["bea", "ann"]
    assert [p.handle for p in queries.following(viewer=ann, user=star).items] == ["ann"]


def test_relationship_lists_leave_out_members_the_viewer_may_not_see():
    star, viewer = member("star"), member("viewer")
    for handle, extra in [("fine", {}), ("private", {"visibility": Visibility.FOLLOWERS}), ("blocker", {})]:
        actions.follow(follower=member(handle, **extra), followee=star)
    actions.block(blocker=Profile.objects.get(handle="blocker").user, blocked=viewer)
    assert handles(queries.followers(viewer=viewer, user=star)) == {"fine"}
    assert handles(queries.followers(viewer=AnonymousUser(), user=star)) == {"fine", "blocker"}


def test_relationship_reports_every_flag():
    ann, bea = member("ann"), member("bea")
    actions.follow(follower=ann, followee=bea)
    actions.follow(follower=bea, followee=ann)
    actions.mute(muter=ann, muted=bea)
    rel = queries.relationship(ann, bea)
    assert (rel.following, rel.followed_by, rel.muting, rel.blocking, rel.blocked_by) == (
        True,
        True,
        True,
        False,
        False,
    )
    actions.block(blocker=bea, blocked=ann)
    rel = queries.relationship(ann, bea)
    assert (rel.following, rel.followed_by, rel.blocked_by) == (False, False, True)
    assert queries.relationship(ann, ann).is_self
    assert queries.relationship(AnonymousUser(), ann) == queries.Relationship()


def test_relationship_reports_a_pending_request():
    ann, bea = member("ann"), member("bea", locked=True)
    actions.follow(follower=ann, followee=bea)
    assert queries.relationship(ann, bea).requested


def test_pending_requests_blocked_and_muted_members_are_listed_for_their_owner():
    owner = member("owner", locked=True)
    asker, pest, bore = member("asker"), member("pest"), member("bore")
    actions.follow(follower=asker, followee=owner)
    actions.block(blocker=owner, blocked=pest)
    actions.mute(muter=owner, muted=bore)
    assert [r.requester.profile.handle for r in queries.pending_follow_requests(user=owner).items] == ["asker"]
    assert [b.blocked.profile.handle for b in queries.blocked_members(user=owner).items] == ["pest"]
    assert [m.muted.profile.handle for m in queries.muted_members(user=owner).items] == ["bore"]


def test_the_list_visibility_rule_agrees_with_can_view_profile():
    """visible_profiles_q is can_view_profile as a query: check every pair in a small graph."""
    people = [
        member("pub", visibility=Visibility.PUBLIC),
        member("mem", visibility=Visibility.MEMBERS),
        member("fol", visibility=Visibility.FOLLOWERS),
        member("fol2", visibility=Visibility.FOLLOWERS),
        member("gone", visibility=Visibility.PUBLIC),
    ]
    pub, mem, fol, fol2, gone = people
    gone.is_active = False
    gone.save()
    actions.follow(follower=pub, followee=fol)
    actions.block(blocker=mem, blocked=pub)
    staff = member("staff")
    staff.is_staff = True
    staff.save()
    viewers = [*people, staff, AnonymousUser()]
    for viewer, profile in itertools.product(viewers, Profile.objects.select_related("user")):
        in_query = Profile.objects.filter(queries.visible_profiles_q(viewer), pk=profile.pk).exists()
        assert in_query == can_view_profile(viewer, profile), (viewer, profile.handle)
