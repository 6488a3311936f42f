"""The permission matrix for a group's discussions: who may list, read, write and moderate topics
and replies, for public, private and hidden groups.

POLICY below is the single statement of the rules; the tests are generated from it (one case per
group privacy × action × principal), once through the actions, queries and permission functions
directly and once through the real pages (the URL names of readingroom/discussions/urls.py). A
denied action raises Http404 to whoever may not read the group's content and PermissionDenied to a
reader who may not write; a denied page answers 404 (a closed door a reader could open, joining,
answers 403; an anonymous visitor to a sign-in page is sent to sign in) and never 500. A denied
write leaves everything unchanged. Readers see, outsiders of private and hidden groups get 404,
non-members of public groups read but do not write.

The people (one world per module, built once through the real actions and removed afterwards; each
case's topic, replies, edits and file are made inside the case's own transaction): anonymous;
outsider (signed in, not in the group); group_member; topic_author (a member who started the
topic, edited its opening post, replied in it and attached a file to it); moderator; blocked (a
member whom the topic's author blocked: the author's topics leave their lists and the author's
posts, earlier versions and files are hidden from them, though the topic itself stays readable to
them, as the group's); admin (is_staff, not in the group).

Generated cases: 462 (2 × 7 principals × 33 privacy/action rows), plus the case-count check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from readingroom.discussions import actions, queries
from readingroom.discussions import notifications as discussion_kinds
from readingroom.discussions import permissions as perms
from readingroom.discussions.models import Attachment, Reply, Topic, TopicKind
from readingroom.groups import actions as group_actions
from readingroom.groups.models import Group, Membership, Privacy, Role
from readingroom.network import actions as network_actions
from readingroom.notifications import queries as notification_queries
from readingroom.notifications.models import Notification
from readingroom.testing.factories import UserFactory

PRINCIPALS = ("anonymous", "outsider", "group_member", "topic_author", "moderator", "blocked", "admin")
PRIVACIES = tuple(Privacy.values)


def row(*flags: int) -> dict[str, bool]:
    """One policy row, in PRINCIPALS order: 1 = allowed, 0 = denied."""
    assert len(flags) == len(PRINCIPALS)
    return dict(zip(PRINCIPALS, map(bool, flags), strict=True))


#                               anon outsider member author moderator blocked admin
ANYONE = row(1, 1, 1, 1, 1, 1, 1)
ANYONE_UNBLOCKED = row(1, 1, 1, 1, 1, 0, 1)
SIGNED_IN_UNBLOCKED = row(0, 1, 1, 0, 1, 0, 1)  # the author is never told of their own mention
MEMBERS = row(0, 0, 1, 1, 1, 1, 0)  # the group's members ("blocked" is one)
MEMBERS_UNBLOCKED = row(0, 0, 1, 1, 1, 0, 0)
OTHER_MEMBERS_UNBLOCKED = row(0, 0, 1, 0, 1, 0, 0)
AUTHOR_AND_MODERATORS = row(0, 0, 0, 1, 1, 0, 0)
MODERATORS = row(0, 0, 0, 0, 1, 0, 0)


def _rules(readers: dict, unblocked: dict, mentioned: dict) -> dict[str, dict[str, bool]]:
    # list = the topic in the group's topic list and its search; view = the topic's page (the
    # author's posts on it hidden from "blocked"); history = the earlier versions of the author's
    # opening post; download = the author's attached file; start = a new topic; reply = a reply to
    # the author's topic; edit = the author's opening post; delete = the author's reply; accept =
    # a member's reply as the answer to the author's question; moderate = pinning it; notified =
    # an @mention of everyone in a new topic by the author, and its loader.
    return {
        "list": unblocked,
        "view": readers,
        "history": unblocked,
        "download": unblocked,
        "start": MEMBERS,
        "reply": MEMBERS,
        "edit": AUTHOR_AND_MODERATORS,
        "delete": AUTHOR_AND_MODERATORS,
        "accept": AUTHOR_AND_MODERATORS,
        "moderate": MODERATORS,
        "notified": mentioned,
    }


POLICY: dict[str, dict[str, dict[str, bool]]] = {
    Privacy.PUBLIC: _rules(ANYONE, ANYONE_UNBLOCKED, SIGNED_IN_UNBLOCKED),
    Privacy.PRIVATE: _rules(MEMBERS, MEMBERS_UNBLOCKED, OTHER_MEMBERS_UNBLOCKED),
    Privacy.HIDDEN: _rules(MEMBERS, MEMBERS_UNBLOCKED, OTHER_MEMBERS_UNBLOCKED),
}

TOKEN = "zqxtopicmatrix"  # unique text: present only where the object is shown
QUIET = {
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "RR_RATE_LIMITS_ENABLED": False,
}
PDF = b"%PDF-1.4\n" + TOKEN.encode() + b"file\n%%EOF\n"


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)


@dataclass
class Thread:
    """A question by the topic's author: its opening post (edited once, with a file), the author's
    own reply (#2) and a group member's answer (#3)."""

    topic: Topic
    opening: Reply
    own_reply: Reply
    answer: Reply
    attachment: Attachment


def build_world() -> World:
    w = World()
    for name in ("owner", "moderator", "topic_author", "group_member", "blocked", "outsider"):
        w.users[name] = UserFactory(password=None, profile__display_name=f"{name.title()} Person")
    w.users["admin"] = UserFactory(is_staff=True, password=None, profile__display_name="Admin Person")
    owner = w.users["owner"]
    for privacy in PRIVACIES:
        group = group_actions.create_group(creator=owner, name=f"{privacy.title()} forum", privacy=privacy)
        _, token = group_actions.create_invitation(actor=owner, group=group, days=30)
        for name in ("moderator", "topic_author", "group_member", "blocked"):
            group_actions.accept_invitation(user=w.users[name], token=token)
        group_actions.set_role(
            actor=owner, membership=Membership.objects.get(group=group, user=w.users["moderator"]), role=Role.MODERATOR
        )
        w.groups[privacy] = group
    network_actions.block(blocker=w.users["topic_author"], blocked=w.users["blocked"])
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**QUIET):
        w = build_world()
    yield w
    with django_db_blocker.unblock():
        Group.objects.filter(pk__in=[g.pk for g in w.groups.values()]).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in w.users.values()]).delete()


# --- Helpers --------------------------------------------------------------------------------------


def fresh(w: World, name: str):
    """The principal anew from the database (user objects cache their memberships)."""
    if name == "anonymous":
        return AnonymousUser()
    return get_user_model().objects.select_related("profile").get(pk=w.users[name].pk)


def fresh_group(w: World, privacy: str) -> Group:
    return Group.objects.get(pk=w.groups[privacy].pk)


def reads(privacy: str, principal: str) -> bool:
    """May read the group's content (its topic pages), blocks aside."""
    return POLICY[privacy]["view"][principal]


def make_thread(w: World, privacy: str) -> Thread:
    group = fresh_group(w, privacy)
    author = fresh(w, "topic_author")
    pdf = SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")
    topic = actions.start_topic(
        author=author,
        group=group,
        title=f"Question {TOKEN}title",
        body=f"First version {TOKEN}earlier",
        kind=TopicKind.QUESTION,
        attachments=[(pdf, "Slides")],
    )
    opening = Reply.objects.select_related("topic__group").get(topic=topic, number=1)
    actions.edit_reply(editor=author, reply=opening, body=f"Opening post {TOKEN}opening")
    own = actions.reply(author=author, topic=topic, body=f"The author adds {TOKEN}ownreply")
    answer = actions.reply(author=fresh(w, "group_member"), topic=topic, body=f"An answer {TOKEN}answer")
    return Thread(
        topic=Topic.objects.select_related("group").get(pk=topic.pk),
        opening=Reply.objects.select_related("topic__group").get(pk=opening.pk),
        own_reply=Reply.objects.select_related("topic__group").get(pk=own.pk),
        answer=Reply.objects.select_related("topic__group").get(pk=answer.pk),
        attachment=Attachment.objects.get(reply=opening),
    )


def snapshot(thread: Thread):
    topic = Topic.objects.get(pk=thread.topic.pk)
    return (
        (topic.title, topic.is_pinned, topic.is_locked, topic.accepted_reply_id, topic.last_number, topic.deleted_at),
        sorted(Reply.objects.filter(topic=topic).values_list("number", "body", "deleted_at")),
        Topic.objects.filter(group_id=topic.group_id).count(),
    )


def _denied_action(attempt, privacy: str, principal: str) -> None:
    """Not a reader: 404, as if it did not exist. A reader who may not do it: refused."""
    with pytest.raises(Http404 if not reads(privacy, principal) else (PermissionDenied, Http404)) as caught:
        attempt()
    if reads(privacy, principal):
        assert caught.type is PermissionDenied, "a reader is refused, not told the topic is missing"


def _assert_denied(response, principal: str, *, closed_door: bool = False) -> None:
    """404 for members; an anonymous visitor to a sign-in page may be sent to sign in instead; a
    reader at a door joining opens may be told so (403), or sent back with a message (302)."""
    assert response.status_code < 500, response.status_code
    if principal == "anonymous" and response.status_code == 302:
        assert reverse("account_login") in response["Location"]
        return
    allowed = (403, 404, 302) if closed_door else (404,)
    assert response.status_code in allowed, f"expected {allowed}, got {response.status_code}"


def _text(response) -> str:
    if response.status_code != 200 or response.get("Content-Type", "").startswith("application/pdf"):
        return ""
    return response.content.decode()


# --- Checks through the actions, queries and permission functions ---------------------------------


def act(w, capture, privacy, action, principal, allowed):
    viewer = fresh(w, principal)
    group = fresh_group(w, privacy)
    if action == "notified":
        return act_notified(w, capture, privacy, principal, allowed)
    thread = make_thread(w, privacy)
    topic = thread.topic
    before = snapshot(thread)
    if action == "list":
        assert perms.visible_topics(viewer).filter(pk=topic.pk).exists() is reads(privacy, principal)
        if not reads(privacy, principal):
            for read in (
                lambda: queries.topic_list(viewer, group, queries.TopicFilters()),
                lambda: queries.search_in_group(viewer, group, f"{TOKEN}title"),
            ):
                with pytest.raises(Http404):
                    read()
            return
        listed = [t.pk for t in queries.topic_list(viewer, group, queries.TopicFilters()).items]
        found = [t.pk for t in queries.search_in_group(viewer, group, f"{TOKEN}ownreply")]
        assert (topic.pk in listed) is allowed and (topic.pk in found) is allowed
        return
    if action == "view":
        assert perms.can_read(viewer, topic) is allowed
        if allowed:
            assert queries.topic_by_id(viewer, group, topic.pk).pk == topic.pk
            numbers = [r.number for r in queries.topic_page(viewer, topic).replies]
            assert numbers == [1, 2, 3]
        else:
            with pytest.raises(Http404):
                queries.topic_by_id(viewer, group, topic.pk)
        return
    if action in ("history", "download"):
        # The author's posts (with their earlier versions and files) are shown to a reader unless
        # the two are in a block: the page's rows say so, and the views follow them.
        shown = perms.can_read(viewer, topic) and not any(
            r.hidden_for_viewer for r in queries.topic_page(viewer, topic).replies if r.number == 1
        )
        assert shown is allowed
        visible = perms.visible_replies(viewer).filter(pk=thread.opening.pk).exists()
        assert visible is reads(privacy, principal)
        return
    if action == "start":
        attempt = lambda: actions.start_topic(  # noqa: E731
            author=viewer, group=group, title=f"New {TOKEN}new", body="A new topic"
        )
        assert perms.can_start_topic(viewer, group) is allowed
    elif action == "reply":
        attempt = lambda: actions.reply(author=viewer, topic=topic, body=f"A reply {TOKEN}new")  # noqa: E731
        assert perms.can_reply(viewer, topic) is allowed
    elif action == "edit":
        attempt = lambda: actions.edit_reply(  # noqa: E731
            editor=viewer, reply=thread.opening, body=f"Rewritten {TOKEN}new", title=f"Retitled {TOKEN}new"
        )
        assert perms.can_edit(viewer, thread.opening) is allowed
    elif action == "delete":
        attempt = lambda: actions.delete_reply(actor=viewer, reply=thread.own_reply)  # noqa: E731
        assert perms.can_delete(viewer, thread.own_reply) is allowed
    elif action == "accept":
        attempt = lambda: actions.accept_answer(actor=viewer, topic=topic, reply=thread.answer)  # noqa: E731
        assert perms.can_accept(viewer, topic) is allowed
    else:  # moderate
        attempt = lambda: actions.set_flags(actor=viewer, topic=topic, pinned=True, locked=True)  # noqa: E731
        assert perms.can_moderate(viewer, topic) is allowed
    if allowed:
        with capture(execute=True):
            attempt()
        assert snapshot(thread) != before
    else:
        with capture(execute=True):
            _denied_action(attempt, privacy, principal)
        assert snapshot(thread) == before


def act_notified(w, capture, privacy, principal, allowed):
    group = fresh_group(w, privacy)
    handles = " ".join(f"@{w.users[p].profile.handle}" for p in PRINCIPALS if p != "anonymous")
    with capture(execute=True):
        topic = actions.start_topic(
            author=fresh(w, "topic_author"), group=group, title=f"Hello {TOKEN}title", body=f"Hi {handles}"
        )
    opening = Reply.objects.get(topic=topic, number=1)
    viewer = fresh(w, principal)
    if principal == "anonymous":
        assert not allowed
        return
    mine = Notification.objects.filter(recipient=viewer, kind="topic_mention", subject_id=opening.pk)
    assert mine.exists() is allowed
    shown = [n.subject_id for n in notification_queries.notification_page(viewer=viewer).items]
    assert (opening.pk in shown) is allowed
    # The loaders themselves (digests and the list use them): nothing for someone who may not read.
    probe = Notification(recipient=viewer, kind="topic_mention", subject_id=opening.pk)
    assert bool(discussion_kinds.load_replies(viewer, [probe])) is reads(privacy, principal)
    for kind in ("topic_reply", "topic_new", "answer_accepted"):
        probe = Notification(recipient=viewer, kind=kind, subject_id=topic.pk)
        assert bool(discussion_kinds.load_topics(viewer, [probe])) is reads(privacy, principal)


# --- Checks through the pages ---------------------------------------------------------------------


def page(client, w, capture, privacy, action, principal, allowed):
    if action == "notified":
        act_notified(w, capture, privacy, principal, allowed)
        response = client.get(reverse("notifications:list"))
        if principal == "anonymous":
            _assert_denied(response, principal)
        else:
            assert response.status_code == 200
            assert ("mentioned you in" in _text(response)) is allowed
        return
    thread = make_thread(w, privacy)
    topic, slug = thread.topic, w.groups[privacy].slug
    args = [slug, topic.pk]
    before = snapshot(thread)
    if action == "list":
        # The search is by the author's reply text: the page repeats the query, never the title.
        for params in ({}, {"q": f"{TOKEN}ownreply"}, {"sort": "top"}, {"unanswered": "on"}):
            response = client.get(reverse("discussions:list", args=[slug]), params)
            if reads(privacy, principal):
                assert response.status_code == 200, params
                assert (f"{TOKEN}title" in _text(response)) is allowed, params
            else:
                _assert_denied(response, principal)
        return
    if action == "view":
        response = client.get(reverse("discussions:topic", args=args))
        if allowed:
            assert response.status_code == 200
            text = _text(response)
            assert f"{TOKEN}title" in text and f"{TOKEN}answer" in text
            # The topic's author blocked "blocked": their posts are kept in place, but not shown.
            hidden_from = principal == "blocked"
            assert (f"{TOKEN}opening" in text) is not hidden_from
            assert (f"{TOKEN}ownreply" in text) is not hidden_from
        else:
            _assert_denied(response, principal)
        for name, extra in (("discussions:reply_link", [3]), ("discussions:unread", [])):
            response = client.get(reverse(name, args=[*args, *extra]))
            if allowed:
                assert response.status_code == 302 and response["Location"].startswith(
                    reverse("discussions:topic", args=args)
                )
            else:
                _assert_denied(response, principal)
        return
    if action == "history":
        response = client.get(reverse("discussions:history", args=[*args, 1]))
        if reads(privacy, principal):
            assert response.status_code in ((200,) if allowed else (200, 404))
            assert (f"{TOKEN}earlier" in _text(response)) is allowed
        else:
            _assert_denied(response, principal)
        return
    if action == "download":
        attachment = thread.attachment
        url = reverse("discussions:attachment", args=[*args, attachment.pk, attachment.original_name])
        response = client.get(url)
        if allowed:
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == PDF
            assert response["X-Content-Type-Options"] == "nosniff"
        else:
            _assert_denied(response, principal)
        return
    if action == "start":
        data = {"title": f"New {TOKEN}new", "body": "A new topic", "kind": TopicKind.DISCUSSION, "tags": ""}
        with capture(execute=True):
            response = client.post(reverse("discussions:start", args=[slug]), data)
        made = Topic.objects.filter(title=f"New {TOKEN}new", group=topic.group)
        if allowed:
            assert response.status_code == 302 and made.exists()
        else:
            _assert_denied(response, principal, closed_door=reads(privacy, principal))
            assert not made.exists()
        return
    if action == "reply":
        url, data = reverse("discussions:reply", args=args), {"body": f"A reply {TOKEN}new"}
        closed_door = reads(privacy, principal)
    elif action == "edit":
        url = reverse("discussions:edit_reply", args=[*args, 1])
        data = {"body": f"Rewritten {TOKEN}new", "title": f"Retitled {TOKEN}new", "tags": ""}
        closed_door = False
    elif action == "delete":
        url, data, closed_door = reverse("discussions:delete_reply", args=[*args, 2]), {}, False
    elif action == "accept":
        url, data = reverse("discussions:accept", args=args), {"number": "3"}
        closed_door = reads(privacy, principal)  # a reader is sent back to the topic, with a message
    else:  # moderate
        url, data, closed_door = reverse("discussions:moderate", args=args), {"action": "pin"}, False
    with capture(execute=True):
        response = client.post(url, data)
    if allowed:
        assert response.status_code == 302, response.status_code
        assert snapshot(thread) != before
    else:
        _assert_denied(response, principal, closed_door=closed_door)
        assert snapshot(thread) == before
    if action in ("edit", "delete") and not allowed:
        _assert_denied(client.get(url), principal)  # not even the form


# Page cases that fail today, each a leak for the pages to close (strict: a fix makes them fail
# as XPASS, so this entry goes with the fix). The action-level cases hold.
KNOWN_LEAKS: dict = {}  # (action, principal) → an xfail mark, while a page is known to leak


def _cases(*, pages: bool):
    for privacy, rules in POLICY.items():
        for action, allowed_by in rules.items():
            for principal in PRINCIPALS:
                verdict = "allowed" if allowed_by[principal] else "denied"
                yield pytest.param(
                    privacy,
                    action,
                    principal,
                    allowed_by[principal],
                    id=f"{privacy}-{principal}-{action}-{verdict}",
                    marks=KNOWN_LEAKS.get((action, principal), ()) if pages else (),
                )


CASES = list(_cases(pages=False))
PAGE_CASES = list(_cases(pages=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("privacy", "action", "principal", "allowed"), CASES)
def test_the_discussion_policy_holds_through_the_actions(
    world, django_capture_on_commit_callbacks, privacy, action, principal, allowed
):
    act(world, django_capture_on_commit_callbacks, privacy, action, principal, allowed)


@pytest.mark.django_db
@pytest.mark.parametrize(("privacy", "action", "principal", "allowed"), PAGE_CASES)
def test_the_discussion_policy_holds_through_the_pages(
    client, world, django_capture_on_commit_callbacks, privacy, action, principal, allowed
):
    if principal != "anonymous":
        client.force_login(world.users[principal])
    page(client, world, django_capture_on_commit_callbacks, privacy, action, principal, allowed)


def test_the_module_docstring_reports_the_number_of_generated_cases():
    assert f"Generated cases: {2 * len(CASES)} " in __doc__


def test_every_discussion_url_is_exercised_by_the_matrix():
    """A URL added to discussions/urls.py must join the table (or this list of the ones that are
    not a reader's or writer's door of their own: watch levels are covered by the app's tests)."""
    from readingroom.discussions.urls import urlpatterns

    exercised = {"list", "topic", "unread", "reply_link", "history", "attachment", "start", "reply", "edit_reply"}
    exercised |= {"delete_reply", "accept", "moderate"}
    elsewhere = {"watch", "group_watch"}
    assert {p.name for p in urlpatterns} == exercised | elsewhere
