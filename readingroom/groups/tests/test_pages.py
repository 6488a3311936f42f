"""The groups pages: the directory, a group's tabs, joining, invitations, moderation and settings.
Private things answer 404; every field is bounded; a blank or bad POST shows its errors (400)
and keeps what was typed."""

import re
from datetime import timedelta

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from readingroom.groups import actions
from readingroom.groups.models import Group, GroupBan, Invitation, JoinRequest, Membership, PinnedResource, Role
from readingroom.groups.queries import DIRECTORY_PAGE
from readingroom.groups.tests.helpers import add_member, make_group, png_upload
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("groups:directory")
CONDUCT = "Be kind. Share what you learn."


def url(name, group, *args):
    return reverse(f"groups:{name}", args=[group.slug, *args])


def listed(response) -> list[str]:
    """The group names a directory page lists, in order."""
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return [
        "".join(h3.itertext())
        for li in tree.iter("li")
        if "group-card" in (li.get("class") or "")
        for h3 in li.iter("h3")
    ]


def member(group, user):
    return Membership.objects.filter(group=group, user=user).first()


# --- the directory -------------------------------------------------------------------------------


def test_the_directory_lists_public_and_private_groups_but_hidden_ones_only_to_members(client):
    owner = UserFactory()
    make_group(owner, name="Lone archivists")
    make_group(owner, name="MLIS cohort 2027", privacy="private")
    hidden = make_group(owner, name="Secret shelf", privacy="hidden", tags="secretive")
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert sorted(listed(response)) == ["Lone archivists", "MLIS cohort 2027"]
    assert "secretive" not in response.content.decode()  # not among the popular tags either
    client.force_login(UserFactory())
    assert "Secret shelf" not in listed(client.get(DIRECTORY))
    assert "Secret shelf" not in listed(client.get(DIRECTORY, {"q": "secret"}))
    client.force_login(add_member(hidden))
    assert "Secret shelf" in listed(client.get(DIRECTORY))


def test_the_directory_filters_by_words_tag_sector_size_and_mine(client):
    owner, joiner = UserFactory(), UserFactory()
    archivists = make_group(
        owner, name="Lone archivists", summary="Solo archive workers", sector="archive", tags="solo"
    )
    make_group(owner, name="School librarians down under", summary="Teacher librarians", sector="school", tags="oz")
    make_group(owner, name="#uklibchat organisers", summary="Monthly chat", tags="chat, solo")
    actions.join(user=joiner, group=archivists)
    Group.objects.filter(pk=archivists.pk).update(members_count=25)

    def names(**params):
        return sorted(listed(client.get(DIRECTORY, params)))

    assert names(q="ARCHIV") == ["Lone archivists"]
    assert names(q="teacher") == ["School librarians down under"]
    assert names(q="Chat") == ["#uklibchat organisers"]
    assert names(q="oz") == ["School librarians down under"]  # a tag's exact name
    assert names(tag="#Solo") == ["#uklibchat organisers", "Lone archivists"]
    assert names(q="solo", tag="chat") == ["#uklibchat organisers"]
    assert names(sector="school") == ["School librarians down under"]
    assert names(size="medium") == ["Lone archivists"]
    assert names(size="small") == ["#uklibchat organisers", "School librarians down under"]
    assert names(size="large") == []
    assert names(mine="on") == ["#uklibchat organisers", "Lone archivists", "School librarians down under"]
    client.force_login(joiner)
    assert names(mine="on") == ["Lone archivists"]
    assert "You are a member" in client.get(DIRECTORY, {"q": "lone"}).content.decode()


def test_the_directory_orders_by_activity_size_and_age(client):
    old, big, busy = (make_group(name=n) for n in ("Oldest", "Biggest", "Busiest"))
    Group.objects.filter(pk=big.pk).update(members_count=300)
    now = timezone.now()
    Group.objects.filter(pk=old.pk).update(last_activity_at=now - timedelta(days=9))
    Group.objects.filter(pk=big.pk).update(last_activity_at=now - timedelta(days=3))
    Group.objects.filter(pk=busy.pk).update(last_activity_at=now)
    assert listed(client.get(DIRECTORY)) == ["Busiest", "Biggest", "Oldest"]
    assert listed(client.get(DIRECTORY, {"sort": "largest"}))[0] == "Biggest"
    assert listed(client.get(DIRECTORY, {"sort": "newest"})) == ["Busiest", "Biggest", "Oldest"]


def walk_directory(client, **params):
    names, after, pages = [], None, 0
    while True:
        response = client.get(DIRECTORY, {**params, **({"after": after} if after else {})})
        assert response.status_code == 200
        names += listed(response)
        pages += 1
        page = response.context["page"]
        if not page.has_next:
            return names, pages
        link = re.search(r'href="\?([^"]*after=[^"]*)" rel="next"', response.content.decode()).group(1)
        assert all(f"{k}=" in link for k in params), link  # the next page keeps the filters
        after = page.next_cursor
        assert pages < 20


@pytest.mark.parametrize("sort", ["active", "largest", "newest"])
def test_directory_pages_never_repeat_or_skip_a_group_even_with_ties(client, sort):
    owner = UserFactory()
    groups = [make_group(owner, name=f"Group {n:02d}", tags="paging") for n in range(2 * DIRECTORY_PAGE + 5)]
    same = timezone.now().replace(microsecond=123457)
    for n, group in enumerate(groups):
        # Long runs of equal keys, and keys whose microseconds a float would round.
        Group.objects.filter(pk=group.pk).update(
            members_count=n // 10,
            last_activity_at=same - timedelta(microseconds=n // 7),
            created_at=same - timedelta(seconds=n // 9, microseconds=1),
        )
    make_group(owner, name="Not tagged")
    names, pages = walk_directory(client, sort=sort, tag="paging")
    assert sorted(names) == sorted(g.name for g in groups) and len(names) == len(set(names))
    assert pages == 3


@pytest.mark.parametrize(
    "after",
    [
        "abc",
        "1.2.3",
        "-1.5",
        "1.0",
        ".5",
        "5.",
        "١٢.٣",
        "99999999999999999999.1",
        "9000000000000000000.5",
        "253402300800000000.5",
        "1" * 60,
        "0.9223372036854775807",
    ],
)
@pytest.mark.parametrize("sort", ["active", "largest", "newest"])
def test_a_malformed_or_out_of_range_directory_cursor_is_ignored(client, after, sort):
    make_group(name="Lone archivists")
    response = client.get(DIRECTORY, {"after": after, "sort": sort})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 101}, {"tag": "t" * 41}, {"sector": "space"}, {"size": "huge"}, {"sort": "random"}, {"mine": "x" * 9}],
)
def test_bad_directory_filters_are_form_errors_not_failures(client, params):
    make_group(name="Lone archivists")
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    if "mine" not in params:
        assert response.context["form"].errors


# --- a group's pages -----------------------------------------------------------------------------


def test_a_hidden_group_does_not_exist_for_outsiders(client):
    owner = UserFactory()
    group = make_group(owner, name="Secret shelf", privacy="hidden")
    paths = [reverse("posts:group", args=[group.slug])] + [
        url(name, group)
        for name in ("about", "members", "join", "requests", "invitations", "bans", "resources", "edit", "delete")
    ]
    for who in (None, UserFactory(), UserFactory(is_staff=False)):
        if who is None:
            client.logout()
        else:
            client.force_login(who)
        for path in paths:
            status = client.get(path).status_code
            assert status in (404, 302), path
            if who is not None:
                assert status == 404, path
        assert client.post(url("join", group), {"accept_conduct": "on"}).status_code in (404, 302)
    assert Membership.objects.filter(group=group).count() == 1


def test_site_staff_see_a_hidden_groups_about_page_but_not_its_posts(client):
    group = make_group(name="Secret shelf", privacy="hidden")
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url("about", group)).status_code == 200
    assert client.get(url("members", group)).status_code == 404


def test_a_private_group_shows_outsiders_its_about_page_only(client):
    owner = UserFactory()
    group = make_group(owner, name="MLIS cohort 2027", privacy="private", about="Our **cohort**.")
    actions.pin_resource(actor=owner, group=group, title="Timetable", url="https://example.org/timetable")
    client.force_login(UserFactory())
    about = client.get(url("about", group))
    page = about.content.decode()
    assert about.status_code == 200 and "<strong>cohort</strong>" in page and "Ask to join" in page
    assert "Timetable" not in page  # pinned resources are the group's content, for members
    assert client.get(url("members", group)).status_code == 404
    response = client.get(reverse("posts:group", args=[group.slug]))
    assert response.status_code == 302 and response["Location"] == url("about", group)
    for name in ("requests", "invitations", "bans", "resources", "edit", "delete"):
        assert client.get(url(name, group)).status_code == 404, name


def test_members_see_the_tabs_their_role_allows(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    plain, moderator = add_member(group), add_member(group, role=Role.MODERATOR)
    client.force_login(plain)
    assert client.get(url("members", group)).status_code == 200
    for name in ("requests", "invitations", "bans", "resources", "edit", "delete"):
        assert client.get(url(name, group)).status_code == 404, name
    client.force_login(moderator)
    for name in ("requests", "invitations", "bans", "resources"):
        assert client.get(url(name, group)).status_code == 200, name
    for name in ("edit", "delete"):
        assert client.get(url(name, group)).status_code == 404, name


def test_an_unknown_or_over_long_slug_is_404(client):
    assert client.get(reverse("posts:group", args=["no-such-group"])).status_code == 404
    assert client.get(f"/groups/{'a' * 61}/about").status_code == 404


def test_a_group_with_a_reserved_name_has_working_pages(client):
    owner = UserFactory()
    for word in ("New", "Invite", "Mine"):
        group = make_group(owner, name=word)
        client.force_login(owner)
        assert client.get(reverse("posts:group", args=[group.slug])).status_code == 200
        assert client.get(url("about", group)).status_code == 200


# --- creating and editing ------------------------------------------------------------------------


def test_starting_a_group_through_the_form(client):
    owner = UserFactory()
    client.force_login(owner)
    assert client.get(reverse("groups:create")).status_code == 200
    response = client.post(
        reverse("groups:create"),
        {"name": "Lone  archivists", "privacy": "public", "tags": "solo, Archives", "sector": "archive"},
    )
    group = Group.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("posts:group", args=[group.slug])
    assert group.name == "Lone archivists" and member(group, owner).role == Role.OWNER
    assert sorted(group.tags.values_list("name", flat=True)) == ["archives", "solo"]


def test_starting_a_group_needs_a_member(client):
    response = client.get(reverse("groups:create"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_blank_group_form_shows_its_errors(client):
    client.force_login(UserFactory())
    response = client.post(reverse("groups:create"), {})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "privacy"}
    assert not Group.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "n" * 81),
        ("name", "   "),
        ("summary", "s" * 201),
        ("about", "a" * 5001),
        ("conduct", "c" * 5001),
        ("tags", "t" * 441),
        ("tags", ", ".join(f"tag{n}" for n in range(11))),
        ("tags", "<b>"),
        ("banner_alt", "b" * 301),
        ("sector", "space"),
        ("privacy", "secret"),
    ],
)
def test_every_group_field_is_bounded_and_the_input_kept(client, field, value):
    client.force_login(UserFactory())
    data = {"name": "Lone archivists", "privacy": "public", "summary": "Kept summary zqx", field: value}
    response = client.post(reverse("groups:create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    if field != "summary":
        assert "Kept summary zqx" in response.content.decode()
    assert not Group.objects.exists()


def test_a_banner_without_a_description_is_refused_on_the_form(client):
    client.force_login(UserFactory())
    data = {"name": "Lone archivists", "privacy": "public", "banner": png_upload()}
    response = client.post(reverse("groups:create"), data)
    assert response.status_code == 400 and "banner_alt" in response.context["form"].errors
    data = {"name": "Lone archivists", "privacy": "public", "banner": png_upload(), "banner_alt": "Archive boxes"}
    assert client.post(reverse("groups:create"), data).status_code == 302
    assert Group.objects.get().banner_alt == "Archive boxes"


def test_a_file_that_is_not_an_image_is_a_form_error(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory())
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(reverse("groups:create"), {"name": "Lone archivists", "privacy": "public", "avatar": fake})
    assert response.status_code == 400 and not Group.objects.exists()


def test_the_settings_form_edits_the_group_and_shows_errors(client):
    owner = UserFactory()
    group = make_group(owner, tags="solo", conduct=CONDUCT)
    client.force_login(owner)
    page = client.get(url("edit", group)).content.decode()
    assert "solo" in page and CONDUCT in page
    response = client.post(url("edit", group), {})
    assert response.status_code == 400 and "name" in response.context["form"].errors
    data = {"name": "Solo archivists", "privacy": "private", "tags": "solo, lone", "conduct": CONDUCT}
    assert client.post(url("edit", group), data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.privacy) == ("Solo archivists", "private")
    client.force_login(add_member(group, role=Role.MODERATOR))
    assert client.post(url("edit", group), {**data, "name": "Mine now"}).status_code == 404
    assert Group.objects.get(pk=group.pk).name == "Solo archivists"


def test_deleting_a_group_through_its_page(client):
    owner = UserFactory()
    group = make_group(owner)
    client.force_login(owner)
    assert client.get(url("delete", group)).status_code == 200
    response = client.post(url("delete", group))
    assert response.status_code == 302 and response["Location"] == DIRECTORY
    assert not Group.objects.exists()


# --- joining, asking, leaving --------------------------------------------------------------------


def test_joining_a_public_group_needs_the_code_of_conduct_accepted(client):
    group = make_group(conduct=CONDUCT)
    joiner = UserFactory()
    client.force_login(joiner)
    assert "I have read the code of conduct" in client.get(url("about", group)).content.decode()
    response = client.post(url("join", group), {})
    assert response.status_code == 400 and "accept the group" in response.content.decode()
    assert member(group, joiner) is None
    response = client.post(url("join", group), {"accept_conduct": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("posts:group", args=[group.slug])
    assert member(group, joiner).conduct_accepted_at is not None
    assert client.post(url("join", group), {"accept_conduct": "on"}).status_code == 302
    assert Group.objects.get(pk=group.pk).members_count == 2


def test_joining_needs_a_member(client):
    group = make_group()
    response = client.post(url("join", group), {})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert Group.objects.get(pk=group.pk).members_count == 1


def test_asking_to_join_a_private_group_and_withdrawing(client):
    group = make_group(privacy="private", conduct=CONDUCT)
    asker = UserFactory()
    client.force_login(asker)
    response = client.post(url("join", group), {"message": "m" * 501, "accept_conduct": "on"})
    assert response.status_code == 400 and "m" * 501 in response.content.decode()
    response = client.post(url("join", group), {"message": "I start in September"})
    assert response.status_code == 400 and not JoinRequest.objects.exists()
    response = client.post(url("join", group), {"message": "I start in September", "accept_conduct": "on"})
    assert response.status_code == 302 and response["Location"] == url("about", group)
    assert JoinRequest.objects.get().message == "I start in September"
    assert member(group, asker) is None
    assert "Withdraw my request" in client.get(url("about", group)).content.decode()
    client.post(url("leave", group), {"what": "request"})
    assert not JoinRequest.objects.exists()


def test_a_banned_member_is_turned_away_from_the_join_page(client):
    owner = UserFactory()
    group = make_group(owner)
    troll = add_member(group)
    actions.remove_member(actor=owner, membership=member(group, troll), ban=True, reason="Spam")
    client.force_login(troll)
    response = client.post(url("join", group), {"accept_conduct": "on"}, follow=True)
    assert "You cannot join this group." in response.content.decode()
    assert member(group, troll) is None


def test_leaving_through_the_page(client):
    owner = UserFactory()
    group = make_group(owner)
    leaver = add_member(group)
    client.force_login(owner)
    response = client.post(url("leave", group), follow=True)
    assert "Make another member an owner" in response.content.decode() and member(group, owner)
    client.force_login(leaver)
    response = client.post(url("leave", group))
    assert response.status_code == 302 and response["Location"] == url("about", group)
    assert member(group, leaver) is None


def test_leaving_a_hidden_group_goes_back_to_the_directory(client):
    group = make_group(privacy="hidden")
    leaver = add_member(group)
    client.force_login(leaver)
    response = client.post(url("leave", group))
    assert response.status_code == 302 and response["Location"] == DIRECTORY


# --- requests ------------------------------------------------------------------------------------


def test_moderators_approve_and_decline_requests_on_the_requests_page(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    first, second = UserFactory(profile__display_name="Asha"), UserFactory(profile__display_name="Bea")
    one = actions.request_to_join(user=first, group=group, message="<b>Hello</b>")
    two = actions.request_to_join(user=second, group=group)
    client.force_login(owner)
    page = client.get(url("requests", group)).content.decode()
    assert "Approve Asha" in page and "&lt;b&gt;Hello&lt;/b&gt;" in page
    response = client.post(url("answer_request", group, one.pk), {"decision": "approve"})
    assert response.status_code == 302 and member(group, first)
    client.post(url("answer_request", group, two.pk), {"decision": "decline"})
    assert member(group, second) is None and not JoinRequest.objects.exists()
    assert client.post(url("answer_request", group, two.pk), {"decision": "approve"}).status_code == 404


def test_a_blank_answer_to_a_request_decides_nothing(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    request = actions.request_to_join(user=UserFactory(), group=group)
    client.force_login(owner)
    for data in ({}, {"decision": "maybe"}):
        response = client.post(url("answer_request", group, request.pk), data)
        assert response.status_code == 400
        assert "Approve or decline" in response.content.decode()
    assert JoinRequest.objects.filter(pk=request.pk).exists()


def test_a_request_of_another_group_cannot_be_answered_here(client):
    owner = UserFactory()
    mine, theirs = make_group(owner, privacy="private"), make_group(privacy="private")
    request = actions.request_to_join(user=UserFactory(), group=theirs)
    client.force_login(owner)
    assert client.post(url("answer_request", mine, request.pk), {"decision": "approve"}).status_code == 404
    assert JoinRequest.objects.filter(pk=request.pk).exists()


# --- invitations ---------------------------------------------------------------------------------


def make_link(client, group, **data):
    response = client.post(url("invitations", group), {"days": "7", **data})
    assert response.status_code == 200
    link = re.search(r'value="(http[^"]+/groups/invite/[^"]+)"', response.content.decode()).group(1)
    return link.split("testserver", 1)[1]


def test_an_invitation_link_is_shown_once_and_works_for_an_outsider_of_a_hidden_group(client):
    owner = UserFactory()
    group = make_group(owner, name="Secret shelf", privacy="hidden", conduct=CONDUCT)
    client.force_login(owner)
    path = make_link(client, group, note="First week email")
    token = path.rsplit("/", 1)[1]
    listing = client.get(url("invitations", group)).content.decode()
    assert token not in listing and token[:6] in listing and "First week email" in listing
    guest = UserFactory()
    client.force_login(guest)
    assert client.get(url("about", group)).status_code == 404
    page = client.get(path)
    assert page.status_code == 200 and "Secret shelf" in page.content.decode() and CONDUCT in page.content.decode()
    assert client.post(path, {}).status_code == 400
    response = client.post(path, {"accept_conduct": "on"})
    assert response.status_code == 302 and member(group, guest)
    assert client.get(url("about", group)).status_code == 200
    assert "already a member" in client.get(path).content.decode()


def test_a_single_use_link_lets_one_person_in_and_is_404_for_the_next(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    client.force_login(owner)
    path = make_link(client, group, max_uses="1")
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    assert client.post(path, {}).status_code == 302 and member(group, first)
    client.force_login(second)
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404
    assert member(group, second) is None


def test_a_revoked_or_expired_link_is_404(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    client.force_login(owner)
    revoked_path, expired_path = make_link(client, group), make_link(client, group)
    revoked, expired = Invitation.objects.order_by("pk")
    response = client.post(url("revoke_invitation", group, revoked.pk))
    assert response.status_code == 302
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory())
    for path in (revoked_path, expired_path, "/groups/invite/nonsense", f"/groups/invite/{'x' * 65}"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"accept_conduct": "on"}).status_code == 404, path
    assert Group.objects.get(pk=group.pk).members_count == 1


def test_an_invitation_of_another_group_cannot_be_revoked_here(client):
    owner = UserFactory()
    mine, theirs = make_group(owner), make_group()
    invitation, _ = actions.create_invitation(actor=Membership.objects.get(group=theirs).user, group=theirs)
    client.force_login(owner)
    assert client.post(url("revoke_invitation", mine, invitation.pk)).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_a_signed_out_visitor_is_asked_to_log_in_before_accepting(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    _, token = actions.create_invitation(actor=owner, group=group)
    path = reverse("groups:invite", args=[token])
    assert "Log in" in client.get(path).content.decode()
    response = client.post(path, {})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert Invitation.objects.get().uses == 0


def test_a_banned_member_is_refused_at_the_invitation_link(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    troll = add_member(group)
    actions.remove_member(actor=owner, membership=member(group, troll), ban=True, reason="Abuse")
    _, token = actions.create_invitation(actor=owner, group=group)
    client.force_login(troll)
    response = client.post(reverse("groups:invite", args=[token]), {}, follow=True)
    assert "You cannot join this group." in response.content.decode() and member(group, troll) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"days": "2"},
        {"days": "x"},
        {"days": "7", "max_uses": "0"},
        {"days": "7", "max_uses": "1001"},
        {"days": "7", "max_uses": "9" * 30},
        {"days": "7", "note": "n" * 121},
    ],
)
def test_a_bad_invitation_form_shows_errors_and_makes_no_link(client, data):
    owner = UserFactory()
    group = make_group(owner)
    client.force_login(owner)
    response = client.post(url("invitations", group), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not Invitation.objects.exists()


# --- members, roles, removal and bans ------------------------------------------------------------


def test_the_members_page_offers_each_role_only_its_actions(client):
    owner = UserFactory(profile__handle="olu")
    group = make_group(owner)
    moderator = add_member(group, UserFactory(profile__handle="mo"), role=Role.MODERATOR)
    add_member(group, UserFactory(profile__handle="mem"))
    client.force_login(owner)
    page = client.get(url("members", group)).content.decode()
    assert page.count("Change role") == 2
    assert url("remove", group, "mo") in page and url("remove", group, "mem") in page
    assert url("remove", group, "olu") not in page
    client.force_login(moderator)
    page = client.get(url("members", group)).content.decode()
    assert "Change role" not in page
    assert url("remove", group, "mem") in page and url("remove", group, "olu") not in page
    assert url("remove", group, "mo") not in page


def test_the_members_page_pages_by_keyset(client, monkeypatch):
    from readingroom.groups import queries

    monkeypatch.setattr(queries, "MEMBERS_PAGE", 4)
    owner = UserFactory()
    group = make_group(owner)
    handles = [add_member(group).profile.handle for _ in range(9)]
    seen, before = [], None
    while True:
        response = client.get(url("members", group), {"before": before} if before else {})
        page = response.context["page"]
        seen += [m.user.profile.handle for m in page.items]
        if not page.has_next:
            break
        before = page.next_cursor
    assert seen == [*reversed(handles), owner.profile.handle]
    assert client.get(url("members", group), {"before": "nonsense"}).status_code == 200


def test_an_owner_changes_roles_on_the_members_page(client):
    owner = UserFactory()
    group = make_group(owner)
    helper = add_member(group)
    handle = helper.profile.handle
    client.force_login(owner)
    client.post(url("set_role", group, handle), {"role": "moderator"})
    assert member(group, helper).role == Role.MODERATOR
    for data in ({}, {"role": "admin"}):
        response = client.post(url("set_role", group, handle), data)
        assert response.status_code == 400 and "Choose owner, moderator or member." in response.content.decode()
    assert member(group, helper).role == Role.MODERATOR
    response = client.post(url("set_role", group, owner.profile.handle), {"role": "member"}, follow=True)
    assert "A group needs an owner" in response.content.decode() and member(group, owner).role == Role.OWNER
    client.force_login(helper)
    assert client.post(url("set_role", group, handle), {"role": "owner"}).status_code == 404
    assert client.post(url("set_role", group, "nobody"), {"role": "owner"}).status_code == 404
    assert member(group, helper).role == Role.MODERATOR


def test_removing_and_banning_through_the_page(client):
    owner = UserFactory()
    group = make_group(owner)
    troll = add_member(group)
    handle = troll.profile.handle
    client.force_login(owner)
    assert client.get(url("remove", group, handle)).status_code == 200
    response = client.post(url("remove", group, handle), {"ban": "on", "reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    assert member(group, troll) is not None
    response = client.post(url("remove", group, handle), {"ban": "on", "reason": "r" * 501})
    assert response.status_code == 400 and member(group, troll) is not None
    response = client.post(url("remove", group, handle), {"ban": "on", "reason": "Repeated spam"})
    assert response.status_code == 302 and member(group, troll) is None
    page = client.get(url("bans", group)).content.decode()
    assert "Repeated spam" in page
    client.post(url("unban", group, troll.pk))
    assert not GroupBan.objects.exists()


def test_a_moderator_cannot_remove_another_moderator_through_the_page(client):
    group = make_group()
    moderator, other = add_member(group, role=Role.MODERATOR), add_member(group, role=Role.MODERATOR)
    client.force_login(moderator)
    response = client.post(url("remove", group, other.profile.handle), {"reason": "x"}, follow=True)
    assert "You cannot remove this member." in response.content.decode()
    assert member(group, other) is not None
    client.force_login(add_member(group))
    assert client.post(url("remove", group, moderator.profile.handle), {}).status_code == 404


# --- pinned resources ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": "Guide"},
        {"title": "Guide", "url": "javascript:alert(1)"},
        {"title": "Guide", "url": "not a link"},
        {"title": "t" * 121, "url": "https://example.org/"},
        {"title": "Guide", "url": "https://example.org/" + "p" * 500},
        {"title": "Guide", "url": "https://example.org/", "note": "n" * 301},
    ],
)
def test_a_bad_resource_is_refused_with_errors(client, data):
    owner = UserFactory()
    group = make_group(owner)
    client.force_login(owner)
    response = client.post(url("resources", group), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not PinnedResource.objects.exists()


def test_resources_are_pinned_shown_on_the_about_page_and_unpinned(client):
    owner = UserFactory()
    group = make_group(owner)
    client.force_login(owner)
    response = client.post(
        url("resources", group), {"title": "Reading list", "url": "example.org/list", "note": "Wk 1"}
    )
    assert response.status_code == 302
    resource = PinnedResource.objects.get()
    assert resource.url == "https://example.org/list"
    assert "Reading list" in client.get(url("about", group)).content.decode()
    client.post(url("unpin", group, resource.pk))
    assert not PinnedResource.objects.exists()
    assert client.post(url("unpin", group, 10**6)).status_code == 302


def test_the_resource_limit_is_a_form_error(client):
    owner = UserFactory()
    group = make_group(owner)
    for n in range(actions.MAX_RESOURCES):
        actions.pin_resource(actor=owner, group=group, title=f"R{n}", url="https://example.org/")
    client.force_login(owner)
    response = client.post(url("resources", group), {"title": "One more", "url": "https://example.org/"})
    assert response.status_code == 400 and "at most 20" in response.content.decode()


def test_approving_someone_banned_meanwhile_says_so(client):
    owner = UserFactory()
    group = make_group(owner, privacy="private")
    asker = UserFactory(profile__display_name="Asha")
    request = actions.request_to_join(user=asker, group=group)
    GroupBan.objects.create(group=group, user=asker, reason="Spam", banned_by=owner)
    client.force_login(owner)
    response = client.post(url("answer_request", group, request.pk), {"decision": "approve"}, follow=True)
    assert "Asha is banned from the group" in response.content.decode() and member(group, asker) is None


def test_the_about_page_lists_owners_before_moderators(client):
    owner = UserFactory(profile__display_name="Zed Owner")
    group = make_group(owner)
    add_member(group, UserFactory(profile__display_name="Amy Moderator"), role=Role.MODERATOR)
    page = client.get(url("about", group)).content.decode()
    assert page.index("Zed Owner") < page.index("Amy Moderator")


def test_what_a_group_says_about_itself_cannot_carry_script(client):
    nasty = "<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    owner = UserFactory()
    group = make_group(owner, name=f"Nasty {nasty}"[:80], summary=nasty, about=nasty, conduct=nasty, tags="fine")
    actions.pin_resource(actor=owner, group=group, title=nasty[:120], url="https://example.org/", note=nasty)
    client.force_login(UserFactory())
    for path in (url("about", group), DIRECTORY, reverse("posts:group", args=[group.slug]), url("join", group)):
        page = client.get(path).content.decode()
        tree = html5lib.parse(page, namespaceHTMLElements=False)
        assert not [e for e in tree.iter("script") if "alert" in "".join(e.itertext())], path
        assert not [e for e in tree.iter() if isinstance(e.tag, str) and "onerror" in e.attrib], path
        assert "javascript:" not in [a.get("href") for a in tree.iter("a")], path
