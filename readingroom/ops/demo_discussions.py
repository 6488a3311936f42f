"""The demo community's discussions: a few topics in its groups, made through the discussions
actions the pages use — a cohort's question with an accepted answer, a lone archivists' thread
with a quoted reply, a school librarians' question still open. Invented, like the people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from readingroom.accounts.models import User
from readingroom.discussions import actions
from readingroom.discussions.models import Reply, Topic, TopicKind
from readingroom.groups.models import Group


@dataclass(frozen=True)
class DemoTopic:
    group: str
    author: str
    title: str
    kind: str
    tags: tuple[str, ...]
    body: str
    replies: tuple[tuple[str, str, int | None], ...]  # (author, body, number it answers)
    accepted: int | None = None  # the reply number the asker accepts


TOPICS = (
    DemoTopic(
        group="MLIS cohort 2027",
        author="ana",
        title="How are you all referencing datasets in the research methods essay?",
        kind=TopicKind.QUESTION,
        tags=("research methods", "referencing"),
        body=(
            "The module guide says *cite the data, not just the paper*, but APA's examples are thin.\n\n"
            "Do we cite the repository record, the DOI, or both? Asking before the 14 March deadline!"
        ),
        replies=(
            ("yusuf_student", "Same question here. I've been citing the paper and adding the DOI of the data.", 1),
            (
                "nadia_researcher",
                "Cite the dataset as its own item, with its DOI, in the reference list:\n\n"
                "> Author, A. (Year). *Title of dataset* (Version) [Data set]. Repository. https://doi.org/…\n\n"
                "The paper that used it is a separate reference. DataCite's guide has worked examples.",
                1,
            ),
            ("amara_student", "Thanks @nadia_researcher, that matches what the library's research data team said.", 3),
        ),
        accepted=3,
    ),
    DemoTopic(
        group="Lone archivists",
        author="tomas_archives",
        title="Digitising on a shoestring: what is your minimum kit?",
        kind=TopicKind.DISCUSSION,
        tags=("digitisation", "preservation"),
        body=(
            "I have a small grant (about £2,000) to start digitising our parish records.\n\n"
            "## What I have so far\n- a copy stand\n- an old DSLR\n\n"
            "What would you buy first: lighting, a colour target, or storage?"
        ),
        replies=(
            ("emily_lone", "Storage, always. Two copies, one off site, before the first scan.", 1),
            (
                "grace_records",
                "> Storage, always. Two copies, one off site\n\nAgreed, and write down your file naming now.",
                2,
            ),
            ("marco_conservation", "Lighting second: two LED panels at 45° save hours of retouching.", 1),
        ),
    ),
    DemoTopic(
        group="School librarians down under",
        author="aisha_school",
        title="Graphic novels for reluctant Year 9 readers?",
        kind=TopicKind.QUESTION,
        tags=("reader advisory", "youth"),
        body="Our Year 9s have read everything in the collection twice. Which series got your students hooked?",
        replies=(("isla_youth", "Try the Australian titles from Allen & Unwin's graphic list first.", 1),),
    ),
)


def seed_discussions(people: dict[str, User], stdout) -> dict:
    made = replies = 0
    for spec in TOPICS:
        group = Group.objects.filter(name=spec.group).first()
        if group is None or any(h not in people for h in (spec.author, *(r[0] for r in spec.replies))):
            continue
        topic = actions.start_topic(
            author=people[spec.author], group=group, title=spec.title, body=spec.body, kind=spec.kind, tags=spec.tags
        )
        for handle, body, answers in spec.replies:
            parent = Reply.objects.get(topic=topic, number=answers) if answers else None
            actions.reply(author=people[handle], topic=topic, body=body, parent=parent)
            replies += 1
        if spec.accepted:
            answer = Reply.objects.get(topic=topic, number=spec.accepted)
            actions.accept_answer(actor=people[spec.author], topic=topic, reply=answer)
        made += 1
    _spread_in_time()
    stdout.write(f"Demo discussions: {made} topics, {replies} replies.")
    return {"topics": made, "topic_replies": replies}


def _spread_in_time() -> None:
    """Replies an hour or more apart, over the last days, as a real forum's would be."""
    now = timezone.now()
    for index, topic in enumerate(Topic.objects.order_by("pk")):
        start = now - timedelta(days=2 + index, hours=3)
        for found in Reply.objects.filter(topic=topic).order_by("number"):
            Reply.objects.filter(pk=found.pk).update(created_at=start + timedelta(hours=2 * (found.number - 1)))
        last = start + timedelta(hours=2 * (topic.last_number - 1))
        Topic.objects.filter(pk=topic.pk).update(created_at=start, last_activity_at=last)
