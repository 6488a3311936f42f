"""Mentors: asking by handle (only people who may see each other), accepting, declining, ending,
the notifications each side gets, and the pages."""

import pytest
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.learning import actions
from readingroom.learning.models import Mentorship, MentorshipStatus
from readingroom.learning.tests.factories import MentorshipFactory
from readingroom.notifications.models import Notification
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(db):
    return UserFactory(profile__handle="ana", profile__display_name="Ana Archivist")


@pytest.fixture
def ben(db):
    return UserFactory(profile__handle="ben", profile__display_name="Ben Binder")


def ask(client, handle, message=""):
    return client.post(reverse("learning:ask_mentor"), {"handle": handle, "message": message})


def test_asking_by_handle_creates_a_pending_ask_and_tells_the_mentor(
    client, ana, ben, django_capture_on_commit_callbacks
):
    client.force_login(ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "@ben", "Could you help me with metadata?")
    assert response.status_code == 302
    row = Mentorship.objects.get(mentee=ana, mentor=ben)
    assert row.status == "pending" and row.message == "Could you help me with metadata?"
    note = Notification.objects.get(recipient=ben)
    assert note.kind == "mentorship_request" and note.subject_id == row.pk
    page = client.get(reverse("learning:mentors")).content.decode()
    assert "Asks you sent" in page and "Ben Binder" in page
    client.force_login(ben)
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "Ana Archivist asked you to be their mentor" in listing and "Could you help me with metadata?" in listing


@pytest.mark.parametrize(
    ("setup", "handle", "message"),
    [
        (None, "nobody", "We could not find a member @nobody you can ask."),
        (None, "ana", "You cannot be your own mentor."),
        ("block_by_ben", "ben", "We could not find a member @ben you can ask."),
        ("block_by_ana", "ben", "We could not find a member @ben you can ask."),
        ("ben_private", "ben", "We could not find a member @ben you can ask."),
        ("ben_suspended", "ben", "We could not find a member @ben you can ask."),
        ("ana_private", "ben", "We could not find a member @ben you can ask."),
        ("asked", "ben", "You have already asked Ben Binder"),
        ("active", "ben", "Ben Binder is already your mentor."),
        (None, "x" * 40, "Handles are at most 30 characters."),
        (None, "", "Enter the handle of the member you want to ask."),
    ],
)
def test_who_may_not_be_asked(client, ana, ben, setup, handle, message):
    if setup == "block_by_ben":
        BlockFactory(blocker=ben, blocked=ana)
    elif setup == "block_by_ana":
        BlockFactory(blocker=ana, blocked=ben)
    elif setup in ("ben_private", "ana_private"):
        who = ben if setup == "ben_private" else ana
        who.profile.visibility = Visibility.FOLLOWERS
        who.profile.save(update_fields=["visibility"])
    elif setup == "ben_suspended":
        ben.is_active = False
        ben.save(update_fields=["is_active"])
    elif setup == "asked":
        MentorshipFactory(mentee=ana, mentor=ben, status="pending", accepted_at=None)
    elif setup == "active":
        MentorshipFactory(mentee=ana, mentor=ben)
    before = Mentorship.objects.count()
    client.force_login(ana)
    response = ask(client, handle, "Kept message")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and "Kept message" in html
    assert Mentorship.objects.count() == before


def test_a_message_over_500_characters_is_refused(client, ana, ben):
    client.force_login(ana)
    response = ask(client, "ben", "m" * 501)
    assert "Keep the message to 500 characters or fewer." in response.content.decode()
    assert not Mentorship.objects.exists()


def test_the_mentor_accepts_and_the_mentee_is_told(client, ana, ben, django_capture_on_commit_callbacks):
    row = MentorshipFactory(mentee=ana, mentor=ben, status="pending", accepted_at=None)
    client.force_login(ben)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:accept_mentorship", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "active" and row.accepted_at is not None
    assert Notification.objects.filter(recipient=ana, kind="mentorship_accepted", subject_id=row.pk).exists()
    page = client.get(reverse("learning:mentors")).content.decode()
    assert "My mentees" in page and "Ana Archivist" in page


def test_the_mentee_cannot_accept_their_own_ask_and_strangers_get_a_404(client, ana, ben):
    row = MentorshipFactory(mentee=ana, mentor=ben, status="pending", accepted_at=None)
    client.force_login(ana)
    assert client.post(reverse("learning:accept_mentorship", args=[row.pk])).status_code == 404
    client.force_login(UserFactory())
    for name in ("accept_mentorship", "decline_mentorship", "end_mentorship"):
        assert client.post(reverse(f"learning:{name}", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.status == "pending"


def test_declining_closes_the_ask_and_forgets_the_notification(ana, ben, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = actions.ask_mentor(mentee=ana, mentor=ben)
    assert Notification.objects.filter(recipient=ben).exists()
    actions.decline_mentorship(mentorship=row, mentor=ben)
    row.refresh_from_db()
    assert row.status == "ended" and row.ended_at is not None
    assert not Notification.objects.filter(recipient=ben).exists()
    with pytest.raises(actions.MentorshipRefused):
        actions.accept_mentorship(mentorship=row, mentor=ben)
    # A new ask is possible once the old one is closed.
    assert actions.ask_mentor(mentee=ana, mentor=ben).status == "pending"


@pytest.mark.parametrize("by", ["mentor", "mentee"])
def test_either_side_ends_a_mentorship_and_ending_twice_changes_nothing(client, ana, ben, by):
    row = MentorshipFactory(mentee=ana, mentor=ben)
    client.force_login(ben if by == "mentor" else ana)
    client.post(reverse("learning:end_mentorship", args=[row.pk]))
    client.post(reverse("learning:end_mentorship", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == MentorshipStatus.ENDED


def test_the_mentee_withdraws_a_pending_ask_but_the_mentor_must_decline(ana, ben):
    row = MentorshipFactory(mentee=ana, mentor=ben, status="pending", accepted_at=None)
    with pytest.raises(actions.MentorshipRefused):
        actions.end_mentorship(mentorship=row, member=ben)
    assert actions.end_mentorship(mentorship=row, member=ana).status == "ended"


def test_accepting_across_a_block_made_since_the_ask_is_refused(ana, ben):
    row = MentorshipFactory(mentee=ana, mentor=ben, status="pending", accepted_at=None)
    BlockFactory(blocker=ana, blocked=ben)
    with pytest.raises(actions.MentorshipRefused):
        actions.accept_mentorship(mentorship=row, mentor=ben)


def test_a_notification_about_an_ended_mentorship_is_no_longer_shown(ana, ben):
    from readingroom.learning.apps import load_mentorships

    row = MentorshipFactory(mentee=ana, mentor=ben)
    note = Notification(recipient=ben, kind="mentorship_request", subject_id=row.pk)
    accepted = Notification(recipient=ana, kind="mentorship_accepted", subject_id=row.pk)
    assert load_mentorships(ben, [note]) == [note]
    assert load_mentorships(ana, [accepted]) == [accepted]
    assert load_mentorships(ana, [note]) == []  # only the mentor sees the ask
    row.status = "ended"
    row.save(update_fields=["status"])
    assert load_mentorships(ben, [note]) == [] and load_mentorships(ana, [accepted]) == []


def test_the_mentors_page_lists_all_four_lists_in_few_queries(client, ana, django_assert_max_num_queries):
    MentorshipFactory(mentee=ana)
    MentorshipFactory(mentor=ana)
    MentorshipFactory(mentee=ana, status="pending", accepted_at=None)
    MentorshipFactory(mentor=ana, status="pending", accepted_at=None)
    MentorshipFactory(mentee=ana, status="ended")
    client.force_login(ana)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("learning:mentors"))
    lists = response.context["lists"]
    assert [len(lists.mentors), len(lists.mentees), len(lists.asks_to_me), len(lists.my_asks)] == [1, 1, 1, 1]


def test_the_overview_shows_a_mentors_card(client, ana):
    MentorshipFactory(mentor=ana, status="pending", accepted_at=None)
    client.force_login(ana)
    html = client.get(reverse("learning:overview")).content.decode()
    assert "Mentors" in html and "1 ask waiting for your answer." in html


def test_the_ask_form_can_be_prefilled_from_a_link(client, ana):
    client.force_login(ana)
    response = client.get(reverse("learning:ask_mentor") + "?handle=ben")
    assert response.context["form"]["handle"].value() == "ben"


@pytest.mark.parametrize("path", ["/learning/mentors/99999999999999999999999/end/", "/learning/mentors/0/accept/"])
def test_huge_ids_are_a_404(client, ana, path):
    client.force_login(ana)
    assert client.post(path).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("learning:mentors")).status_code == 302
    assert client.get(reverse("learning:ask_mentor")).status_code == 302


def test_a_profile_open_to_mentoring_links_to_the_ask_form_for_other_members_only(client, ana, ben):
    ben.profile.open_to_mentoring = True
    ben.profile.save(update_fields=["open_to_mentoring"])
    link = f'{reverse("learning:ask_mentor")}?handle={ben.profile.handle}'
    client.force_login(ana)
    assert link in client.get(reverse("network:profile", args=[ben.profile.handle])).content.decode()
    client.force_login(ben)
    assert link not in client.get(reverse("network:profile", args=[ben.profile.handle])).content.decode()
