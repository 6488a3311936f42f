"""The one audience rule (learning.permissions.audience_q) over every visibility and every kind
of viewer, checked on a real learning record: a skills assessment."""

import pytest
from django.contrib.auth.models import AnonymousUser

from readingroom.learning.models import LearningVisibility, MentorshipStatus
from readingroom.learning.tests.factories import MentorshipFactory
from readingroom.skills.models import Assessment
from readingroom.skills.tests.factories import AssessmentFactory
from readingroom.testing.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE, MENTORS, FOLLOWERS, MEMBERS = (
    LearningVisibility.PRIVATE,
    LearningVisibility.MENTORS,
    LearningVisibility.FOLLOWERS,
    LearningVisibility.MEMBERS,
)


def _viewer(kind: str, owner):
    """A viewer standing in `kind` of relation to the owner."""
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "owner":
        return owner
    viewer = UserFactory()
    if kind in ("mentor_active", "mentor_pending", "mentor_ended"):
        status = kind.removeprefix("mentor_")
        MentorshipFactory(mentee=owner, mentor=viewer, status=status)
    elif kind == "mentee_of_owner":  # the owner mentors the viewer: no reason to see the owner's records
        MentorshipFactory(mentee=viewer, mentor=owner, status=MentorshipStatus.ACTIVE)
    elif kind == "follower":
        FollowFactory(follower=viewer, followee=owner)
    elif kind == "followed_by_owner":
        FollowFactory(follower=owner, followee=viewer)
    elif kind == "follower_and_mentor":
        FollowFactory(follower=viewer, followee=owner)
        MentorshipFactory(mentee=owner, mentor=viewer, status=MentorshipStatus.ACTIVE)
    elif kind in ("mentor_blocked_by_owner", "follower_blocked_by_owner"):
        if kind.startswith("mentor"):
            MentorshipFactory(mentee=owner, mentor=viewer)
        else:
            FollowFactory(follower=viewer, followee=owner)
        BlockFactory(blocker=owner, blocked=viewer)
    elif kind in ("mentor_blocking_owner", "member_blocking_owner"):
        if kind.startswith("mentor"):
            MentorshipFactory(mentee=owner, mentor=viewer)
        BlockFactory(blocker=viewer, blocked=owner)
    elif kind == "staff":
        viewer.is_staff = True
        viewer.save(update_fields=["is_staff"])
    return viewer


# viewer kind -> the visibilities it may see
MATRIX = {
    "owner": {PRIVATE, MENTORS, FOLLOWERS, MEMBERS},
    "mentor_active": {MENTORS, FOLLOWERS, MEMBERS},
    "mentor_pending": {MEMBERS},
    "mentor_ended": {MEMBERS},
    "mentee_of_owner": {MEMBERS},
    "follower": {FOLLOWERS, MEMBERS},
    "followed_by_owner": {MEMBERS},
    "follower_and_mentor": {MENTORS, FOLLOWERS, MEMBERS},
    "member": {MEMBERS},
    "staff": {MEMBERS},  # staff see no more of a member's learning than anyone else
    "mentor_blocked_by_owner": set(),
    "follower_blocked_by_owner": set(),
    "mentor_blocking_owner": set(),
    "member_blocking_owner": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("kind", sorted(MATRIX))
@pytest.mark.parametrize("visibility", [PRIVATE, MENTORS, FOLLOWERS, MEMBERS])
def test_who_sees_an_assessment_follows_the_audience_rule(kind, visibility):
    owner = UserFactory()
    record = AssessmentFactory(owner=owner, visibility=visibility)
    viewer = _viewer(kind, owner)

    seen = Assessment.objects.visible_to(viewer).filter(pk=record.pk).exists()

    assert seen == (visibility in MATRIX[kind])


@pytest.mark.parametrize("visibility", [MENTORS, FOLLOWERS, MEMBERS])
@pytest.mark.parametrize("kind", ["mentor_active", "follower", "member", "follower_and_mentor"])
def test_a_suspended_owners_records_are_hidden_from_everyone_else(kind, visibility):
    owner = UserFactory()
    record = AssessmentFactory(owner=owner, visibility=visibility)
    viewer = _viewer(kind, owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert not Assessment.objects.visible_to(viewer).filter(pk=record.pk).exists()


def test_a_suspended_owner_still_sees_their_own_records():
    owner = UserFactory(is_active=False)
    record = AssessmentFactory(owner=owner, visibility=PRIVATE)
    assert Assessment.objects.visible_to(owner).filter(pk=record.pk).exists()


def test_ending_a_mentorship_hides_mentor_only_records_at_once():
    owner, mentor = UserFactory(), UserFactory()
    mentorship = MentorshipFactory(mentee=owner, mentor=mentor)
    record = AssessmentFactory(owner=owner, visibility=MENTORS)
    assert Assessment.objects.visible_to(mentor).filter(pk=record.pk).exists()

    mentorship.status = MentorshipStatus.ENDED
    mentorship.save(update_fields=["status"])

    assert not Assessment.objects.visible_to(mentor).filter(pk=record.pk).exists()


def test_a_mentor_of_one_member_sees_nothing_shared_with_another_members_mentors():
    owner, other, mentor = UserFactory(), UserFactory(), UserFactory()
    MentorshipFactory(mentee=other, mentor=mentor)
    record = AssessmentFactory(owner=owner, visibility=MENTORS)
    assert not Assessment.objects.visible_to(mentor).filter(pk=record.pk).exists()


def test_the_rule_filters_a_mixed_list_in_one_query(django_assert_num_queries):
    owner, viewer = UserFactory(), UserFactory()
    FollowFactory(follower=viewer, followee=owner)
    shown = {v: AssessmentFactory(owner=owner, visibility=v) for v in (PRIVATE, MENTORS, FOLLOWERS, MEMBERS)}
    AssessmentFactory(owner=UserFactory(), visibility=FOLLOWERS)  # not followed

    with django_assert_num_queries(1):
        ids = set(Assessment.objects.visible_to(viewer).values_list("pk", flat=True))

    assert ids == {shown[FOLLOWERS].pk, shown[MEMBERS].pk}
