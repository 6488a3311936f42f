import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from readingroom.accounts import queries
from readingroom.accounts.permissions import can_view_profile, check_view_profile, visible_field
from readingroom.core.models import Visibility
from readingroom.testing.factories import BlockFactory, FollowFactory, MuteFactory, UserFactory

pytestmark = pytest.mark.django_db

PRINCIPALS = ["anonymous", "member", "follower", "blocked", "blocker", "owner", "staff"]

# Who may see a profile, per visibility. Blocking works in both directions.
EXPECTED = {
    Visibility.PUBLIC: {"anonymous", "member", "follower", "owner", "staff"},
    Visibility.MEMBERS: {"member", "follower", "owner", "staff"},
    Visibility.FOLLOWERS: {"follower", "owner", "staff"},
}


def make_viewer(principal: str, owner):
    if principal == "anonymous":
        return AnonymousUser()
    if principal == "owner":
        return owner
    viewer = UserFactory(is_staff=principal == "staff")
    if principal == "follower":
        FollowFactory(follower=viewer, followee=owner)
    elif principal == "blocked":
        FollowFactory(follower=viewer, followee=owner)  # a block wins over a follow
        BlockFactory(blocker=owner, blocked=viewer)
    elif principal == "blocker":
        BlockFactory(blocker=viewer, blocked=owner)
    return viewer


@pytest.mark.parametrize("visibility", list(EXPECTED))
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_profile_visibility_matrix(visibility, principal):
    owner = UserFactory(profile__visibility=visibility)
    viewer = make_viewer(principal, owner)
    assert can_view_profile(viewer, owner.profile) is (principal in EXPECTED[visibility])


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_suspended_members_profile_is_seen_only_by_staff_and_themselves(principal):
    owner = UserFactory(is_active=False, profile__visibility=Visibility.PUBLIC)
    viewer = make_viewer(principal, owner)
    assert can_view_profile(viewer, owner.profile) is (principal in {"owner", "staff"})


def test_check_view_profile_answers_404_for_hidden_and_missing_profiles():
    owner = UserFactory(profile__visibility=Visibility.MEMBERS)
    with pytest.raises(Http404):
        check_view_profile(AnonymousUser(), owner.profile)
    with pytest.raises(Http404):
        check_view_profile(owner, None)
    assert check_view_profile(owner, owner.profile) == owner.profile


def test_hidden_fields_are_visible_only_to_the_owner_even_for_staff():
    owner = UserFactory(profile__hidden_fields=["interests"])
    staff = UserFactory(is_staff=True)
    assert visible_field(owner, owner.profile, "interests")
    assert not visible_field(staff, owner.profile, "interests")
    assert not visible_field(AnonymousUser(), owner.profile, "interests")
    assert visible_field(AnonymousUser(), owner.profile, "pronouns")


def test_profile_by_handle_ignores_case_and_loads_interests_and_links_in_three_queries(
    django_assert_num_queries,
):
    owner = UserFactory(profile__handle="mixed_case")
    owner.profile.links.create(kind="blog", url="https://example.org")
    with django_assert_num_queries(3):
        profile = queries.profile_by_handle("@Mixed_Case")
        assert profile.user.email == owner.email
        assert [link.kind for link in profile.links.all()] == ["blog"]
        assert list(profile.interests.all()) == []
    assert queries.profile_by_handle("nobody") is None
    assert queries.profile_by_handle("x" * 500) is None


def test_relationship_queries_cover_both_directions_and_anonymous_visitors():
    me, blocked_by_me, blocking_me, muted, followed = (UserFactory() for _ in range(5))
    BlockFactory(blocker=me, blocked=blocked_by_me)
    BlockFactory(blocker=blocking_me, blocked=me)
    MuteFactory(muter=me, muted=muted)
    FollowFactory(follower=me, followee=followed)

    assert queries.blocked_ids(me) == {blocked_by_me.pk, blocking_me.pk}
    assert queries.muted_ids(me) == {muted.pk}
    assert queries.muted_ids(muted) == set()
    assert queries.is_blocked_either_way(me, blocking_me) and queries.is_blocked_either_way(blocked_by_me, me)
    assert not queries.is_blocked_either_way(me, followed)
    assert queries.is_following(me, followed) and not queries.is_following(followed, me)
    anonymous = AnonymousUser()
    assert queries.blocked_ids(anonymous) == set() and queries.muted_ids(anonymous) == set()
    assert not queries.is_following(anonymous, me) and not queries.is_blocked_either_way(anonymous, me)
