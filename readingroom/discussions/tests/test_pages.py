"""The discussions pages: a group's topic list, starting a topic, a topic's pages of replies,
replying and quoting, editing with history, deleting, accepted answers, unread jumps, moderation,
watch levels and attachments. Private things answer 404; bad input is a clear error, never a 500;
list pages cost a constant number of queries."""

import re

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readingroom.discussions import actions, queries
from readingroom.discussions.models import Attachment, GroupWatch, Reply, Topic, TopicRead, TopicWatch
from readingroom.groups.models import Role
from readingroom.groups.tests.helpers import add_member, make_group, owner_of, png_upload
from readingroom.network import actions as network_actions
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, group, *args):
    return reverse(f"discussions:{name}", args=[group.slug, *args])


def turl(name, topic, *args):
    return reverse(f"discussions:{name}", args=[topic.group.slug, topic.pk, *args])


def start(author, group, title="How do I catalogue zines?", body="Any tips?", **kwargs):
    return actions.start_topic(author=author, group=group, title=title, body=body, **kwargs)


def fresh(topic):
    return Topic.objects.select_related("group").get(pk=topic.pk)


def text_of(response) -> str:
    """The page's visible text in <main>, whitespace folded."""
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    main = tree.find(".//main")
    return " ".join("".join(main.itertext()).split())


def titles(response) -> list[str]:
    """The topic titles a list page shows, in order."""
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return [
        " ".join("".join(h3.itertext()).split())
        for li in tree.iter("li")
        if "topic-row" in (li.get("class") or "")
        for h3 in li.iter("h3")
    ]


def article(response, number: int) -> str:
    """The text of reply `number`'s <article> on a topic page."""
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    for node in tree.iter("article"):
        if node.get("id") == f"r{number}":
            return " ".join("".join(node.itertext()).split())
    raise AssertionError(f"no #r{number} on the page")


def numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'<article id="r(\d+)"', response.content.decode())]


@pytest.fixture
def forum():
    """A private cohort: its owner, a moderator, an asker and a helper (members), an outsider."""
    group = make_group(name="Cohort 2027", privacy="private")
    return {
        "group": group,
        "owner": owner_of(group),
        "moderator": add_member(group, role=Role.MODERATOR),
        "asker": add_member(group),
        "helper": add_member(group),
        "outsider": UserFactory(),
    }


@pytest.fixture
def question(forum):
    topic = start(forum["asker"], forum["group"], kind="question", tags="cataloguing, zines")
    return fresh(topic)


# --- the topic list ------------------------------------------------------------------------------


def test_the_group_header_has_a_discussions_tab_for_readers(client, forum):
    client.force_login(forum["asker"])
    page = client.get(reverse("groups:about", args=[forum["group"].slug])).content.decode()
    assert f'href="{url("list", forum["group"])}"' in page
    client.force_login(forum["outsider"])
    page = client.get(reverse("groups:about", args=[forum["group"].slug])).content.decode()
    assert url("list", forum["group"]) not in page


def test_the_list_shows_pinned_topics_first_with_kind_tags_author_replies_and_activity(client, forum):
    group, asker, helper = forum["group"], forum["asker"], forum["helper"]
    rules = start(forum["owner"], group, title="Read this first: cohort rules")
    actions.set_flags(actor=forum["owner"], topic=rules, pinned=True)
    older = start(asker, group, title="Which reading list?", kind="question", tags="reading")
    answered = start(helper, group, title="Where is the timetable?", kind="question")
    answer = actions.reply(author=asker, topic=answered, body="On the portal.")
    actions.accept_answer(actor=helper, topic=fresh(answered), reply=answer)
    client.force_login(asker)
    response = client.get(url("list", group))
    assert response.status_code == 200
    assert titles(response) == ["Read this first: cohort rules", "Where is the timetable?", "Which reading list?"]
    page = text_of(response)
    assert "Pinned" in page and "Answered" in page and "Question" in page
    assert f"by {helper.profile.display_name}" in page and "1 reply" in page
    assert "<time datetime=" in response.content.decode()
    assert f'href="{url("list", group)}?tag=reading"' in response.content.decode()
    assert f'href="{url("start", group)}"' in response.content.decode()
    assert older.title in page


def test_the_list_shows_new_counts_to_members_linking_to_the_first_unread_reply(client, forum):
    group, asker, helper = forum["group"], forum["asker"], forum["helper"]
    mine = start(asker, group, title="My topic")
    theirs = start(helper, group, title="Their topic")
    actions.reply(author=helper, topic=mine, body="One")
    actions.reply(author=helper, topic=mine, body="Two")
    client.force_login(asker)
    response = client.get(url("list", group))
    content = response.content.decode()
    assert "2 new" in text_of(response)  # read up to the opening post, two replies since
    assert f'href="{turl("unread", mine)}"' in content
    assert f'href="{turl("unread", theirs)}"' in content  # never opened: new
    client.get(turl("topic", mine))
    assert "2 new" not in text_of(client.get(url("list", group)))


def test_the_list_pages_by_keyset_with_an_older_topics_link(client, forum, monkeypatch):
    monkeypatch.setattr(queries, "TOPICS_PAGE", 3)
    group = forum["group"]
    for n in range(7):
        start(forum["asker"], group, title=f"Topic number {n}")
    client.force_login(forum["helper"])
    first = client.get(url("list", group))
    assert titles(first) == ["Topic number 6", "Topic number 5", "Topic number 4"]
    older = re.search(r'href="\?([^"]*after=[^"]+)" rel="next">Older topics', first.content.decode())
    second = client.get(f"{url('list', group)}?{older.group(1).replace('&amp;', '&')}")
    assert titles(second) == ["Topic number 3", "Topic number 2", "Topic number 1"]
    assert "Latest topics" in text_of(second)


def test_the_list_filters_by_tag_unanswered_questions_the_archive_and_most_replies(client, forum):
    group, asker, owner = forum["group"], forum["asker"], forum["owner"]
    zines = start(asker, group, title="Zine shelving", tags="zines")
    ask = start(asker, group, title="An open question", kind="question")
    old = start(asker, group, title="Last year's timetable")
    actions.set_flags(actor=owner, topic=old, archived=True)
    for _ in range(2):
        actions.reply(author=owner, topic=zines, body="More")
    client.force_login(asker)
    assert titles(client.get(url("list", group), {"tag": "#Zines"})) == ["Zine shelving"]
    assert titles(client.get(url("list", group), {"unanswered": "on"})) == ["An open question"]
    assert titles(client.get(url("list", group), {"archived": "on"})) == ["Last year's timetable"]
    assert "Last year's timetable" not in titles(client.get(url("list", group)))
    assert titles(client.get(url("list", group), {"sort": "top"}))[0] == "Zine shelving"
    assert ask.title in titles(client.get(url("list", group), {"sort": "latest"}))


def test_searching_a_groups_topics_finds_words_in_titles_and_replies(client, forum):
    group = forum["group"]
    topic = start(forum["asker"], group, title="Shelving question")
    actions.reply(author=forum["helper"], topic=topic, body="Try local subject headings")
    start(forum["asker"], group, title="Something else")
    client.force_login(forum["helper"])
    response = client.get(url("list", group), {"q": "LOCAL headings"})
    assert titles(response) == ["Shelving question"]
    assert "1 topic matches" in text_of(response)


def test_the_watch_the_group_form_saves_a_members_level(client, forum):
    group, asker = forum["group"], forum["asker"]
    client.force_login(asker)
    assert 'action="{}"'.format(url("group_watch", group)) in client.get(url("list", group)).content.decode()
    response = client.post(url("group_watch", group), {"level": "all"}, follow=True)
    assert GroupWatch.objects.get(group=group, user=asker).level == "all"
    assert "You will hear of every new topic and reply" in text_of(response)
    response = client.post(url("group_watch", group), {"level": "loud"}, follow=True)
    assert response.status_code == 200 and "Choose every reply" in text_of(response)
    assert GroupWatch.objects.get(group=group, user=asker).level == "all"


# --- who may see what ----------------------------------------------------------------------------


def _every_page(topic, attachment=None):
    pages = [
        url("list", topic.group),
        url("start", topic.group),
        turl("topic", topic),
        turl("unread", topic),
        turl("reply_link", topic, 1),
        turl("history", topic, 1),
        turl("edit_reply", topic, 1),
        turl("delete_reply", topic, 1),
    ]
    if attachment is not None:
        pages.append(turl("attachment", topic, attachment.pk, attachment.original_name))
    return pages


@pytest.mark.parametrize("privacy", ["private", "hidden"])
def test_outsiders_of_private_and_hidden_groups_get_404_on_every_discussion_page(client, privacy):
    group = make_group(name="Closed shelf", privacy=privacy)
    member = add_member(group)
    topic = start(member, group, attachments=[(png_upload(), "A zine cover")])
    attachment = Attachment.objects.get(reply__topic=topic)
    for who in (None, UserFactory()):
        client.logout()
        if who:
            client.force_login(who)
        for page in _every_page(topic, attachment):
            response = client.get(page)
            if who is None and page.endswith(("/new", "/edit", "/delete")):
                assert response.status_code == 302  # log in first: nothing is said about the group
            else:
                assert response.status_code == 404, page
        for page in ("reply", "watch", "moderate", "accept"):
            assert client.post(turl(page, topic), {"body": "x", "level": "all"}).status_code in (302, 404)
        if who:
            assert client.post(turl("reply", topic), {"body": "Let me in"}).status_code == 404
            assert client.post(url("group_watch", group), {"level": "all"}).status_code == 404
    assert Reply.objects.filter(topic=topic).count() == 1


def test_a_topic_of_another_group_is_not_found_under_this_ones_address(client, forum):
    other = make_group(owner=forum["asker"], name="Other group")
    topic = start(forum["asker"], other)
    client.force_login(forum["asker"])
    assert client.get(reverse("discussions:topic", args=[forum["group"].slug, topic.pk])).status_code == 404


def test_anyone_reads_a_public_groups_discussions_but_only_members_start_topics_and_reply(client):
    group = make_group(name="Zine librarians", privacy="public")
    member = add_member(group)
    topic = start(member, group, title="Zine swap")
    response = client.get(url("list", group))
    assert response.status_code == 200 and titles(response) == ["Zine swap"]
    assert "Log in" in text_of(response)
    response = client.get(turl("topic", topic))
    assert response.status_code == 200 and 'id="composer"' not in response.content.decode()
    passer_by = UserFactory()
    client.force_login(passer_by)
    response = client.get(url("start", group))
    assert response.status_code == 403
    assert "Join Zine librarians to start a topic in it." in text_of(response)
    assert f'href="{reverse("groups:join", args=[group.slug])}"' in response.content.decode()
    response = client.post(turl("reply", topic), {"body": "Me too"})
    assert response.status_code == 403 and "Join Zine librarians to reply." in text_of(response)
    assert Reply.objects.filter(topic=topic).count() == 1


# --- starting a topic ----------------------------------------------------------------------------


def test_a_member_starts_a_question_with_tags_and_a_described_image(client, forum):
    group, asker = forum["group"], forum["asker"]
    client.force_login(asker)
    form = client.get(url("start", group)).content.decode()
    assert 'maxlength="20000"' in form and 'maxlength="150"' in form and 'name="file_5"' in form
    response = client.post(
        url("start", group),
        {
            "title": "  How do   I catalogue zines? ",
            "kind": "question",
            "tags": "Cataloguing, zines",
            "body": "Any **tips**?",
            "file_1": png_upload("cover.png"),
            "description_1": "A hand-drawn zine cover",
        },
    )
    topic = Topic.objects.get(group=group)
    assert response.status_code == 302 and response["Location"] == turl("topic", topic)
    assert topic.title == "How do I catalogue zines?" and topic.is_question
    page = client.get(turl("topic", topic))
    assert "Your topic is started." in text_of(page)
    content = page.content.decode()
    assert "<strong>tips</strong>" in content
    assert 'alt="A hand-drawn zine cover"' in content
    assert sorted(t.name for t in topic.tags.all()) == ["cataloguing", "zines"]


def test_starting_a_topic_with_mistakes_shows_each_error_and_keeps_what_was_typed(client, forum):
    group = forum["group"]
    client.force_login(forum["asker"])
    response = client.post(url("start", group), {"title": "", "kind": "poll", "tags": "x", "body": "My long text"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Title is required." in page and "Choose a discussion or a question." in page
    assert "My long text</textarea>" in response.content.decode()
    response = client.post(
        url("start", group),
        {"title": "Pictures", "kind": "discussion", "body": "See the picture", "file_1": png_upload("shelf.png")},
    )
    assert response.status_code == 400
    assert "Describe the image “shelf.png” for people who cannot see it." in text_of(response)
    assert 'value="Pictures"' in response.content.decode()
    response = client.post(url("start", group), {"title": "x" * 151, "kind": "discussion", "body": "Hi"})
    assert response.status_code == 400 and "Title can be at most 150 characters" in text_of(response)
    response = client.post(
        url("start", group), {"title": "Too many tags", "kind": "discussion", "body": "Hi", "tags": "a,b,c,d,e,f"}
    )
    assert response.status_code == 400 and "at most 5 tags" in text_of(response)
    response = client.post(
        url("start", group),
        {
            "title": "A program",
            "kind": "discussion",
            "body": "Hi",
            "file_1": SimpleUploadedFile("x.exe", b"MZ\x00\x00"),
        },
    )
    assert response.status_code == 400 and "That kind of file is not accepted" in text_of(response)
    assert not Topic.objects.exists()


# --- a topic's pages -----------------------------------------------------------------------------


def test_replying_adds_a_numbered_reply_and_lands_on_it(client, forum, question):
    client.force_login(forum["helper"])
    response = client.post(turl("reply", question), {"body": "Use _local_ headings"})
    assert response.status_code == 302 and response["Location"] == f"{turl('topic', question)}#r2"
    page = client.get(response["Location"])
    assert "Your reply is posted." in text_of(page)
    assert "Use local headings" in article(page, 2)
    assert fresh(question).replies_count == 1


def test_a_blank_reply_shows_its_error_on_the_topic_page(client, forum, question):
    client.force_login(forum["helper"])
    response = client.post(turl("reply", question), {"body": "   "})
    assert response.status_code == 400
    assert "Write something before posting." in text_of(response)
    response = client.post(turl("reply", question), {"body": "x" * 20_001})
    assert response.status_code == 400 and "A reply can be at most 20,000 characters" in text_of(response)
    response = client.post(turl("reply", question), {"body": "Answering nothing", "parent": "99"})
    assert response.status_code == 400 and "not in this topic" in text_of(response)
    assert fresh(question).replies_count == 0


def test_replying_to_a_reply_says_whom_it_answers(client, forum, question):
    first = actions.reply(author=forum["helper"], topic=question, body="First answer")
    client.force_login(forum["asker"])
    composer = client.get(turl("topic", question), {"parent": first.number})
    assert 'name="parent" value="2"' in composer.content.decode()
    assert f"Replying to {forum['helper'].profile.display_name}" in text_of(composer)
    client.post(turl("reply", question), {"body": "Thanks!", "parent": "2"})
    assert Reply.objects.get(topic=question, number=3).parent_id == first.pk
    page = client.get(turl("topic", question))
    assert f"in reply to {forum['helper'].profile.display_name} #2" in article(page, 3)
    assert f'href="{turl("reply_link", question, 2)}"' in page.content.decode()


def test_quoting_fills_the_composer_with_the_reply_as_a_blockquote_and_a_link_back(client, forum, question):
    actions.reply(author=forum["helper"], topic=question, body="Line one\n\nLine two")
    client.force_login(forum["asker"])
    response = client.get(turl("topic", question), {"quote": "2"})
    body = re.search(r'<textarea name="body" id="reply-body"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    quoted = body.group(1).replace("&gt;", ">")
    name = forum["helper"].profile.display_name
    assert quoted.startswith(f"[{name} wrote in #2]({turl('reply_link', question, 2)}):\n> Line one\n>\n> Line two")
    assert 'name="parent" value="2"' in response.content.decode()
    client.post(turl("reply", question), {"body": quoted + "Agreed.", "parent": "2"})
    page = client.get(turl("topic", question))
    assert "<blockquote>" in page.content.decode() and "Agreed." in article(page, 3)
    # A quote of nothing, or of junk, is a blank composer.
    for junk in ("99", "-1", "abc", "9" * 30):
        response = client.get(turl("topic", question), {"quote": junk})
        assert response.status_code == 200 and 'name="parent"' not in response.content.decode()


def test_editing_keeps_the_earlier_version_in_a_history_anyone_reading_can_see(client, forum, question):
    helper = forum["helper"]
    answer = actions.reply(author=helper, topic=question, body="Use FAST")
    client.force_login(helper)
    form = client.get(turl("edit_reply", question, 2))
    assert form.status_code == 200 and "Use FAST</textarea>" in form.content.decode()
    response = client.post(turl("edit_reply", question, 2), {"body": "Use FAST and LCSH"})
    assert response.status_code == 302 and response["Location"].endswith("#r2")
    page = client.get(turl("topic", question))
    assert "Use FAST and LCSH" in article(page, 2) and "edited" in article(page, 2)
    client.force_login(forum["moderator"])
    history = client.get(turl("history", question, 2))
    assert history.status_code == 200
    assert "Use FAST and LCSH" in text_of(history) and "Use FAST" in text_of(history)
    answer.refresh_from_db()
    assert answer.body == "Use FAST and LCSH"
    response = client.post(turl("edit_reply", question, 2), {"body": ""})
    assert response.status_code == 400 and "Write something before posting." in text_of(response)


def test_editing_the_opening_post_also_edits_the_title_and_tags(client, forum, question):
    client.force_login(forum["asker"])
    form = client.get(turl("edit_reply", question, 1)).content.decode()
    assert 'value="How do I catalogue zines?"' in form and 'value="cataloguing, zines"' in form
    response = client.post(
        turl("edit_reply", question, 1),
        {"title": "Cataloguing zines: where to start?", "tags": "zines", "body": "Tips?"},
    )
    assert response.status_code == 302
    topic = fresh(question)
    assert topic.title == "Cataloguing zines: where to start?"
    assert [t.name for t in topic.tags.all()] == ["zines"]
    history = text_of(client.get(turl("history", question, 1)))
    assert "Title: How do I catalogue zines?" in history
    response = client.post(turl("edit_reply", question, 1), {"title": "ab", "tags": "", "body": "Tips?"})
    assert response.status_code == 400 and "at least 3 characters" in text_of(response)


def test_only_the_author_or_a_moderator_may_edit_or_delete_a_reply(client, forum, question):
    actions.reply(author=forum["helper"], topic=question, body="Mine")
    client.force_login(forum["asker"])
    assert client.get(turl("edit_reply", question, 2)).status_code == 404
    assert client.post(turl("delete_reply", question, 2)).status_code == 404
    page = client.get(turl("topic", question))
    assert turl("edit_reply", question, 2) not in page.content.decode()
    client.force_login(forum["moderator"])
    assert client.get(turl("edit_reply", question, 2)).status_code == 200
    assert f'href="{turl("delete_reply", question, 2)}"' in client.get(turl("topic", question)).content.decode()


def test_deleting_a_reply_leaves_its_place_and_deleting_the_opening_post_deletes_the_topic(client, forum, question):
    actions.reply(author=forum["helper"], topic=question, body="Regrettable words")
    client.force_login(forum["helper"])
    confirm = client.get(turl("delete_reply", question, 2))
    assert confirm.status_code == 200 and "Regrettable words" in text_of(confirm)
    response = client.post(turl("delete_reply", question, 2), follow=True)
    assert "The reply is deleted." in text_of(response)
    assert "This reply was deleted" in article(response, 2) and "Regrettable" not in text_of(response)
    assert client.get(turl("history", question, 2)).status_code == 200
    client.force_login(forum["asker"])
    confirm = client.get(turl("delete_reply", question, 1))
    assert "Deleting the opening post deletes the whole topic" in text_of(confirm)
    response = client.post(turl("delete_reply", question, 1))
    assert response["Location"] == url("list", forum["group"])
    assert client.get(turl("topic", question)).status_code == 404


def test_the_asker_accepts_an_answer_which_the_page_marks_and_can_clear(client, forum, question):
    actions.reply(author=forum["helper"], topic=question, body="Use local headings")
    client.force_login(forum["helper"])  # not the asker: no button, and a POST is refused
    assert "Accept this answer" not in text_of(client.get(turl("topic", question)))
    response = client.post(turl("accept", question), {"number": "2"}, follow=True)
    assert "Only the asker or a moderator can accept an answer." in text_of(response)
    client.force_login(forum["asker"])
    assert "Accept this answer" in article(client.get(turl("topic", question)), 2)
    response = client.post(turl("accept", question), {"number": "2"})
    assert response["Location"] == f"{turl('topic', question)}#r2"
    page = client.get(turl("topic", question))
    assert "Accepted answer" in article(page, 2) and "Clear the accepted answer" in article(page, 2)
    assert "is the accepted answer" in text_of(page)
    assert fresh(question).accepted_reply.number == 2
    assert "Answered" in text_of(client.get(url("list", forum["group"])))
    for junk in ({"number": "1"}, {"number": "77"}, {"number": "x"}, {}):
        response = client.post(turl("accept", question), junk, follow=True)
        assert response.status_code == 200 and "Choose a reply in this topic as the answer." in text_of(response)
    client.post(turl("accept", question), {"clear": "on"})
    assert fresh(question).accepted_reply_id is None


def test_a_discussion_topic_offers_no_accepting(client, forum):
    topic = start(forum["asker"], forum["group"], kind="discussion")
    actions.reply(author=forum["helper"], topic=topic, body="Hello")
    client.force_login(forum["asker"])
    assert "Accept this answer" not in text_of(client.get(turl("topic", topic)))


# --- paging, unread and read positions -----------------------------------------------------------


def _long_topic(forum, replies: int):
    topic = start(forum["asker"], forum["group"], title="A long thread")
    for n in range(replies):
        actions.reply(author=forum["helper"], topic=topic, body=f"Reply text {n + 2}")
    return fresh(topic)


def test_a_topic_pages_by_reply_number_with_earlier_and_later_links(client, forum, settings):
    settings.RR_TOPIC_PAGE_SIZE = 5
    topic = _long_topic(forum, 11)  # numbers 1–12
    client.force_login(forum["owner"])
    first = client.get(turl("topic", topic))
    assert numbers(first) == [1, 2, 3, 4, 5]
    assert 'href="?from=6" rel="next">Later replies' in first.content.decode()
    second = client.get(turl("topic", topic), {"from": "8"})  # any number opens the page that holds it
    assert numbers(second) == [6, 7, 8, 9, 10]
    assert 'href="?from=1" rel="prev">Earlier replies' in second.content.decode()
    assert numbers(client.get(turl("topic", topic), {"from": "11"})) == [11, 12]
    assert client.get(turl("reply_link", topic, 9))["Location"] == f"{turl('topic', topic)}?from=6#r9"
    assert client.get(turl("reply_link", topic, 13)).status_code == 404


def test_unread_jumps_to_the_first_reply_since_the_last_visit_and_says_how_many(client, forum, settings):
    settings.RR_TOPIC_PAGE_SIZE = 5
    topic = _long_topic(forum, 3)  # 1–4
    reader = forum["owner"]
    client.force_login(reader)
    assert client.get(turl("unread", topic))["Location"] == f"{turl('topic', topic)}#r1"  # never opened
    client.get(turl("topic", topic))
    assert TopicRead.objects.get(user=reader, topic=topic).last_read_number == 4
    for n in range(4):
        actions.reply(author=forum["helper"], topic=topic, body=f"Later {n}")
    assert client.get(turl("unread", topic))["Location"] == f"{turl('topic', topic)}#r5"
    page = client.get(turl("topic", topic))
    assert "4 new replies since your last visit" in text_of(page)
    assert TopicRead.objects.get(user=reader, topic=topic).last_read_number == 5  # the first page's last
    assert client.get(turl("unread", topic))["Location"] == f"{turl('topic', topic)}?from=6#r6"
    client.get(turl("topic", topic), {"from": "6"})
    assert client.get(turl("unread", topic))["Location"] == f"{turl('topic', topic)}?from=6#r8"  # all read
    assert "since your last visit" not in text_of(client.get(turl("topic", topic), {"from": "6"}))


def test_replies_from_someone_in_a_block_with_the_viewer_are_hidden_in_place(client, forum, question):
    actions.reply(author=forum["helper"], topic=question, body="Unwelcome words")
    actions.reply(author=forum["owner"], topic=question, body="Fine words")
    network_actions.block(blocker=forum["asker"], blocked=forum["helper"])
    client.force_login(forum["asker"])
    page = client.get(turl("topic", question))
    assert "Hidden: from someone you have blocked or who blocked you" in article(page, 2)
    assert "Unwelcome" not in text_of(page) and "Fine words" in article(page, 3)
    assert "Unwelcome" not in text_of(client.get(turl("history", question, 2)))
    response = client.get(turl("topic", question), {"quote": "2"})
    assert "Unwelcome" not in response.content.decode()


# --- moderation and watching ---------------------------------------------------------------------


def test_moderators_pin_lock_and_archive_a_topic(client, forum, question):
    client.force_login(forum["helper"])
    assert "Moderation" not in text_of(client.get(turl("topic", question)))
    assert client.post(turl("moderate", question), {"action": "pin"}).status_code == 404
    client.force_login(forum["moderator"])
    response = client.post(turl("moderate", question), {"action": "pin"}, follow=True)
    assert "pinned to the top of the list" in text_of(response) and fresh(question).is_pinned
    client.post(turl("moderate", question), {"action": "lock"})
    assert fresh(question).is_locked
    client.force_login(forum["helper"])
    page = client.get(turl("topic", question))
    assert "This topic is locked" in text_of(page) and 'id="composer"' not in page.content.decode()
    response = client.post(turl("reply", question), {"body": "Sneaking in"}, follow=True)
    assert "This topic is closed to new replies." in text_of(response)
    client.force_login(forum["moderator"])
    assert 'id="composer"' in client.get(turl("topic", question)).content.decode()  # moderators still may
    client.post(turl("moderate", question), {"action": "archive"})
    page = client.get(turl("topic", question))
    assert "This topic is archived: it is read-only." in text_of(page)
    assert 'id="composer"' not in page.content.decode()
    assert "Unarchive this topic" in text_of(page)
    response = client.post(turl("moderate", question), {"action": "explode"}, follow=True)
    assert response.status_code == 200 and "Choose pin, lock or archive." in text_of(response)


def test_the_topic_watch_form_saves_the_level(client, forum, question):
    client.force_login(forum["helper"])
    page = client.get(turl("topic", question)).content.decode()
    assert 'value="mentions" id="id_level_1" required checked' in page
    response = client.post(turl("watch", question), {"level": "muted"}, follow=True)
    assert TopicWatch.objects.get(topic=question, user=forum["helper"]).level == "muted"
    assert "muted" in text_of(response)
    response = client.post(turl("watch", question), {"level": ""}, follow=True)
    assert "Choose every reply, mentions only, or muted." in text_of(response)


def test_post_only_endpoints_answer_405_to_get(client, forum, question):
    client.force_login(forum["owner"])
    for name in ("reply", "watch", "moderate", "accept"):
        assert client.get(turl(name, question)).status_code == 405
    assert client.get(url("group_watch", forum["group"])).status_code == 405


# --- attachments ---------------------------------------------------------------------------------


def test_attachments_are_served_to_readers_only_and_go_with_their_reply(client, forum, question):
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n% notes\n", content_type="application/pdf")
    text = SimpleUploadedFile("list.txt", b"Zines to buy\n", content_type="text/plain")
    reply = actions.reply(author=forum["helper"], topic=question, body="Files", attachments=[(pdf, ""), (text, "")])
    pdf_file, text_file = Attachment.objects.filter(reply=reply).order_by("position")
    client.force_login(forum["asker"])
    page = client.get(turl("topic", question))
    assert "notes.pdf" in article(page, 2) and "(17 bytes)" in article(page, 2)
    response = client.get(turl("attachment", question, text_file.pk, text_file.original_name))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Zines to buy\n"
    assert response["Content-Type"] == "text/plain" and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(forum["outsider"])
    assert client.get(turl("attachment", question, pdf_file.pk, pdf_file.original_name)).status_code == 404
    client.force_login(forum["asker"])
    other = start(forum["asker"], forum["group"], title="Another topic")
    assert client.get(turl("attachment", other, pdf_file.pk, "notes.pdf")).status_code == 404
    actions.delete_reply(actor=forum["helper"], reply=Reply.objects.get(pk=reply.pk))
    assert client.get(turl("attachment", question, pdf_file.pk, "notes.pdf")).status_code == 404


# --- junk input and query counts -----------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"after": "junk"},
        {"after": "1.2.3"},
        {"after": "99999999999999999999999.1"},
        {"after": "-5.-1"},
        {"after": "253402300800000000.5"},  # beyond the calendar
        {"sort": "top", "after": "5.x"},
        {"sort": "bogus"},
        {"tag": "x" * 500},
        {"q": "x" * 500},
        {"archived": "maybe", "unanswered": "\x00"},
    ],
)
def test_the_list_never_fails_on_junk_input(client, forum, params):
    start(forum["asker"], forum["group"])
    client.force_login(forum["asker"])
    assert client.get(url("list", forum["group"]), params).status_code in (200, 400)


@pytest.mark.parametrize("value", ["-1", "0", "abc", "99999999999999999999", "1e5", " 3", "２"])
def test_a_topic_page_never_fails_on_junk_numbers(client, forum, question, value):
    client.force_login(forum["asker"])
    for params in ({"from": value}, {"quote": value}, {"parent": value}):
        response = client.get(turl("topic", question), params)
        assert response.status_code == 200 and numbers(response) == [1]
    response = client.post(turl("reply", question), {"body": "Hi", "parent": value})
    assert response.status_code in (302, 400)
    assert (
        client.get(reverse("discussions:reply_link", args=[question.group.slug, question.pk, 10**12])).status_code
        == 404
    )
    assert client.get(reverse("discussions:topic", args=[question.group.slug, 10**15])).status_code == 404
    assert (
        client.get(reverse("discussions:attachment", args=[question.group.slug, question.pk, 10**15, "x"])).status_code
        == 404
    )


def test_a_huge_from_number_shows_the_last_page(client, forum, settings):
    settings.RR_TOPIC_PAGE_SIZE = 5
    topic = _long_topic(forum, 6)
    client.force_login(forum["asker"])
    assert numbers(client.get(turl("topic", topic), {"from": "2147483647"})) == [6, 7]


def test_the_list_costs_a_constant_number_of_queries(client, forum, django_assert_max_num_queries):
    group = forum["group"]
    for n in range(25):
        author = add_member(group)
        topic = start(author, group, title=f"Topic {n}", tags=f"tag{n % 4}, common", kind="question")
        actions.reply(author=forum["helper"], topic=topic, body="Reply")
    for topic in Topic.objects.all()[:3]:
        actions.set_flags(actor=forum["owner"], topic=topic, pinned=True)
    client.force_login(forum["asker"])
    with django_assert_max_num_queries(16):
        response = client.get(url("list", group))
    assert response.status_code == 200 and len(titles(response)) == 25


def test_a_topic_page_with_sixty_replies_from_twenty_authors_costs_a_constant_number_of_queries(
    client, forum, django_assert_max_num_queries
):
    group = forum["group"]
    authors = [add_member(group) for _ in range(20)]
    topic = start(forum["asker"], group, kind="question", attachments=[(png_upload(), "A cover")])
    previous = None
    for n in range(60):
        previous = actions.reply(author=authors[n % 20], topic=fresh(topic), body=f"Reply {n} @x", parent=previous)
    actions.accept_answer(actor=forum["asker"], topic=fresh(topic), reply=previous)
    client.force_login(forum["moderator"])
    with django_assert_max_num_queries(20):  # the first visit also writes the read position
        client.get(turl("topic", topic), {"from": "61"})
    with django_assert_max_num_queries(15):
        response = client.get(turl("topic", topic), {"from": "11"})
    assert response.status_code == 200 and len(numbers(response)) == 50
    with django_assert_max_num_queries(15):
        response = client.get(turl("topic", topic))
    assert response.status_code == 200


def test_starting_topics_and_replying_share_a_rate_limit(client, forum, question, settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    client.force_login(forum["helper"])
    for n in range(30):
        assert client.post(turl("reply", question), {"body": f"Reply {n}"}).status_code == 302
    response = client.post(turl("reply", question), {"body": "One too many"})
    assert response.status_code == 429 and "Retry-After" in response
    response = client.post(url("start", forum["group"]), {"title": "Another", "kind": "discussion", "body": "Hi"})
    assert response.status_code == 429
    assert fresh(question).replies_count == 30
