"""Every write to groups, through groups.actions: create and edit, join, ask and answer, invite,
roles, remove and ban, leave, pin resources, delete."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from readingroom.groups import actions, queries
from readingroom.groups import permissions as perms
from readingroom.groups.models import (
    Group,
    GroupBan,
    GroupTag,
    Invitation,
    JoinRequest,
    Membership,
    PinnedResource,
    Role,
)
from readingroom.groups.tests.helpers import add_member, make_group, png_upload
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

CONDUCT = "Be kind. Share what you learn. **No** recruiters."


def membership(group, user):
    return Membership.objects.filter(group=group, user=user).first()


def count(group):
    return Group.objects.get(pk=group.pk).members_count


# --- creating ------------------------------------------------------------------------------------


def test_the_creator_becomes_the_only_owner_having_accepted_the_code_of_conduct():
    owner = UserFactory()
    group = make_group(owner, name="  MLIS cohort 2027 ", privacy="private", conduct=CONDUCT, summary=" Cohort ")
    assert (group.name, group.summary, group.slug) == ("MLIS cohort 2027", "Cohort", "mlis-cohort-2027")
    found = membership(group, owner)
    assert found.role == Role.OWNER and found.conduct_accepted_at is not None
    assert count(group) == 1 and Membership.objects.filter(group=group).count() == 1
    assert "<strong>No</strong>" in group.conduct_html


def test_slugs_are_unique_and_never_a_reserved_word():
    first, second, third = (make_group(name="Lone archivists") for _ in range(3))
    assert [first.slug, second.slug, third.slug] == ["lone-archivists", "lone-archivists-2", "lone-archivists-3"]
    for word in sorted(actions.RESERVED_SLUGS):
        assert make_group(name=word.title()).slug == f"{word}-group"
    assert make_group(name="Новая группа").slug == "group"  # nothing sluggable left
    assert make_group(name="x" * 80).slug == "x" * 50


def test_a_wanted_slug_is_used_when_free():
    assert make_group(name="School librarians down under", slug="Down Under!").slug == "down-under"


def test_an_unknown_privacy_is_refused():
    with pytest.raises(ValidationError):
        make_group(privacy="secret")
    assert not Group.objects.exists()


def test_tags_are_cleaned_lower_cased_and_deduplicated():
    assert actions.clean_tags(" #Cohort  2027 , cataloguing,,CATALOGUING, lone-working ") == [
        "cohort 2027",
        "cataloguing",
        "lone-working",
    ]
    group = make_group(tags="Archives, #Records, archives")
    assert list(GroupTag.objects.filter(group=group).values_list("name", flat=True)) == ["archives", "records"]


@pytest.mark.parametrize("raw", ["<script>", "a" * 41, "-leading", "tag;drop", "emoji 📚"])
def test_a_bad_tag_is_a_clear_error(raw):
    with pytest.raises(ValidationError) as caught:
        actions.clean_tags(f"fine, {raw}")
    assert caught.value.code == "bad_tag"


def test_a_group_has_at_most_ten_tags_counted_after_deduplication():
    ten = [f"tag{n}" for n in range(10)]
    assert actions.clean_tags([*ten, "TAG0", "#tag1"]) == ten
    with pytest.raises(ValidationError) as caught:
        actions.clean_tags([*ten, "tag10"])
    assert caught.value.code == "too_many_tags"
    with pytest.raises(ValidationError):
        make_group(tags=[*ten, "tag10"])
    assert not Group.objects.exists()


def test_a_banner_needs_a_description():
    with pytest.raises(ValidationError) as caught:
        make_group(banner=png_upload(), banner_alt="   ")
    assert caught.value.code == "alt_required"
    assert not Group.objects.exists()
    group = make_group(banner=png_upload(), banner_alt="Shelves of archive boxes")
    assert group.banner.name.endswith(".webp") and group.banner_alt == "Shelves of archive boxes"


# --- editing -------------------------------------------------------------------------------------


def test_only_owners_change_settings():
    group = make_group()
    moderator = add_member(group, role=Role.MODERATOR)
    for actor in (moderator, add_member(group), UserFactory()):
        with pytest.raises(Http404):
            actions.update_group(actor=actor, group=group, name="Taken over")
    assert Group.objects.get(pk=group.pk).name == "Lone archivists"


def test_an_owner_edits_name_about_and_tags():
    owner = UserFactory()
    group = make_group(owner, tags="archives, records")
    actions.update_group(actor=owner, group=group, name=" Solo archivists ", about="We *help*.", tags="archives, solo")
    group.refresh_from_db()
    assert group.name == "Solo archivists" and "<em>help</em>" in group.about_html
    assert sorted(group.tags.values_list("name", flat=True)) == ["archives", "solo"]
    with pytest.raises(ValidationError):
        actions.update_group(actor=owner, group=group, privacy="secret")


def test_adding_a_banner_in_settings_needs_a_description():
    owner = UserFactory()
    group = make_group(owner)
    with pytest.raises(ValidationError):
        actions.update_group(actor=owner, group=group, banner=png_upload(), banner_alt="")
    actions.update_group(actor=owner, group=group, banner=png_upload(), banner_alt="A reading room")
    assert Group.objects.get(pk=group.pk).banner


# --- joining a public group ----------------------------------------------------------------------


def test_joining_a_group_with_a_code_of_conduct_needs_it_accepted():
    group = make_group(conduct=CONDUCT)
    joiner = UserFactory()
    with pytest.raises(ValidationError) as caught:
        actions.join(user=joiner, group=group)
    assert caught.value.code == "conduct_required"
    assert membership(group, joiner) is None and count(group) == 1
    actions.join(user=joiner, group=group, accept_conduct=True)
    found = membership(group, joiner)
    assert found.role == Role.MEMBER and found.conduct_accepted_at is not None and found.show_in_home
    assert count(group) == 2


def test_a_group_without_a_code_of_conduct_is_joined_at_once():
    group = make_group()
    joiner = UserFactory()
    actions.join(user=joiner, group=group)
    assert membership(group, joiner).conduct_accepted_at is None


def test_joining_twice_keeps_one_membership_and_one_count():
    group = make_group()
    joiner = UserFactory()
    first = actions.join(user=joiner, group=group)
    perms.forget_membership(joiner, group)
    second = actions.join(user=joiner, group=group)
    assert first.pk == second.pk
    assert Membership.objects.filter(group=group, user=joiner).count() == 1 and count(group) == 2


def test_banned_members_cannot_join_again():
    owner = UserFactory()
    group = make_group(owner)
    troll = add_member(group)
    actions.remove_member(actor=owner, membership=membership(group, troll), ban=True, reason="Spam")
    with pytest.raises(PermissionDenied):
        actions.join(user=troll, group=group)
    assert membership(group, troll) is None and count(group) == 1


def test_private_and_hidden_groups_cannot_be_joined_directly():
    private, hidden = make_group(privacy="private"), make_group(privacy="hidden")
    joiner = UserFactory()
    with pytest.raises(PermissionDenied):
        actions.join(user=joiner, group=private)
    with pytest.raises(Http404):  # an outsider does not know a hidden group exists
        actions.join(user=joiner, group=hidden)
    assert not Membership.objects.filter(user=joiner).exists()


# --- asking to join a private group --------------------------------------------------------------


def test_a_request_to_a_public_group_is_refused():
    with pytest.raises(PermissionDenied):
        actions.request_to_join(user=UserFactory(), group=make_group())


def test_a_request_needs_the_code_of_conduct_accepted():
    group = make_group(privacy="private", conduct=CONDUCT)
    asker = UserFactory()
    with pytest.raises(ValidationError):
        actions.request_to_join(user=asker, group=group)
    assert not JoinRequest.objects.exists()


def test_asking_twice_keeps_one_request_with_the_latest_message():
    group = make_group(privacy="private")
    asker = UserFactory()
    actions.request_to_join(user=asker, group=group, message="First")
    actions.request_to_join(user=asker, group=group, message=" Second ")
    assert list(JoinRequest.objects.values_list("message", flat=True)) == ["Second"]


def test_approving_a_request_adds_the_member_and_removes_the_request():
    owner, asker = UserFactory(), UserFactory()
    group = make_group(owner, privacy="private", conduct=CONDUCT)
    request = actions.request_to_join(user=asker, group=group, message="Cohort of 2027", accept_conduct=True)
    found = actions.answer_request(actor=owner, join_request=request, approve=True)
    assert found.user_id == asker.pk and found.role == Role.MEMBER and found.conduct_accepted_at is not None
    assert not JoinRequest.objects.exists() and count(group) == 2


def test_declining_a_request_removes_it_without_adding_anyone():
    owner, asker = UserFactory(), UserFactory()
    group = make_group(owner, privacy="private")
    request = actions.request_to_join(user=asker, group=group)
    assert actions.answer_request(actor=owner, join_request=request, approve=False) is None
    assert not JoinRequest.objects.exists() and membership(group, asker) is None and count(group) == 1


def test_only_moderators_answer_requests():
    group = make_group(privacy="private")
    request = actions.request_to_join(user=UserFactory(), group=group)
    for actor in (add_member(group), UserFactory()):
        with pytest.raises(Http404):
            actions.answer_request(actor=actor, join_request=request, approve=True)
    assert JoinRequest.objects.filter(pk=request.pk).exists()
    moderator = add_member(group, role=Role.MODERATOR)
    actions.answer_request(actor=moderator, join_request=request, approve=True)
    assert membership(group, request.user) is not None


def test_a_request_can_be_withdrawn():
    group = make_group(privacy="private")
    asker = UserFactory()
    actions.request_to_join(user=asker, group=group)
    actions.withdraw_request(user=asker, group=group)
    assert not JoinRequest.objects.exists()


def test_members_and_banned_members_cannot_ask():
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    member = add_member(group)
    with pytest.raises(PermissionDenied):
        actions.request_to_join(user=member, group=group)
    actions.remove_member(actor=owner, membership=membership(group, member), ban=True, reason="Harassment")
    with pytest.raises(PermissionDenied):
        actions.request_to_join(user=member, group=group)
    assert not JoinRequest.objects.exists()


# --- invitations ---------------------------------------------------------------------------------


def test_only_the_digest_of_an_invitation_token_is_stored():
    owner = UserFactory()
    group = make_group(owner, privacy="hidden")
    invitation, token = actions.create_invitation(actor=owner, group=group, days=30, max_uses=5, note=" Email ")
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert stored["digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in stored.values()}
    assert stored["hint"] == token[:6] and stored["note"] == "Email" and stored["max_uses"] == 5
    assert len(token) >= 32
    expected = timezone.now() + timedelta(days=30)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60


def test_an_invitation_link_lets_an_outsider_into_a_hidden_group():
    owner, guest = UserFactory(), UserFactory()
    group = make_group(owner, privacy="hidden", conduct=CONDUCT)
    invitation, token = actions.create_invitation(actor=owner, group=group)
    assert actions.invitation_for(token).pk == invitation.pk
    with pytest.raises(ValidationError):
        actions.accept_invitation(user=guest, token=token)
    assert Invitation.objects.get(pk=invitation.pk).uses == 0
    actions.accept_invitation(user=guest, token=token, accept_conduct=True)
    assert membership(group, guest).conduct_accepted_at is not None and count(group) == 2
    assert Invitation.objects.get(pk=invitation.pk).uses == 1


def test_a_single_use_link_works_once():
    owner, first, second = UserFactory(), UserFactory(), UserFactory()
    group = make_group(owner, privacy="private")
    invitation, token = actions.create_invitation(actor=owner, group=group, max_uses=1)
    actions.accept_invitation(user=first, token=token)
    with pytest.raises(Http404):
        actions.accept_invitation(user=second, token=token)
    with pytest.raises(Http404):
        actions.invitation_for(token)
    assert membership(group, second) is None
    assert Invitation.objects.get(pk=invitation.pk).uses == 1
    assert queries.invitations(group) == []


def test_a_member_following_their_link_again_uses_nothing():
    owner, guest = UserFactory(), UserFactory()
    group = make_group(owner, privacy="private")
    invitation, token = actions.create_invitation(actor=owner, group=group, max_uses=2)
    actions.accept_invitation(user=guest, token=token)
    actions.accept_invitation(user=guest, token=token)
    assert Invitation.objects.get(pk=invitation.pk).uses == 1


def test_expired_and_revoked_links_are_404():
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    expired, old_token = actions.create_invitation(actor=owner, group=group, days=1)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, revoked_token = actions.create_invitation(actor=owner, group=group)
    actions.revoke_invitation(actor=owner, invitation=revoked)
    for token in (old_token, revoked_token, "not-a-token", "", "x" * 65):
        with pytest.raises(Http404):
            actions.accept_invitation(user=UserFactory(), token=token)
    assert count(group) == 1
    assert queries.invitations(group) == []


def test_a_banned_member_is_refused_at_the_invitation_without_using_it():
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    troll = add_member(group)
    actions.remove_member(actor=owner, membership=membership(group, troll), ban=True, reason="Abuse")
    invitation, token = actions.create_invitation(actor=owner, group=group, max_uses=1)
    with pytest.raises(PermissionDenied):
        actions.accept_invitation(user=troll, token=token)
    assert membership(group, troll) is None and Invitation.objects.get(pk=invitation.pk).uses == 0


def test_only_moderators_make_and_revoke_links_within_the_limits():
    owner = UserFactory()
    group = make_group(owner)
    member = add_member(group)
    with pytest.raises(Http404):
        actions.create_invitation(actor=member, group=group)
    invitation, _ = actions.create_invitation(actor=owner, group=group)
    with pytest.raises(Http404):
        actions.revoke_invitation(actor=member, invitation=invitation)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    for kwargs in ({"days": 2}, {"days": 0}, {"max_uses": 0}, {"max_uses": 1001}):
        with pytest.raises(ValidationError):
            actions.create_invitation(actor=owner, group=group, **kwargs)


# --- roles ---------------------------------------------------------------------------------------


def test_an_owner_makes_a_member_a_moderator_who_can_then_moderate():
    owner = UserFactory()
    group = make_group(owner)
    helper = add_member(group)
    with pytest.raises(Http404):
        actions.pin_resource(actor=helper, group=group, title="Guide", url="https://example.org/")
    actions.set_role(actor=owner, membership=membership(group, helper), role=Role.MODERATOR)
    perms.forget_membership(helper, group)
    assert membership(group, helper).role == Role.MODERATOR
    actions.pin_resource(actor=helper, group=group, title="Guide", url="https://example.org/")


def test_moderators_and_members_cannot_change_roles():
    group = make_group()
    moderator, member = add_member(group, role=Role.MODERATOR), add_member(group)
    for actor in (moderator, member):
        with pytest.raises(Http404):
            actions.set_role(actor=actor, membership=membership(group, member), role=Role.OWNER)
        with pytest.raises(Http404):
            actions.set_role(actor=actor, membership=membership(group, actor), role=Role.OWNER)
    assert membership(group, member).role == Role.MEMBER and membership(group, moderator).role == Role.MODERATOR


def test_the_last_owner_cannot_step_down_or_leave():
    owner = UserFactory()
    group = make_group(owner)
    with pytest.raises(PermissionDenied):
        actions.set_role(actor=owner, membership=membership(group, owner), role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        actions.leave(user=owner, group=group)
    assert membership(group, owner).role == Role.OWNER and count(group) == 1
    second = add_member(group, role=Role.OWNER)
    actions.set_role(actor=owner, membership=membership(group, owner), role=Role.MODERATOR)
    assert membership(group, owner).role == Role.MODERATOR
    with pytest.raises(PermissionDenied):
        actions.leave(user=second, group=group)
    actions.leave(user=owner, group=group)
    assert membership(group, owner) is None and count(group) == 1


def test_an_unknown_role_is_refused():
    owner = UserFactory()
    group = make_group(owner)
    with pytest.raises(ValidationError):
        actions.set_role(actor=owner, membership=membership(group, add_member(group)), role="admin")


# --- leaving, removing and banning ---------------------------------------------------------------


def test_leaving_ends_the_membership_once():
    group = make_group()
    member = add_member(group)
    actions.leave(user=member, group=group)
    actions.leave(user=member, group=group)
    assert membership(group, member) is None and count(group) == 1
    assert perms.membership(member, group) is None  # the leaver's own cached answer is dropped too


def test_moderators_remove_members_but_not_moderators_or_owners():
    owner = UserFactory()
    group = make_group(owner)
    moderator, other_moderator = add_member(group, role=Role.MODERATOR), add_member(group, role=Role.MODERATOR)
    member = add_member(group)
    for target in (other_moderator, owner, moderator):
        with pytest.raises(PermissionDenied):
            actions.remove_member(actor=moderator, membership=membership(group, target))
    actions.remove_member(actor=moderator, membership=membership(group, member))
    assert membership(group, member) is None and count(group) == 3
    actions.remove_member(actor=owner, membership=membership(group, other_moderator))
    assert membership(group, other_moderator) is None and count(group) == 2
    with pytest.raises(PermissionDenied):
        actions.remove_member(actor=owner, membership=membership(group, owner))


def test_plain_members_and_outsiders_remove_nobody():
    group = make_group()
    member, target = add_member(group), add_member(group)
    for actor in (member, UserFactory()):
        with pytest.raises(Http404):
            actions.remove_member(actor=actor, membership=membership(group, target))
    assert membership(group, target) is not None


def test_a_ban_needs_a_reason_and_bars_every_way_back_in():
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    troll = add_member(group)
    with pytest.raises(ValidationError):
        actions.remove_member(actor=owner, membership=membership(group, troll), ban=True, reason="  ")
    assert membership(group, troll) is not None and not GroupBan.objects.exists()
    actions.remove_member(actor=owner, membership=membership(group, troll), ban=True, reason=" Spam links ")
    ban = GroupBan.objects.get(group=group, user=troll)
    assert ban.reason == "Spam links" and ban.banned_by_id == owner.pk
    assert membership(group, troll) is None and count(group) == 1
    assert perms.is_banned(troll, group)
    with pytest.raises(PermissionDenied):
        actions.request_to_join(user=troll, group=group)
    _, token = actions.create_invitation(actor=owner, group=group)
    with pytest.raises(PermissionDenied):
        actions.accept_invitation(user=troll, token=token)
    assert [b.user_id for b in queries.bans(group)] == [troll.pk]


def test_a_request_from_someone_banned_meanwhile_is_not_approved():
    owner, asker = UserFactory(), UserFactory()
    group = make_group(owner, privacy="private")
    request = actions.request_to_join(user=asker, group=group)
    GroupBan.objects.create(group=group, user=asker, reason="Spam elsewhere", banned_by=owner)
    assert actions.answer_request(actor=owner, join_request=request, approve=True) is None
    assert membership(group, asker) is None


def test_lifting_a_ban_lets_them_join_again():
    owner = UserFactory()
    group = make_group(owner)
    member = add_member(group)
    actions.remove_member(actor=owner, membership=membership(group, member), ban=True, reason="Cooling off")
    with pytest.raises(Http404):
        actions.unban(actor=member, group=group, user_id=member.pk)
    assert GroupBan.objects.exists()
    actions.unban(actor=owner, group=group, user_id=member.pk)
    assert not GroupBan.objects.exists()
    actions.join(user=member, group=group)
    assert membership(group, member) is not None and count(group) == 2


# --- pinned resources ----------------------------------------------------------------------------


def test_resources_are_pinned_in_order_up_to_a_limit_and_unpinned():
    owner = UserFactory()
    group = make_group(owner)
    first = actions.pin_resource(actor=owner, group=group, title=" Reading list ", url="https://example.org/a")
    second = actions.pin_resource(actor=owner, group=group, title="Timetable", url="https://example.org/b", note="x")
    assert list(group.resources.values_list("title", flat=True)) == ["Reading list", "Timetable"]
    assert first.position < second.position
    for n in range(actions.MAX_RESOURCES - 2):
        actions.pin_resource(actor=owner, group=group, title=f"R{n}", url="https://example.org/")
    with pytest.raises(ValidationError):
        actions.pin_resource(actor=owner, group=group, title="One too many", url="https://example.org/")
    member = add_member(group)
    with pytest.raises(Http404):
        actions.unpin_resource(actor=member, resource=first)
    actions.unpin_resource(actor=owner, resource=first)
    assert PinnedResource.objects.filter(group=group).count() == actions.MAX_RESOURCES - 1


# --- deleting ------------------------------------------------------------------------------------


def test_only_an_owner_deletes_a_group_with_everything_in_it():
    owner = UserFactory()
    group = make_group(owner, privacy="private", tags="cohort")
    moderator = add_member(group, role=Role.MODERATOR)
    actions.create_invitation(actor=owner, group=group)
    actions.request_to_join(user=UserFactory(), group=group)
    actions.pin_resource(actor=owner, group=group, title="Guide", url="https://example.org/")
    with pytest.raises(Http404):
        actions.delete_group(actor=moderator, group=group)
    actions.delete_group(actor=owner, group=group)
    assert not Group.objects.exists()
    for model in (Membership, Invitation, JoinRequest, PinnedResource, GroupTag):
        assert not model.objects.exists(), model
