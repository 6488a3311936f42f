"""Bad-input battery: every URL in the project, as anonymous, member and staff, with hostile
paths, query strings and form bodies. Nothing may answer 5xx. Also: every text field of every
form is bounded, and an over-long value is reported while the member's other input is kept."""

from __future__ import annotations

import io
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from readingroom.accounts.forms import OnboardingDetailsForm, OnboardingInterestsForm, ProfileForm, SignupForm
from readingroom.accounts.models import FollowRequest
from readingroom.api.forms import TokenForm
from readingroom.core.models import Visibility
from readingroom.digests.forms import DigestSettingsForm
from readingroom.discussions import actions as discussion_actions
from readingroom.discussions.forms import (
    AcceptForm,
    EditReplyForm,
    ModerateForm,
    ReplyForm,
    StartTopicForm,
    TopicListForm,
    WatchForm,
)
from readingroom.discussions.models import Attachment, Topic
from readingroom.groups import actions as group_actions
from readingroom.groups.forms import (
    DirectoryForm,
    GroupForm,
    HomePreferenceForm,
    InvitationForm,
    JoinForm,
    RemoveForm,
    ResourceForm,
    RoleForm,
)
from readingroom.groups.models import GroupBan, Invitation, JoinRequest, Membership, PinnedResource
from readingroom.messaging import actions as message_actions
from readingroom.messaging.forms import AddPeopleForm, MessageForm, PreferenceForm, StartForm
from readingroom.messaging.models import Conversation, Message, MessageAttachment
from readingroom.network import actions as network_actions
from readingroom.network.forms import DirectoryFilterForm
from readingroom.notifications.forms import MarkAllReadForm, PreferencesForm
from readingroom.posts import actions as post_actions
from readingroom.posts.forms import EditPostForm, PostForm
from readingroom.search.forms import SearchForm
from readingroom.testing.factories import UserFactory

HUGE = "x" * 100_000
OVERFLOW = "99999999999999999999999"


def _all_routes(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(route text, url name) for every endpoint, with nested prefixes joined."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += _all_routes(pattern, text, inner)
        elif isinstance(pattern, URLPattern):
            routes.append((text, f"{namespace}{pattern.name or text}"))
    return routes


ROUTES = _all_routes()
PARAM_RE = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")

# Hostile values per path parameter kind (the real value is added per world).
HOSTILE_PARAMS = {
    "int": ["0", "9223372036854775807", "9223372036854775808", OVERFLOW],
    "str": ["x" * 5000, "%00", "%ff%fe", "%D9%A1%D9%A2%D9%A3", "..%2f..", "%3Cscript%3E", "A" * 31],
    "path": ["../../secret_key", "%2e%2e/%2e%2e/secret_key", "x" * 5000, "%00"],
    "regex": ["x", "1", OVERFLOW, "%ff", "a-b", "zzzzzzzzzzzzzzz-zzzz", "x" * 5000, "a/" * 2000],
}

QUERY_VARIANTS = [
    {"before": OVERFLOW, "after": OVERFLOW, "blocks_after": OVERFLOW, "mutes_after": OVERFLOW},
    {"before": "-1", "after": "-5", "blocks_after": "0", "mutes_after": "-0"},
    {"before": "abc", "after": "١٢٣", "blocks_after": "1e9", "mutes_after": " 12"},
    {"q": HUGE, "next": HUGE},
    {"q": "a\x00b", "next": "javascript:alert(1)", "interest": "\x00", "country": "ZZ", "sector": "nope"},
    {"q": ["a", "b"], "sector": ["academic", "public"], "open_to_mentoring": "maybe"},
    # search: relevance cursors, time-zone offsets, what to show, FTS5 and tsquery syntax
    {"q": '"a" NEAR(b) c:* \\', "sort": "relevance", "anchor": OVERFLOW, "at": "99999999", "show": "posts"},
    {"q": "#", "utc_from": "99", "utc_to": "-99", "show": "nothing", "sort": ["newest", "relevance"]},
    {"q": "a" * 201, "utc_from": "5", "utc_to": "-5", "interest": "x" * 5000, "country": "GB"},
    # the group directory's filters and cursor
    {"tag": "x" * 5000, "size": ["small", "large"], "sort": "nope", "mine": "maybe", "after": "1.2.3"},
    {"after": "99999999999999999999.1", "tag": "#", "size": "huge", "sort": ["active", "largest"]},
    {"after": f"1.{OVERFLOW}", "q": "%", "tag": "a\x00b", "sector": "x" * 5000},
    # the API's cursors and switches
    {"max_id": OVERFLOW, "min_id": "-1", "limit": "1e9", "with_replies": "maybe", "type": "x", "kind": "\x00"},
    {"max_id": "1", "min_id": "1", "limit": ["1", "2"], "at": "-1", "anchor": "0", "kind": "x" * 5000},
]
RAW_QUERIES = ["?q=%ff%fe%fd&before=%ff", "?%00=%00", "?before=%D9%A1%D9%A2%D9%A3&after=%F0%9F%98%80"]

TEXT_FIELD_NAMES = [
    "body",
    "visibility",
    "reply_to",
    "state",
    "next",
    "q",
    "handle",
    "display_name",
    "headline",
    "bio",
    "email",
    "login",
    "password",
    "password1",
    "password2",
    "oldpassword",
    "code",
    "key",
    "free_tags",
    "alt_1",
    "compact",
    "pronouns",
    "job_title",
    "organisation",
    "city",
    "region",
    "languages",
    "time_zone",
    "country",
    "sector",
    "career_stage",
    "link_0_kind",
    "link_0_url",
    "show",
    "sort",
    "utc_from",
    "utc_to",
    "kind",
    "up_to",
    "quiet_start",
    "quiet_end",
    "delivery_mention",
    "delivery_like",
    "name",
    "scope",
    "frequency",
    "weekday",
    "hour",
    # groups
    "summary",
    "about",
    "conduct",
    "tags",
    "privacy",
    "banner_alt",
    "message",
    "accept_conduct",
    "note",
    "days",
    "max_uses",
    "ban",
    "reason",
    "title",
    "url",
    "role",
    "decision",
    "what",
    "show_in_home",
    "group",
    "tag",
    "size",
    "mine",
]


def _png(name="x.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (1, 2, 3)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _not_an_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("evil.png", b"<?php echo 'hi'; ?>\x00\x01" * 50, content_type="image/png")


def post_payloads() -> list[dict]:
    return [
        {},
        {name: HUGE for name in TEXT_FIELD_NAMES},
        {name: "a\x00b" for name in TEXT_FIELD_NAMES},
        {
            "reply_to": "abc",
            "visibility": ["public", "members"],
            "state": "sideways",
            "body": ["a", "b"],
            "vocabulary": ["x", "-1", OVERFLOW],
            "reply_to_2": OVERFLOW,
            "group": "abc",
            "days": "365",
            "max_uses": "-1",
            "role": "admin",
            "privacy": "secret",
            "decision": ["approve", "decline"],
        },
        {"body": "To a group", "visibility": "public", "group": OVERFLOW, "days": OVERFLOW, "max_uses": OVERFLOW},
        {
            "name": "A group",
            "privacy": "hidden",
            "tags": ",".join(f"tag{i}" for i in range(50)),
            "url": "javascript:alert(1)",
            "title": "x",
            "ban": "on",
            "reason": "   ",
            "accept_conduct": "on",
            "role": "owner",
            "decision": "approve",
            "show_in_home": "on",
            "what": "request",
            "banner_alt": "",
            "banner": _not_an_image(),
            "avatar": _not_an_image(),
        },
        {"reply_to": OVERFLOW, "body": "Hello", "visibility": "public", "state": "on", "next": "//evil.example/"},
        {"body": "Hello", "visibility": "public", "state": "off", "next": "account_logout"},  # a bare word
        {
            "reply_to": "-3",
            "body": "Hello",
            "visibility": "everyone",
            "is_staff": "on",
            "author": "1",
            "likes_count": "999",
            "id": "1",
            "csrfmiddlewaretoken": "forged",
        },
        {
            "display_name": "Ada",
            "handle": "a" * 100,
            "time_zone": "Mars/Olympus_Mons",
            "country": "ZZ",
            "visibility": "everyone",
            "default_post_visibility": "nobody",
            "link_0_kind": "evil",
            "link_0_url": "javascript:alert(1)",
            "link_1_kind": "blog",
            "link_1_url": "https://" + "x" * 400,
            "free_tags": ",".join(f"tag{i}" for i in range(100)),
            "sector": "nope",
            "career_stage": "nope",
        },
        # files: more than four images, an image without alt text, a non-image "image" and avatar
        {
            "body": "Pictures",
            "visibility": "public",
            **{f"image_{n}": _png() for n in range(1, 6)},
            **{f"alt_{n}": "A picture" for n in range(1, 6)},
        },
        {"body": "No description", "visibility": "public", "image_1": _png(), "alt_1": ""},
        {
            "body": "Not a picture",
            "visibility": "public",
            "image_1": _not_an_image(),
            "alt_1": "Fake",
            "display_name": "Ada",
            "handle": "ada_lovelace",
            "time_zone": "UTC",
            "avatar": _not_an_image(),
        },
    ]


def _world(django_capture_on_commit_callbacks):
    member = UserFactory(profile__handle="hostile_member")
    other = UserFactory(profile__handle="hostile_other")
    staff = UserFactory(is_staff=True, is_superuser=True, profile__handle="hostile_staff")
    with django_capture_on_commit_callbacks(execute=True):
        post = post_actions.create_post(author=member, body="Hello #books", visibility=Visibility.PUBLIC)
        other.profile.locked = True
        other.profile.save(update_fields=["locked"])
        network_actions.follow(follower=member, followee=other)
    request = FollowRequest.objects.get(requester=member, target=other)
    # A private group of the member's, with someone asking to join, a member to remove and one
    # banned, an invitation link and a pinned resource.
    group = group_actions.create_group(creator=member, name="Hostile group", privacy="private", conduct="Be kind.")
    invitation, token = group_actions.create_invitation(actor=member, group=group)
    group_actions.accept_invitation(user=other, token=token, accept_conduct=True)
    banned = UserFactory(profile__handle="hostile_banned")
    group_actions.accept_invitation(user=banned, token=token, accept_conduct=True)
    group_actions.remove_member(
        actor=member, membership=Membership.objects.get(group=group, user=banned), ban=True, reason="Spam"
    )
    group_actions.request_to_join(user=UserFactory(), group=group, message="Please", accept_conduct=True)
    group_actions.pin_resource(actor=member, group=group, title="Guide", url="https://example.org/guide")
    real = {
        "int": str(post.pk),
        "request_id": str(request.pk),
        "str": "hostile_other",
        "name": "books",
        "path": "avatars/none.png",
        "regex": "x",
        "slug": group.slug,
        "kind": "goal",
        "token": token,
        "user_id": str(banned.pk),
    }
    return {"anonymous": None, "member": member, "staff": staff}, real


def _fill(route: str, value_for) -> str:
    def sub(match: re.Match) -> str:
        if match.group("rname"):
            return value_for("regex", match.group("rname"))
        return value_for(match.group("conv") or "str", match.group("name"))

    return "/" + PARAM_RE.sub(sub, route).replace("^", "").replace("$", "")


def _paths(route: str, real: dict) -> list[str]:
    """The route with real parameter values, then with each hostile value in every parameter."""
    kinds = {m.group("conv") or ("regex" if m.group("rname") else "str") for m in PARAM_RE.finditer(route)}
    paths = [_fill(route, lambda kind, name: real.get(name, real[kind]))]
    for kind in kinds:
        for bad in HOSTILE_PARAMS.get(kind, HOSTILE_PARAMS["str"]):
            paths.append(_fill(route, lambda k, name, bad=bad, kind=kind: bad if k == kind else real[k]))
    return paths


def _assert_no_server_error(response, what: str) -> None:
    exc = getattr(response, "exc_info", None)
    detail = f" ({exc[0].__name__}: {exc[1]})" if exc else ""
    assert response.status_code < 500, f"{what} answered {response.status_code}{detail}"


@pytest.mark.django_db
@pytest.mark.parametrize("principal", ["anonymous", "member", "staff"])
@pytest.mark.parametrize(("route", "url_name"), ROUTES, ids=[name for _, name in ROUTES])
def test_hostile_requests_never_cause_a_server_error(
    client, django_capture_on_commit_callbacks, route, url_name, principal
):
    users, real = _world(django_capture_on_commit_callbacks)
    client.raise_request_exception = False

    def login():
        if users[principal] is not None:
            client.force_login(users[principal])

    login()
    paths = _paths(route, real)
    for path in paths:
        _assert_no_server_error(client.get(path), f"GET {path[:120]}")
        _assert_no_server_error(client.post(path, {}), f"POST {path[:120]}")
    real_path = paths[0]
    for params in QUERY_VARIANTS:
        _assert_no_server_error(client.get(real_path, params), f"GET {real_path} {str(params)[:120]}")
    for raw in RAW_QUERIES:
        _assert_no_server_error(client.get(real_path + raw), f"GET {real_path}{raw}")
    for payload in post_payloads():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(real_path, payload)
        _assert_no_server_error(response, f"POST {real_path} {str(payload)[:160]}")
        if "logout" in url_name:
            login()  # keep testing as the same principal


# --- Bounded form fields ------------------------------------------------------------------------


def _project_forms(profile) -> list[forms.BaseForm]:
    return [
        SignupForm(),
        OnboardingDetailsForm(instance=profile),
        OnboardingInterestsForm(profile=profile),
        ProfileForm(instance=profile),
        PostForm(),
        EditPostForm(),
        DirectoryFilterForm(interests=[]),
        SearchForm(interests=[]),
        PreferencesForm(deliveries={}),
        MarkAllReadForm(),
        TokenForm(),
        DigestSettingsForm(),
        GroupForm(),
        DirectoryForm(),
        JoinForm(),
        InvitationForm(),
        RemoveForm(),
        ResourceForm(),
        RoleForm(),
        HomePreferenceForm(),
        StartTopicForm(),
        ReplyForm(),
        EditReplyForm(),
        EditReplyForm(opening=True),
        TopicListForm(),
        WatchForm(),
        ModerateForm(),
        AcceptForm(),
        MessageForm(),
        StartForm(),
        AddPeopleForm(),
        PreferenceForm(),
    ]


@pytest.mark.django_db
def test_every_text_field_of_every_form_has_a_max_length(member):
    unbounded = [
        f"{type(form).__name__}.{name}"
        for form in _project_forms(member.profile)
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert not unbounded, f"text fields without max_length: {unbounded}"


def _profile_data(profile, **changes) -> dict:
    data = {
        "display_name": "Ada Lovelace",
        "handle": profile.handle,
        "time_zone": "Europe/London",
        "visibility": "public",
        "default_post_visibility": "public",
        "city": "Keepsake Town",
    }
    return {**data, **changes}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("headline", 160),
        ("pronouns", 40),
        ("bio", 5000),
        ("job_title", 120),
        ("organisation", 160),
        ("region", 80),
        ("languages", 200),
        ("display_name", 80),
        ("handle", 40),
        ("free_tags", 1000),
        ("link_0_url", 300),
    ],
)
def test_an_over_long_profile_field_is_reported_and_other_input_is_kept(member_client, member, field, limit):
    data = _profile_data(member.profile, **{field: "a" * (limit + 1), "link_0_kind": "website"})
    response = member_client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    page = response.content.decode()
    assert "Keepsake Town" in page
    member.profile.refresh_from_db()
    assert member.profile.city != "Keepsake Town"  # nothing was saved


@pytest.mark.django_db
def test_an_over_long_post_is_reported_and_the_chosen_audience_kept(member_client):
    response = member_client.post(reverse("posts:create"), {"body": "b" * 1001, "visibility": "followers"})
    assert response.status_code == 200
    assert "at most 1,000 characters" in response.content.decode()
    assert response.context["form"]["visibility"].value() == "followers"


@pytest.mark.django_db
def test_an_over_long_image_description_is_reported_and_the_post_text_kept(member_client):
    data = {"body": "Keep this text", "visibility": "public", "image_1": _png(), "alt_1": "d" * 1501}
    response = member_client.post(reverse("posts:create"), data)
    assert response.status_code == 200
    assert "alt_1" in response.context["form"].errors
    assert "Keep this text" in response.content.decode()


@pytest.mark.django_db
def test_an_over_long_directory_search_is_reported_not_run(member_client):
    response = member_client.get(reverse("network:directory"), {"q": "q" * 101, "sector": "academic"})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert response.context["form"]["sector"].value() == "academic"


@pytest.mark.django_db
def test_an_over_long_handle_at_sign_up_is_reported_and_the_email_kept(client):
    data = {
        "display_name": "Ada",
        "handle": "h" * 41,
        "email": "ada@example.org",
        "password1": "a long passphrase here",
        "password2": "a long passphrase here",
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert "at most 30 characters" in response.content.decode()
    assert "ada@example.org" in response.content.decode()


@pytest.mark.django_db
def test_an_over_long_password_at_sign_up_is_refused_with_a_message(client):
    long_password = "correct horse " * 30
    data = {
        "display_name": "Ada",
        "handle": "ada_l",
        "email": "ada@example.org",
        "password1": long_password,
        "password2": long_password,
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert "A password can be at most 256 characters." in response.content.decode()
    assert "ada@example.org" in response.content.decode()


# --- Groups: over-long input is reported, the rest of the input kept, nothing saved ---------------


@pytest.fixture
def own_group(member):
    """A private group of the member's, with a member to remove."""
    group = group_actions.create_group(creator=member, name="My cohort", privacy="private")
    _, token = group_actions.create_invitation(actor=member, group=group)
    other = UserFactory(profile__handle="cohort_peer")
    group_actions.accept_invitation(user=other, token=token)
    return group


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 80), ("summary", 200), ("about", 5000), ("conduct", 5000), ("tags", 440), ("banner_alt", 300)],
)
def test_an_over_long_group_field_is_reported_and_other_input_is_kept(member_client, field, limit):
    data = {"name": "Keepsake group", "privacy": "private", "summary": "Keepsake summary", field: "a" * (limit + 1)}
    response = member_client.post(reverse("groups:create"), data)
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    kept = "Keepsake summary" if field != "summary" else "Keepsake group"
    assert kept in response.content.decode()
    assert response.context["form"]["privacy"].value() == "private"
    assert not Membership.objects.filter(user=response.wsgi_request.user).exists()  # no group made


@pytest.mark.django_db
def test_an_over_long_join_message_is_reported_and_no_request_made(client, own_group):
    client.force_login(UserFactory())
    response = client.post(reverse("groups:join", args=[own_group.slug]), {"message": "m" * 501})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert not JoinRequest.objects.filter(group=own_group).exists()


@pytest.mark.django_db
def test_an_over_long_invitation_note_is_reported_and_no_link_made(member_client, own_group):
    url = reverse("groups:invitations", args=[own_group.slug])
    before = Invitation.objects.filter(group=own_group).count()
    response = member_client.post(url, {"days": "30", "max_uses": "7", "note": "n" * 121})
    assert response.status_code in (200, 400)
    assert "at most 120 characters" in response.content.decode()
    assert response.context["form"]["max_uses"].value() == "7"
    assert Invitation.objects.filter(group=own_group).count() == before
    assert "/groups/invite/" not in response.content.decode()


@pytest.mark.django_db
def test_an_over_long_ban_reason_is_reported_and_the_member_stays(member_client, own_group):
    url = reverse("groups:remove", args=[own_group.slug, "cohort_peer"])
    response = member_client.post(url, {"ban": "on", "reason": "r" * 501})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert response.context["form"]["ban"].value() is True
    assert Membership.objects.filter(group=own_group, user__profile__handle="cohort_peer").exists()
    assert not GroupBan.objects.filter(group=own_group).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "limit"), [("title", 120), ("url", 500), ("note", 300)])
def test_an_over_long_resource_field_is_reported_and_other_input_is_kept(member_client, own_group, field, limit):
    data = {"title": "Keepsake title", "url": "https://example.org/keep", "note": "Keepsake note"}
    data[field] = "https://example.org/" + "u" * limit if field == "url" else "a" * (limit + 1)
    response = member_client.post(reverse("groups:resources", args=[own_group.slug]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert all(data[name] in page for name in ("title", "note") if name != field)
    assert not PinnedResource.objects.filter(group=own_group).exists()


@pytest.mark.django_db
def test_a_resource_link_that_is_not_a_web_address_is_refused_by_the_form_and_the_action(
    member, member_client, own_group
):
    for url in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "ftp://example.org/x"):
        data = {"title": "A link", "url": url}
        response = member_client.post(reverse("groups:resources", args=[own_group.slug]), data)
        assert response.status_code == 400, url
        with pytest.raises(ValidationError):
            group_actions.pin_resource(actor=member, group=own_group, title="A link", url=url)
    assert not PinnedResource.objects.filter(group=own_group).exists()


@pytest.mark.django_db
def test_an_over_long_group_directory_search_is_reported_not_run(member_client):
    response = member_client.get(reverse("groups:directory"), {"q": "q" * 101, "sector": "academic"})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert response.context["form"]["sector"].value() == "academic"


# --- Discussions: over-long input is a clear ValidationError (actions) or form error (pages) -----


@pytest.fixture
def forum_group(member):
    """A public group of the member's, with one topic."""
    group = group_actions.create_group(creator=member, name="Forum", privacy="public")
    discussion_actions.start_topic(author=member, group=group, title="A first topic", body="Hello")
    return group


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "t" * 151}, "A title can be at most 150 characters; this one has 151."),
        ({"title": "t" * 100_000}, "A title can be at most 150 characters; this one has 100000."),
        ({"body": "b" * 20_001}, "A reply can be at most 20,000 characters; this one has 20,001."),
        ({"body": HUGE * 3}, "A reply can be at most 20,000 characters; this one has 300,000."),
        ({"tags": "t" * 41}, "is not a tag: use up to 40 letters"),
        ({"tags": ",".join(f"tag{i}" for i in range(50))}, "A topic can have at most 5 tags."),
        ({"tags": HUGE}, "is not a tag"),
        ({"attachments": [(_png(), "d" * 1501)]}, "A description can be at most 1,500 characters."),
        ({"attachments": [(_png(), "")]}, "Describe the image “x.png” for people who cannot see it."),
        ({"attachments": [(_png(f"{n}.png"), "x") for n in range(6)]}, "Attach at most 5 files."),
        ({"attachments": [(_not_an_image(), "Fake")]}, "That kind of file is not accepted."),
    ],
)
def test_overlong_discussion_input_is_a_clear_error_and_nothing_is_stored(member, forum_group, fields, message):
    data = {"title": "A sound title", "body": "A sound body", **fields}
    with pytest.raises(ValidationError) as caught:
        discussion_actions.start_topic(author=member, group=forum_group, **data)
    assert message in " ".join(caught.value.messages)
    topic = Topic.objects.get(group=forum_group)
    reply_fields = {k: v for k, v in fields.items() if k in ("body", "attachments")}
    if reply_fields:
        with pytest.raises(ValidationError) as caught:
            discussion_actions.reply(author=member, topic=topic, **{"body": "A sound reply", **reply_fields})
        assert message in " ".join(caught.value.messages)
    assert Topic.objects.filter(group=forum_group).count() == 1
    assert Topic.objects.get(pk=topic.pk).last_number == 1 and not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_overlong_edit_is_a_clear_error_and_keeps_the_post(member, forum_group):
    topic = Topic.objects.get(group=forum_group)
    opening = topic.replies.get(number=1)
    for changes, message in (
        ({"body": "b" * 20_001}, "at most 20,000 characters"),
        ({"body": "Fine", "title": "t" * 151}, "at most 150 characters"),
        ({"body": "Fine", "tags": "a, b, c, d, e, f"}, "at most 5 tags"),
    ):
        with pytest.raises(ValidationError) as caught:
            discussion_actions.edit_reply(editor=member, reply=opening, **changes)
        assert message in caught.value.messages[0]
    opening.refresh_from_db()
    topic.refresh_from_db()
    assert (opening.body, topic.title, opening.edits.count()) == ("Hello", "A first topic", 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "t" * 151, "Title can be at most 150 characters"),
        ("body", "b" * 20_001, "A reply can be at most 20,000 characters"),
        ("tags", "t" * 1000, "Tags can be at most"),
        ("description_1", "d" * 1501, "can be at most 1,500 characters"),
    ],
)
def test_an_overlong_field_in_the_start_topic_form_is_reported_and_other_input_kept(
    member_client, forum_group, field, value, message
):
    data = {"title": "Keepsake title", "body": "Keepsake body", "kind": "question", "tags": "keepsake", field: value}
    response = member_client.post(reverse("discussions:start", args=[forum_group.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert all(data[name] in page for name in ("title", "body", "tags") if name != field)
    assert Topic.objects.filter(group=forum_group).count() == 1


# --- Direct messages: over-long bodies, names and descriptions are clear errors, nothing stored ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "b" * 5001}, "A message can be at most 5,000 characters; this one has 5,001."),
        ({"body": HUGE}, "A message can be at most 5,000 characters; this one has 100,000."),
        ({"title": "t" * 81}, "A conversation's name can be at most 80 characters."),
        ({"title": HUGE}, "A conversation's name can be at most 80 characters."),
        ({"attachments": [(_png(), "d" * 1501)]}, "A description can be at most 1,500 characters."),
        ({"attachments": [(_png(), HUGE)]}, "A description can be at most 1,500 characters."),
        ({"attachments": [(_png(), "")]}, "Describe the image “x.png” for people who cannot see it."),
        ({"attachments": [(_png(f"{n}.png"), "x") for n in range(5)]}, "Attach at most 4 files."),
        ({"attachments": [(_not_an_image(), "Fake")]}, "That kind of file is not accepted."),
    ],
)
def test_overlong_message_input_is_a_clear_error_and_nothing_is_stored(member, fields, message):
    one, two = UserFactory(), UserFactory()
    data = {"body": "A sound message", "title": "", **fields}
    with pytest.raises(ValidationError) as caught:
        message_actions.start_conversation(sender=member, recipients=[one, two], **data)
    assert message in " ".join(caught.value.messages)
    assert not Conversation.objects.exists()
    if "title" not in fields:  # the same refusal for a message in a conversation that exists
        pair = message_actions.start_conversation(sender=member, recipients=[one], body="Hello")
        sent = {"body": data["body"], "attachments": data.get("attachments", ())}
        with pytest.raises(ValidationError) as caught:
            message_actions.send_message(sender=member, conversation=pair, **sent)
        assert message in " ".join(caught.value.messages)
        assert Message.objects.filter(conversation=pair).count() == 1
    assert not MessageAttachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "b" * 5001, "A message can be at most 5,000 characters"),
        ("description_1", "d" * 1501, "can be at most 1,500 characters"),
    ],
)
def test_an_overlong_field_of_the_message_form_is_reported_and_nothing_sent(
    member_client, member, field, value, message
):
    conversation = message_actions.start_conversation(sender=member, recipients=[UserFactory()], body="Hello")
    data = {"body": "Keepsake message", field: value}
    response = member_client.post(reverse("messaging:send", args=[conversation.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if field != "body":
        assert "Keepsake message" in page
    assert Message.objects.filter(conversation=conversation).count() == 1
