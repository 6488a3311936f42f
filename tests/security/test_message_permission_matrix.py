"""The permission matrix for direct messages: who may see a conversation, list its messages, fetch
its files, write in it, delete messages, leave, add people, mark it read, mute it and listen to its
live updates, for one-to-one and small-group conversations.

POLICY below is the single statement of the rules; the tests are generated from it (one case per
conversation kind × action × principal), once through the actions, queries, permission functions
and the live consumer's check directly, and once through the real pages (the URL names of
readingroom/messaging/urls.py; the live check has no page). Only a conversation's active
participants see anything of it: to everyone else, site staff included (staff do not read others'
messages), it does not exist: a denied action raises Http404 and a denied page answers 404 (an
anonymous visitor is sent to sign in). A participant refused something they can see (writing to
someone in a block with them, deleting someone else's message, adding people to a one-to-one
conversation) is refused (PermissionDenied or ValidationError; the page says so) and nothing changes.
A block hides the blocker's messages and files from the member they blocked.

The people (one world per module, built once through the real actions and removed afterwards; each
case's changes are made inside its own transaction): anonymous; stranger (signed in, in none of
these conversations); participant; sender (who started each conversation); left_participant (wrote,
then left); blocked_by_participant (wrote, then the participant blocked them); admin (is_staff and
superuser, in none of them). The conversations, every message carrying a PDF: a one-to-one of
sender and participant (the one the outsiders, sender and participant are tested on), a one-to-one
of sender and left_participant (for left_participant), a one-to-one of participant and
blocked_by_participant (for blocked_by_participant), and a group of all four. "Someone's message" is
the participant's for sender and blocked_by_participant, and the sender's for everyone else.

Generated cases: 294 (7 principals × (22 kind/action rows through the actions + 20 through the
pages)), plus the case-count check and the check that every messaging URL is exercised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from readingroom.messaging import actions, consumers, queries
from readingroom.messaging import permissions as perms
from readingroom.messaging.models import Conversation, Message, MessageAttachment, Participant
from readingroom.network import actions as network_actions
from readingroom.testing.factories import UserFactory

PRINCIPALS = ("anonymous", "stranger", "participant", "sender", "left_participant", "blocked_by_participant", "admin")
KINDS = ("one_to_one", "group")
MEMBERS = ("sender", "participant", "left_participant", "blocked_by_participant")


def row(*flags: int) -> dict[str, bool]:
    """One policy row, in PRINCIPALS order: 1 = allowed, 0 = denied."""
    assert len(flags) == len(PRINCIPALS)
    return dict(zip(PRINCIPALS, map(bool, flags), strict=True))


#                     anon stranger participant sender left blocked admin
READERS = row(0, 0, 1, 1, 0, 1, 0)  # the active participants
UNBLOCKED = row(0, 0, 1, 1, 0, 0, 0)  # active participants not in a block with the other
NOBODY = row(0, 0, 0, 0, 0, 0, 0)

# view = the conversation (its page and its row in the inbox); list = its messages (a page, and
# those after an id: the live fragment); download = the file on someone's message; send = a new
# message; delete_other = someone's message; delete_own = the principal's own message (outsiders
# have none: they try someone's); leave; add_people = a newcomer who accepts messages from anyone;
# read = the read position; mute; listen = the live consumer's check on connect and on each event.
POLICY: dict[str, dict[str, dict[str, bool]]] = {
    "one_to_one": {
        "view": READERS,
        "list": READERS,
        "download": UNBLOCKED,
        "send": UNBLOCKED,  # a block ends a one-to-one conversation
        "delete_other": NOBODY,
        "delete_own": READERS,
        "leave": READERS,
        "add_people": NOBODY,  # start a new conversation instead
        "read": READERS,
        "mute": READERS,
        "listen": READERS,
    },
    "group": {
        "view": READERS,
        "list": READERS,
        "download": UNBLOCKED,  # the blocker's file is hidden from the member they blocked
        "send": READERS,  # in a group a block hides messages, it does not silence anyone
        "delete_other": NOBODY,
        "delete_own": READERS,
        "leave": READERS,
        "add_people": READERS,
        "read": READERS,
        "mute": READERS,
        "listen": READERS,
    },
}
PAGE_ACTIONS = ("view", "list", "download", "send", "delete_other", "delete_own", "leave", "add_people", "read", "mute")

TOKEN = "zqxdmmatrix"  # unique text: present only where the message is shown
PDF = b"%PDF-1.4\n" + TOKEN.encode() + b"file\n%%EOF\n"
QUIET = {
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "RR_RATE_LIMITS_ENABLED": False,
}
# Which conversation each principal is tested on, per kind (a one-to-one has room for two).
ONE_TO_ONE_OF = {"left_participant": "sender_left", "blocked_by_participant": "participant_blocked"}


@dataclass
class World:
    private_root: str = ""
    users: dict[str, object] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    messages: dict[tuple[str, str], Message] = field(default_factory=dict)  # (conversation key, member)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")


def _write(w: World, key: str, member: str, *, start_with: list[str] | None = None, title: str = "") -> None:
    sender = w.users[member]
    body = f"Words of {member} {TOKEN}{key}{member}"
    if start_with is not None:
        recipients = [w.users[name] for name in start_with]
        w.conversations[key] = actions.start_conversation(
            sender=sender, recipients=recipients, body=body, title=title, attachments=[(_pdf(), "")]
        )
    else:
        actions.send_message(sender=sender, conversation=w.conversations[key], body=body, attachments=[(_pdf(), "")])
    w.messages[(key, member)] = Message.objects.get(conversation=w.conversations[key], sender=sender)


def build_world(private_root: str) -> World:
    w = World(private_root=private_root)
    for name in ("stranger", *MEMBERS):
        w.users[name] = UserFactory(password=None, profile__display_name=f"{name.title()} Person")
    w.users["admin"] = UserFactory(is_staff=True, is_superuser=True, password=None, profile__display_name="Admin")
    _write(w, "sender_participant", "sender", start_with=["participant"])
    _write(w, "sender_participant", "participant")
    _write(w, "sender_left", "sender", start_with=["left_participant"])
    _write(w, "sender_left", "left_participant")
    _write(w, "participant_blocked", "participant", start_with=["blocked_by_participant"])
    _write(w, "participant_blocked", "blocked_by_participant")
    _write(w, "group", "sender", start_with=[m for m in MEMBERS if m != "sender"], title="Cohort")
    for member in ("participant", "left_participant", "blocked_by_participant"):
        _write(w, "group", member)
    for key in ("sender_left", "group"):
        actions.leave(user=w.users["left_participant"], conversation=w.conversations[key])
    network_actions.block(blocker=w.users["participant"], blocked=w.users["blocked_by_participant"])
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    root = str(tmp_path_factory.mktemp("message-matrix-files"))
    with django_db_blocker.unblock(), override_settings(RR_PRIVATE_ROOT=root, **QUIET):
        w = build_world(root)
    yield w
    with django_db_blocker.unblock():
        Conversation.objects.filter(pk__in=[c.pk for c in w.conversations.values()]).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in w.users.values()]).delete()


@pytest.fixture
def files_of_the_world(world, settings):
    settings.RR_PRIVATE_ROOT = world.private_root


# --- Helpers --------------------------------------------------------------------------------------


def fresh(w: World, name: str):
    """The principal anew from the database (user objects cache their participations)."""
    if name == "anonymous":
        return AnonymousUser()
    return get_user_model().objects.select_related("profile").get(pk=w.users[name].pk)


def conversation_key(kind: str, principal: str) -> str:
    return "group" if kind == "group" else ONE_TO_ONE_OF.get(principal, "sender_participant")


def someone(principal: str) -> str:
    return "participant" if principal in ("sender", "blocked_by_participant") else "sender"


def reads(kind: str, principal: str) -> bool:
    return POLICY[kind]["view"][principal]


def hidden_from(principal: str) -> bool:
    """Someone's message is the blocker's for blocked_by_participant: hidden from them."""
    return principal == "blocked_by_participant"


@dataclass
class Case:
    key: str
    conversation: Conversation
    theirs: Message  # someone's message
    mine: Message | None  # the principal's own (None for outsiders)
    attachment: MessageAttachment


def case_for(w: World, kind: str, principal: str) -> Case:
    key = conversation_key(kind, principal)
    conversation = Conversation.objects.get(pk=w.conversations[key].pk)
    theirs = Message.objects.get(pk=w.messages[(key, someone(principal))].pk)
    mine = w.messages.get((key, principal))
    mine = Message.objects.get(pk=mine.pk) if mine is not None else None
    return Case(key, conversation, theirs, mine, MessageAttachment.objects.get(message=theirs))


def snapshot(conversation: Conversation):
    return (
        sorted(Message.objects.filter(conversation=conversation).values_list("pk", "body", "deleted_at")),
        sorted(
            Participant.objects.filter(conversation=conversation).values_list(
                "user_id", "left_at", "muted", "last_read_message_id", "unread_count"
            )
        ),
        MessageAttachment.objects.filter(message__conversation=conversation).count(),
    )


def _denied_action(attempt, kind: str, principal: str, *, refusals=(PermissionDenied,)) -> None:
    """Not a reader: 404, as if it did not exist. A reader who may not do it: refused."""
    expected = refusals if reads(kind, principal) else (Http404,)
    with pytest.raises(expected):
        attempt()


def _assert_denied(response, principal: str) -> None:
    assert response.status_code < 500, response.status_code
    if principal == "anonymous" and response.status_code == 302:
        assert reverse("account_login") in response["Location"]
        return
    assert response.status_code == 404, f"expected 404, got {response.status_code}"


def _text(response) -> str:
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return response.content.decode()


def _token(key: str, member: str) -> str:
    return f"{TOKEN}{key}{member}"


# --- Checks through the actions, queries and permission functions ---------------------------------


def act(w: World, kind: str, action: str, principal: str, allowed: bool) -> None:
    viewer = fresh(w, principal)
    case = case_for(w, kind, principal)
    conversation = case.conversation
    before = snapshot(conversation)
    if action in ("view", "list", "download", "listen"):
        check_reading(w, case, kind, action, principal, allowed, viewer)
        assert snapshot(conversation) == before
        return
    newcomer = UserFactory()
    attempts = {
        "send": lambda: actions.send_message(sender=viewer, conversation=conversation, body=f"New {TOKEN}new"),
        "delete_other": lambda: actions.delete_message(actor=viewer, message=case.theirs),
        "delete_own": lambda: actions.delete_message(actor=viewer, message=case.mine or case.theirs),
        "leave": lambda: actions.leave(user=viewer, conversation=conversation),
        "add_people": lambda: actions.add_people(actor=viewer, conversation=conversation, users=[newcomer]),
        "mute": lambda: actions.set_muted(user=viewer, conversation=conversation, muted=True),
    }
    if action == "send":
        assert perms.can_send(viewer, conversation) is allowed
    if action == "read":
        Participant.objects.filter(conversation=conversation).update(last_read_message_id=0, unread_count=5)
        before = snapshot(conversation)
        assert actions.mark_read(user=viewer, conversation=conversation) == 0
        moved = snapshot(conversation) != before
        assert moved is allowed
        if allowed:
            seat = Participant.objects.get(conversation=conversation, user=viewer)
            assert seat.last_read_message_id == conversation.last_message_id and seat.unread_count == 0
        return
    if allowed:
        attempts[action]()
        after = snapshot(conversation)
        assert after != before
        if action == "send":
            assert Message.objects.filter(conversation=conversation, body=f"New {TOKEN}new").exists()
        elif action == "delete_own":
            assert Message.objects.get(pk=case.mine.pk).deleted_at is not None
        elif action == "leave":
            assert not perms.can_read(fresh(w, principal), conversation)
        elif action == "add_people":
            assert perms.can_read(newcomer, conversation)
        elif action == "mute":
            assert Participant.objects.get(conversation=conversation, user=viewer).muted
        return
    refusals = (ValidationError,) if action == "add_people" else (PermissionDenied,)
    _denied_action(attempts[action], kind, principal, refusals=refusals)
    assert snapshot(conversation) == before


def check_reading(w, case: Case, kind, action, principal, allowed, viewer) -> None:
    conversation = case.conversation
    if action == "listen":
        # The consumer's own check (channels' database_sync_to_async keeps the function as .func).
        assert consumers._may_listen.func(viewer, conversation.pk) is allowed
        return
    if not reads(kind, principal):
        assert not allowed and not perms.can_read(viewer, conversation)
        with pytest.raises(Http404):
            queries.conversation_for(viewer, conversation.pk)
        if principal != "anonymous":
            assert conversation.pk not in [p.conversation_id for p in queries.inbox(viewer).items]
            assert queries.unread_total(viewer) == 0 or principal == "left_participant"
        return
    found = queries.conversation_for(viewer, conversation.pk)
    if action == "view":
        assert allowed and found.pk == conversation.pk
        assert conversation.pk in [p.conversation_id for p in queries.inbox(viewer).items]
        return
    if action == "list":
        assert allowed
        shown = {m.pk: m.hidden_for_viewer for m in queries.messages_page(viewer, found).messages}
        assert set(shown) == set(Message.objects.filter(conversation=conversation).values_list("pk", flat=True))
        assert shown[case.theirs.pk] is hidden_from(principal)
        after = {m.pk: m.hidden_for_viewer for m in queries.messages_after(viewer, found, 0)}
        assert after == shown
        return
    # download: the file of someone's message, unless a block hides that message from the viewer
    if allowed:
        assert queries.attachment_in(viewer, found, case.attachment.pk).pk == case.attachment.pk
    else:
        with pytest.raises(Http404):
            queries.attachment_in(viewer, found, case.attachment.pk)


# --- Checks through the pages ---------------------------------------------------------------------


def page(client, w: World, kind: str, action: str, principal: str, allowed: bool) -> None:
    case = case_for(w, kind, principal)
    conversation = case.conversation
    pk = conversation.pk
    before = snapshot(conversation)
    reader = reads(kind, principal)
    theirs_token = _token(case.key, someone(principal))
    if action == "view":
        response = client.get(reverse("messaging:conversation", args=[pk]))
        if allowed:
            assert response.status_code == 200
            text = _text(response)
            assert (theirs_token in text) is not hidden_from(principal)
            assert _token(case.key, principal) in text
        else:
            _assert_denied(response, principal)
            assert theirs_token not in _text(response)
        if principal != "anonymous":
            inbox = client.get(reverse("messaging:inbox"))
            assert inbox.status_code == 200
            assert (f'{reverse("messaging:conversation", args=[pk])}"' in _text(inbox)) is allowed
        return
    if action == "list":
        response = client.get(reverse("messaging:since", args=[pk]), {"after": "0"})
        if allowed:
            assert response.status_code == 200
            assert (theirs_token in _text(response)) is not hidden_from(principal)
        else:
            _assert_denied(response, principal)
        return
    if action == "download":
        attachment = case.attachment
        response = client.get(reverse("messaging:attachment", args=[pk, attachment.pk, attachment.original_name]))
        if allowed:
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == PDF
            assert response["X-Content-Type-Options"] == "nosniff"
        else:
            _assert_denied(response, principal)
        return
    newcomer = UserFactory()
    own = case.mine or case.theirs
    posts = {
        "send": (reverse("messaging:send", args=[pk]), {"body": f"New {TOKEN}new"}),
        "delete_other": (reverse("messaging:delete_message", args=[pk, case.theirs.pk]), {}),
        "delete_own": (reverse("messaging:delete_message", args=[pk, own.pk]), {}),
        "leave": (reverse("messaging:leave", args=[pk]), {}),
        "add_people": (reverse("messaging:add_people", args=[pk]), {"handles": f"@{newcomer.profile.handle}"}),
        "read": (reverse("messaging:read", args=[pk]), {"up_to": str(conversation.last_message_id)}),
        "mute": (reverse("messaging:mute", args=[pk]), {"muted": "1"}),
    }
    if action == "read":
        Participant.objects.filter(conversation=conversation).update(last_read_message_id=0, unread_count=5)
        before = snapshot(conversation)
    url, data = posts[action]
    response = client.post(url, data)
    if allowed:
        assert response.status_code == 302, response.status_code
        assert snapshot(conversation) != before
        if action == "add_people":
            assert perms.can_read(newcomer, conversation)
        return
    if reader:  # refused with a message (or the form's error), not told it does not exist
        assert response.status_code in (302, 400), response.status_code
    else:
        _assert_denied(response, principal)
    assert snapshot(conversation) == before
    assert not Participant.objects.filter(user=newcomer).exists()


def _cases(layer: str):
    for kind, rules in POLICY.items():
        for action, allowed_by in rules.items():
            if layer == "pages" and action not in PAGE_ACTIONS:
                continue
            for principal in PRINCIPALS:
                verdict = "allowed" if allowed_by[principal] else "denied"
                yield pytest.param(
                    kind, action, principal, allowed_by[principal], id=f"{kind}-{principal}-{action}-{verdict}"
                )


ACTION_CASES = list(_cases("actions"))
PAGE_CASES = list(_cases("pages"))


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "action", "principal", "allowed"), ACTION_CASES)
def test_the_message_policy_holds_through_the_actions(world, files_of_the_world, kind, action, principal, allowed):
    act(world, kind, action, principal, allowed)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "action", "principal", "allowed"), PAGE_CASES)
def test_the_message_policy_holds_through_the_pages(
    client, world, files_of_the_world, kind, action, principal, allowed
):
    if principal != "anonymous":
        client.force_login(world.users[principal])
    page(client, world, kind, action, principal, allowed)


def test_the_module_docstring_reports_the_number_of_generated_cases():
    assert f"Generated cases: {len(ACTION_CASES) + len(PAGE_CASES)} " in __doc__


def test_every_messaging_url_is_exercised_by_the_matrix():
    """A URL added to messaging/urls.py must join the table (or this list of the ones that are not
    about one conversation: starting one and the preference are covered by the app's own tests)."""
    from readingroom.messaging.urls import urlpatterns

    exercised = {"inbox", "conversation", "since", "attachment", "send", "delete_message", "leave", "add_people"}
    exercised |= {"read", "mute"}
    elsewhere = {"start", "preference"}
    assert {p.name for p in urlpatterns} == exercised | elsewhere
