"""Schemathesis against the WSGI app (no network): every operation, as a visitor, a member with
a write token and staff with a write token, after seeding a small world. No answer may be a
server error, and every answer must match the OpenAPI document (status declared, JSON body
matching its schema, declared headers present).

Each (operation, context) pair is its own test, so pytest-xdist spreads them over workers.
"""

from __future__ import annotations

import copy
import os

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from readingroom.accounts.models import FollowRequest
from readingroom.api import actions as api_actions
from readingroom.api.main import api
from readingroom.core.models import Visibility
from readingroom.discussions import actions as discussion_actions
from readingroom.groups import actions as group_actions
from readingroom.groups.models import JoinRequest
from readingroom.messaging import actions as message_actions
from readingroom.messaging.models import Message
from readingroom.network import actions as network_actions
from readingroom.notifications.models import Notification
from readingroom.posts import actions as post_actions
from readingroom.testing.factories import UserFactory

# 200 examples per operation and context (the floor). CI's PostgreSQL leg runs fewer
# (RR_FUZZ_EXAMPLES) so both legs fit CI's time limit; the SQLite leg always runs the full 200.
EXAMPLES = int(os.environ.get("RR_FUZZ_EXAMPLES", "200"))
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": EXAMPLES,
            "allow-x00": False,  # RejectNulMiddleware answers a NUL in the URL before the API sees it
            "codec": "utf-8",
            "deterministic": True,
            "database": "none",
        },
        "phases": {"stateful": {"enabled": False}},
    }
)
# Built from the API object itself: no database or HTTP at collection time. Every operation,
# the learning ones included (their bodies are strict about JSON types: test_learning_json_types).
schema = schemathesis.openapi.from_dict(copy.deepcopy(api.get_openapi_schema(path_prefix="/api/v1/")), config=CONFIG)
schema.app = get_wsgi_application()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _seed(capture):
    """A few members and posts of every kind, so generated ids and handles often hit real things."""
    member = UserFactory(profile__handle="fuzz_member")
    staff = UserFactory(is_staff=True, profile__handle="fuzz_staff")
    others = [UserFactory(profile__handle=f"fuzz_{n}", profile__visibility=v) for n, v in enumerate(Visibility.values)]
    locked = UserFactory(profile__handle="fuzz_locked", profile__locked=True)
    posts = []
    with capture(execute=True):
        for author in [member, staff, *others]:
            for visibility in Visibility.values:
                posts.append(
                    post_actions.create_post(author=author, body=f"A #fuzz post, {visibility}", visibility=visibility)
                )
        posts.append(post_actions.create_post(author=others[0], body="A reply", visibility="public", reply_to=posts[0]))
        posts.append(post_actions.boost(user=others[1], post=posts[0]))
        post_actions.edit_post(post=posts[0], editor=member, body="An edited #fuzz post")
        post_actions.bookmark(user=member, post=posts[3])
        post_actions.like(user=others[0], post=posts[0])  # a notification for the member
        network_actions.follow(follower=others[0], followee=member)
        network_actions.follow(follower=member, followee=others[2])
        network_actions.follow(follower=member, followee=locked)
        network_actions.follow(follower=others[1], followee=locked)
        network_actions.mute(muter=member, muted=others[1])
        network_actions.block(blocker=staff, blocked=others[2])
    groups = _seed_groups(capture, member, staff, others, locked)
    posts += groups.pop("posts")
    conversations = _seed_messages(capture, member, others)
    requests = list(FollowRequest.objects.values_list("pk", flat=True))
    requests += list(JoinRequest.objects.values_list("pk", flat=True))  # /groups/{slug}/requests/{request_id}
    notifications = list(Notification.objects.values_list("pk", flat=True))
    handles = [u.profile.handle for u in [member, staff, *others, locked, groups.pop("banned")]]
    tokens = {
        "anonymous": None,
        "member": api_actions.create_token(user=member, name="fuzz", scope="write").secret,
        "admin": api_actions.create_token(user=staff, name="fuzz", scope="write").secret,
    }
    return {
        "post_id": [p.pk for p in posts],
        "request_id": requests,
        "notification_id": notifications,
        "handle": handles,
        "name": ["fuzz"],
        **groups,
        **conversations,
    }, tokens


def _seed_groups(capture, member, staff, others, locked) -> dict:
    """A public group the member owns (with a code of conduct, a moderator, a ban, a pinned link and
    an invitation), a private one they moderate (with a request to join), and a hidden one they are
    not in; posts in each. Generated slugs, ids and tokens then often name these."""
    with capture(execute=True):
        public = group_actions.create_group(
            creator=member, name="Fuzz public", privacy="public", conduct="Be kind.", tags=["fuzz"]
        )
        private = group_actions.create_group(creator=others[0], name="Fuzz private", privacy="private")
        hidden = group_actions.create_group(creator=others[1], name="Fuzz hidden", privacy="hidden")
        banned = UserFactory(profile__handle="fuzz_banned")
        for user in (others[0], others[2], banned):
            group_actions.join(user=user, group=public, accept_conduct=True)
        group_actions.set_role(actor=member, membership=public.memberships.get(user=others[0]), role="moderator")
        group_actions.remove_member(
            actor=member, membership=public.memberships.get(user=banned), ban=True, reason="Fuzzing"
        )
        group_actions.join(user=others[1], group=public, accept_conduct=True)
        resource = group_actions.pin_resource(actor=member, group=public, title="Fuzz list", url="https://example.org")
        invitations = [
            group_actions.create_invitation(actor=member, group=public, max_uses=1),
            group_actions.create_invitation(actor=others[0], group=private),
            group_actions.create_invitation(actor=others[1], group=hidden, days=1),
        ]
        asked = group_actions.request_to_join(user=member, group=private, message="Let me in")
        group_actions.answer_request(actor=others[0], join_request=asked, approve=True)
        group_actions.set_role(actor=others[0], membership=private.memberships.get(user=member), role="moderator")
        group_actions.request_to_join(user=locked, group=private, message="Me too")
        group_actions.request_to_join(user=staff, group=private)
        posts = [
            post_actions.create_post(author=author, body="A #fuzz group post", visibility="public", group=group)
            for author, group in ((member, public), (others[0], public), (others[0], private), (others[1], hidden))
        ]
        posts.append(
            post_actions.create_post(author=others[2], body="A group reply", visibility="public", reply_to=posts[0])
        )
    with capture(execute=True):  # their notifications too: the notifications operations describe them
        topics = _seed_topics(member, others, public=public, private=private, hidden=hidden)
    return {
        **topics,
        "posts": posts,
        "banned": banned,
        "slug": [public.slug, private.slug, hidden.slug],
        "invitation_id": [invitation.pk for invitation, _ in invitations],
        "token": [token for _, token in invitations],
        "user_id": [banned.pk, others[2].pk],
        "resource_id": [resource.pk],
    }


def _seed_topics(member, others, *, public, private, hidden) -> dict:
    """Discussion topics with replies: a question with an accepted answer, an edit and a deleted
    reply in the public group; a pinned topic in the private one the member moderates; one in the
    hidden group they are not in. Generated topic ids and reply numbers then often name these."""
    start, reply = discussion_actions.start_topic, discussion_actions.reply
    question = start(author=others[0], group=public, title="Fuzz question", body="Which #fuzz?", kind="question")
    answer = reply(author=member, topic=question, body="This one, @fuzz_0", parent=None)
    reply(author=others[2], topic=question, body="Another", parent=answer)
    gone = reply(author=others[2], topic=question, body="Gone soon")
    discussion_actions.delete_reply(actor=others[2], reply=gone)
    discussion_actions.edit_reply(editor=member, reply=answer, body="This one, edited")
    discussion_actions.accept_answer(actor=others[0], topic=question, reply=answer)
    own = start(author=member, group=public, title="Fuzz discussion", body="Talk", tags=["fuzz", "seed"])
    reply(author=others[0], topic=own, body="Talking")
    closed = start(author=others[0], group=private, title="Fuzz private", body="Members only")
    reply(author=member, topic=closed, body="Me too")
    discussion_actions.set_flags(actor=others[0], topic=closed, pinned=True, locked=True)
    secret = start(author=others[1], group=hidden, title="Fuzz hidden", body="Hidden words")
    reply(author=others[1], topic=secret, body="More hidden words")
    return {"topic_id": [question.pk, own.pk, closed.pk, secret.pk], "number": [1, 2, 3, 4]}


def _seed_messages(capture, member, others) -> dict:
    """A one-to-one conversation and a small group the member is in (one message with a file), and
    a conversation between two others; generated ids then often name these."""
    with capture(execute=True):
        pair = message_actions.start_conversation(sender=others[0], recipients=[member], body="Hello *fuzz*")
        note = SimpleUploadedFile("fuzz notes.txt", b"Some notes", content_type="text/plain")
        message_actions.send_message(sender=member, conversation=pair, body="", attachments=[(note, "")])
        group = message_actions.start_conversation(
            sender=member, recipients=[others[0], others[1]], body="All of us", title="Fuzz group"
        )
        theirs = message_actions.start_conversation(sender=others[0], recipients=[others[1]], body="Not for fuzz")
    return {
        "conversation_id": [pair.pk, group.pk, theirs.pk],
        "message_id": list(Message.objects.values_list("pk", flat=True)),
    }


def _aim_at_real_objects(case, real: dict) -> None:
    """Two of three valid path values are swapped for seeded ones (chosen from the generated value,
    so runs stay deterministic); the rest keep what was generated, mostly missing objects."""
    if case.meta is None or not case.meta.generation.mode.is_positive or not case.path_parameters:
        return
    for name, value in list(case.path_parameters.items()):
        choices = real.get(name)
        if not choices:
            continue
        pick = value if isinstance(value, int) else sum(map(ord, str(value)))
        if pick % 3:
            # pick // 3: with `pick % len`, a list of 3 (or 6, …) would never give its first item.
            case.path_parameters[name] = choices[pick // 3 % len(choices)]


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("context", ["anonymous", "member", "admin"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_every_generated_request_within_its_schema(
    case, context, django_capture_on_commit_callbacks, _world
):
    real, tokens = _world
    _aim_at_real_objects(case, real)
    headers = {"Authorization": f"Bearer {tokens[context]}"} if tokens[context] else {}
    with django_capture_on_commit_callbacks(execute=True):
        case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.fixture
def _world(db, django_capture_on_commit_callbacks):
    # Called as a plain WSGI app, Django would close the connection at the end of each request
    # (it is inside the test's transaction); Django's own test client disconnects this too.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield _seed(django_capture_on_commit_callbacks)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
