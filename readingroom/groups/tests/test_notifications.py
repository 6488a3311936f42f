"""The groups' notification kinds: a join request for the group's owners and moderators, an
approval for the member; each shown only while the recipient may still act on it."""

import pytest
from django.core import mail
from django.urls import reverse

from readingroom.groups import actions
from readingroom.groups.models import Membership, Role
from readingroom.groups.tests.helpers import add_member, make_group
from readingroom.notifications.models import Notification
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def cohort():
    """A private group with an owner, a moderator and a plain member."""
    owner = UserFactory(profile__display_name="Olu Owner")
    group = make_group(owner, name="MLIS cohort 2027", privacy="private")
    return group, owner, add_member(group, role=Role.MODERATOR), add_member(group)


def test_a_join_request_tells_the_owners_and_moderators_once(committing, cohort):
    group, owner, moderator, member = cohort
    asker = UserFactory(profile__display_name="Asha Asker")
    with committing():
        actions.request_to_join(user=asker, group=group, message="Please")
    assert kinds_of(owner) == kinds_of(moderator) == ["group_request"]
    assert kinds_of(member) == [] and kinds_of(asker) == []
    with committing():
        actions.request_to_join(user=asker, group=group, message="Again")
    assert Notification.objects.filter(kind="group_request").count() == 2
    assert Notification.objects.get(recipient=owner).actor_rows.count() == 1


def test_requests_to_one_group_gather_in_one_notification(client, committing, cohort):
    group, owner, _, _ = cohort
    with committing():
        actions.request_to_join(user=UserFactory(profile__display_name="Asha Asker"), group=group)
        actions.request_to_join(user=UserFactory(profile__display_name="Bea Asker"), group=group)
    assert Notification.objects.filter(recipient=owner).count() == 1
    client.force_login(owner)
    page = client.get(LIST).content.decode()
    assert "asked to join MLIS cohort 2027" in page and "Bea Asker" in page
    url = reverse("groups:requests", args=[group.slug])
    opened = client.get(reverse("notifications:open", args=[Notification.objects.get(recipient=owner).pk]))
    assert opened.status_code == 302 and opened["Location"] == url
    assert client.get(url).status_code == 200


def test_a_request_is_emailed_to_moderators_with_a_link_to_the_requests(committing, cohort):
    group, owner, moderator, _ = cohort
    with committing():
        actions.request_to_join(user=UserFactory(profile__display_name="Asha Asker"), group=group)
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([owner.email, moderator.email])
    assert "Asha Asker asked to join MLIS cohort 2027" in mail.outbox[0].subject


def test_a_moderator_who_steps_down_no_longer_sees_the_request(client, committing, cohort):
    group, owner, moderator, _ = cohort
    with committing():
        actions.request_to_join(user=UserFactory(profile__display_name="Asha Asker"), group=group)
    actions.set_role(actor=owner, membership=Membership.objects.get(group=group, user=moderator), role=Role.MEMBER)
    client.force_login(moderator)
    assert "asked to join" not in client.get(LIST).content.decode()


def test_approval_tells_the_member_with_a_link_to_the_group(client, committing, cohort):
    group, owner, _, _ = cohort
    asker = UserFactory()
    with committing():
        request = actions.request_to_join(user=asker, group=group)
    mail.outbox.clear()
    with committing():
        actions.answer_request(actor=owner, join_request=request, approve=True)
    assert kinds_of(asker) == ["group_joined"]
    client.force_login(asker)
    page = client.get(LIST).content.decode()
    assert "You are now a member of MLIS cohort 2027" in page
    opened = client.get(reverse("notifications:open", args=[Notification.objects.get(recipient=asker).pk]))
    assert opened["Location"] == reverse("posts:group", args=[group.slug])
    assert [m.to for m in mail.outbox] == [[asker.email]]
    assert "You are now a member of MLIS cohort 2027" in mail.outbox[0].subject


def test_a_decline_tells_nobody(committing, cohort):
    group, owner, _, _ = cohort
    asker = UserFactory()
    with committing():
        request = actions.request_to_join(user=asker, group=group)
    with committing():
        actions.answer_request(actor=owner, join_request=request, approve=False)
    assert kinds_of(asker) == []


def test_an_approval_is_not_shown_after_the_member_leaves(client, committing, cohort):
    group, owner, _, _ = cohort
    asker = UserFactory()
    with committing():
        request = actions.request_to_join(user=asker, group=group)
    with committing():
        actions.answer_request(actor=owner, join_request=request, approve=True)
    actions.leave(user=asker, group=group)
    client.force_login(asker)
    assert "You are now a member" not in client.get(LIST).content.decode()


def test_a_blocked_requester_does_not_reach_the_moderator_who_blocked_them(committing, cohort):
    group, owner, moderator, _ = cohort
    asker = UserFactory()
    BlockFactory(blocker=moderator, blocked=asker)
    with committing():
        actions.request_to_join(user=asker, group=group)
    assert kinds_of(owner) == ["group_request"] and kinds_of(moderator) == []


def test_deleting_the_group_deletes_its_notifications(committing, cohort):
    group, owner, _, _ = cohort
    asker = UserFactory()
    with committing():
        request = actions.request_to_join(user=asker, group=group)
        actions.request_to_join(user=UserFactory(), group=group)
    with committing():
        actions.answer_request(actor=owner, join_request=request, approve=True)
    assert Notification.objects.filter(kind__in=["group_request", "group_joined"]).count() == 3
    actions.delete_group(actor=owner, group=group)
    assert not Notification.objects.filter(kind__in=["group_request", "group_joined"]).exists()


def test_the_kinds_are_in_the_notification_settings(client):
    client.force_login(UserFactory())
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Group join requests" in page and "Group approvals" in page
