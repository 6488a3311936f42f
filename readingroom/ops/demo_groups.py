"""The demo community's groups: a private MLIS cohort Ana belongs to, two public interest groups
and a hidden organisers' group, each with owners, moderators, members, a code of conduct, pinned
resources and a few conversations. Invented, like the people; built through the groups and posts
actions the pages use (joining by request, approval, invitation link or at once)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from readingroom.accounts.models import User
from readingroom.core.models import Visibility
from readingroom.groups import actions as group_actions
from readingroom.groups.models import Group, Membership, Privacy, Role
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Post


@dataclass(frozen=True)
class DemoGroup:
    name: str
    privacy: str
    sector: str
    owner: str
    summary: str
    about: str
    conduct: str
    tags: tuple[str, ...]
    moderators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    # Private groups: members who asked and are still waiting for an answer.
    waiting: tuple[tuple[str, str], ...] = ()
    # Members who keep the group's posts out of their home timeline.
    quiet: tuple[str, ...] = ()
    resources: tuple[tuple[str, str, str], ...] = ()  # (title, url, note)
    # (author, body, replies as (author, body)), oldest first.
    threads: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = field(default=())


GROUPS = (
    DemoGroup(
        name="MLIS cohort 2027",
        privacy=Privacy.PRIVATE,
        sector="education",
        owner="hannah_lecturer",
        summary="The online MLIS class of 2027: study groups, deadlines and moral support.",
        about=(
            "A home for everyone starting the online MLIS in 2027.\n\n"
            "- **Study groups** for each module, arranged here\n"
            "- **Deadlines** and timetable changes, pinned on the About page\n"
            "- Questions big and small: someone in another time zone is always awake"
        ),
        conduct=(
            "1. What classmates share here stays here: ask before quoting anyone outside the group.\n"
            "2. No question is too basic. Answer the way you would have wanted to be answered.\n"
            "3. Help with assignments means explaining, not sharing your answers."
        ),
        tags=("mlis", "cohort 2027", "online learning"),
        moderators=("amara_student",),
        members=("ana", "yusuf_student", "nadia_researcher"),
        waiting=(("lucy_changer", "Thinking of starting the MLIS part-time next year. May I listen in?"),),
        resources=(
            ("Semester 1 timetable", "https://example.org/mlis-2027/timetable", "Live sessions in UTC"),
            ("Reading list: information organisation", "https://example.org/mlis-2027/reading/organisation", ""),
            ("How to submit assignments", "https://example.org/mlis-2027/submitting", "Word count rules included"),
        ),
        threads=(
            (
                "hannah_lecturer",
                "Welcome to the cohort! Introduce yourself: where you are studying from, what you did before, "
                "and one thing you hope to learn this year.",
                (
                    (
                        "ana",
                        "Leeds, ten years in retail, now part-time on a library counter. I want to get "
                        "confident with cataloguing.",
                    ),
                    (
                        "amara_student",
                        "Dakar, a nurse for twelve years. I want to teach search skills the way "
                        "a clinical librarian once taught me.",
                    ),
                    (
                        "yusuf_student",
                        "Istanbul. I volunteer in our university archive and would like to stay in "
                        "archives after the degree.",
                    ),
                ),
            ),
            (
                "amara_student",
                "Study group for the information organisation module: Thursdays at 18:00 UTC on video. Bring "
                "one catalogue record you found confusing and we will untangle it together.",
                (
                    ("ana", "I'll be there. I have a record with three different title statements and no idea why."),
                    ("nadia_researcher", "Joining from Cairo. Could we record the first one for people at work?"),
                ),
            ),
            (
                "nadia_researcher",
                "For the research methods module: my notes on writing a survey consent page are in the shared "
                "folder. Reuse anything, and tell me what is unclear.",
                (),
            ),
        ),
    ),
    DemoGroup(
        name="Lone archivists",
        privacy=Privacy.PUBLIC,
        sector="archive",
        owner="tomas_archives",
        summary="For archivists and records people who are the only one in their organisation.",
        about=(
            "When you are the only archivist for 400 km, the colleague down the corridor is this group. "
            "Ask anything: appraisal, mould, cataloguing backlogs, budgets, and how to say no."
        ),
        conduct=(
            "- No question is too basic.\n"
            "- Share photos of collection material only when you may.\n"
            "- Suppliers are welcome to learn, not to sell."
        ),
        tags=("archives", "lone working", "records", "conservation"),
        moderators=("wiremu_community",),
        members=("emily_lone", "lucy_changer", "grace_records", "marco_conservation", "fatima_special"),
        quiet=("grace_records",),
        resources=(
            ("Emergency salvage flowchart", "https://example.org/lone-archivists/salvage", "Print it for the wall"),
            ("Template: a one-page disaster plan", "https://example.org/lone-archivists/disaster-plan", ""),
        ),
        threads=(
            (
                "tomas_archives",
                "Monthly check-in: what is on your desk this week, and what would help?",
                (
                    (
                        "emily_lone",
                        "A box of unlabelled photographs from a retirement clear-out. Help would be a time machine.",
                    ),
                    ("lucy_changer", "My first accession register. I am checking every field twice."),
                    ("wiremu_community", "Oral history consent forms in two languages. Happy to share ours."),
                ),
            ),
            (
                "emily_lone",
                "Has anyone found a free tool for an accessions register that is not a spreadsheet? Ours has "
                "reached 4,000 rows and three colours of highlighting.",
                (
                    (
                        "grace_records",
                        "We moved to a small open source collections system last year. Ask me about "
                        "the migration; the spreadsheet clean-up was the hard part.",
                    ),
                    ("fatima_special", "Whatever you choose, export a copy every month. Tools change, CSV stays."),
                ),
            ),
            (
                "marco_conservation",
                "Summer reminder: check your humidity readings weekly, not monthly. Mould is patient and so "
                "should your logger be.",
                (),
            ),
        ),
    ),
    DemoGroup(
        name="School librarians down under",
        privacy=Privacy.PUBLIC,
        sector="school",
        owner="mira_school",
        summary="Teacher librarians in Australia and Aotearoa New Zealand, and friends further away.",
        about="Book Week, reading culture, timetables that forget the library, and swapping what works.",
        conduct="Be generous with ideas and credit the people you borrowed them from.",
        tags=("school libraries", "australia", "new zealand", "reading culture"),
        moderators=("zoe_outreach",),
        members=("aisha_school", "jack_gallery", "isla_youth"),
        resources=(
            (
                "Book Week planner",
                "https://example.org/down-under/book-week",
                "Themes, displays and a parade checklist",
            ),
        ),
        threads=(
            (
                "mira_school",
                'Book Week is six weeks away. Share your display themes: ours is "reading across the ditch", '
                "with a class in Wellington.",
                (
                    (
                        "aisha_school",
                        "Following from Lagos. We are starting our first reading week and I am taking notes.",
                    ),
                    ("zoe_outreach", "Our public library can lend class sets for Book Week; message me for the form."),
                ),
            ),
            (
                "zoe_outreach",
                "We are running holiday reading clubs with three schools this term. Happy to share the sign-up "
                "sheet and what we learned from the first round.",
                (("isla_youth", "Yes please! Our van visits schools in the holidays too."),),
            ),
        ),
    ),
    DemoGroup(
        name="#uklibchat organisers",
        privacy=Privacy.HIDDEN,
        sector="other",
        owner="ben_chat",
        summary="Where the #uklibchat team plans topics and hosts.",
        about="Drafts, rotas and topic ideas for #uklibchat. Invitation only: ask Ben.",
        conduct="Topics stay here until they are announced. Credit whoever suggested one.",
        tags=("uklibchat", "chats"),
        moderators=("chloe_cpd",),
        members=("isla_youth", "sam_newpro"),
        resources=(("Host's checklist", "https://example.org/uklibchat/host-checklist", ""),),
        threads=(
            (
                "ben_chat",
                "Next month's shortlist: lone working (part two), search and AI at the reference desk, or job "
                "hunting as a new professional. Reply with your pick.",
                (
                    ("chloe_cpd", "Job hunting: it pairs with the cpd23 thing on online networks."),
                    ("sam_newpro", "Job hunting, and I would be glad to co-host it."),
                ),
            ),
        ),
    ),
)


def seed_groups(people: dict[str, User], rng: random.Random, stdout) -> dict:
    """The groups above, their members and conversations. Returns what was made."""
    posts = 0
    for spec in GROUPS:
        if any(handle not in people for handle in (spec.owner, *spec.moderators, *spec.members)):
            continue
        group = _make_group(spec, people)
        posts += _converse(group, spec, people, rng)
    stdout.write(f"Demo groups: {len(GROUPS)} groups, {posts} group posts and replies.")
    return {"groups": len(GROUPS), "group_posts": posts}


def _make_group(spec: DemoGroup, people: dict[str, User]) -> Group:
    owner = people[spec.owner]
    group = group_actions.create_group(
        creator=owner,
        name=spec.name,
        privacy=spec.privacy,
        summary=spec.summary,
        about=spec.about,
        conduct=spec.conduct,
        sector=spec.sector,
        tags=spec.tags,
    )
    for handle in (*spec.moderators, *spec.members):
        _bring_in(group, owner, people[handle])
    for handle in spec.moderators:
        membership = Membership.objects.get(group=group, user=people[handle])
        group_actions.set_role(actor=owner, membership=membership, role=Role.MODERATOR)
    for handle, message in spec.waiting:
        group_actions.request_to_join(user=people[handle], group=group, message=message, accept_conduct=True)
    for handle in spec.quiet:
        group_actions.set_home_preference(user=people[handle], group=group, show_in_home=False)
    for title, url, note in spec.resources:
        group_actions.pin_resource(actor=owner, group=group, title=title, url=url, note=note)
    return group


def _bring_in(group: Group, owner: User, user: User) -> None:
    """Each way in the pages offer: a public group at once, a private one by an approved request,
    a hidden one by an invitation link."""
    if group.privacy == Privacy.PUBLIC:
        group_actions.join(user=user, group=group, accept_conduct=True)
    elif group.privacy == Privacy.PRIVATE:
        request = group_actions.request_to_join(
            user=user, group=group, message="Starting in September!", accept_conduct=True
        )
        group_actions.answer_request(actor=owner, join_request=request, approve=True)
    else:
        _, token = group_actions.create_invitation(actor=owner, group=group, days=30, max_uses=1)
        group_actions.accept_invitation(user=user, token=token, accept_conduct=True)


def _converse(group: Group, spec: DemoGroup, people: dict[str, User], rng: random.Random) -> int:
    count = 0
    start = timezone.now() - timedelta(days=3, hours=rng.randint(0, 12))
    for number, (handle, body, replies) in enumerate(spec.threads):
        post = post_actions.create_post(author=people[handle], body=body, visibility=Visibility.PUBLIC, group=group)
        stamp = start + timedelta(hours=16 * number + rng.randint(0, 5))
        Post.objects.filter(pk=post.pk).update(created_at=stamp)
        count += 1
        for minutes, (reply_handle, reply_body) in enumerate(replies, start=1):
            reply = post_actions.create_post(
                author=people[reply_handle], body=reply_body, visibility=Visibility.PUBLIC, reply_to=post
            )
            Post.objects.filter(pk=reply.pk).update(created_at=stamp + timedelta(minutes=23 * minutes))
            count += 1
        members = [m.user for m in Membership.objects.filter(group=group).select_related("user")]
        for liker in rng.sample(members, k=min(len(members), rng.randint(1, 4))):
            if liker != people[handle]:
                post_actions.like(user=liker, post=post)
    # The directory's "most active" order follows the conversations, not the moment of seeding.
    latest = Post.objects.filter(group=group).aggregate(at=Max("created_at"))["at"]
    if latest is not None:
        Group.objects.filter(pk=group.pk).update(last_activity_at=latest)
    return count


__all__ = ["GROUPS", "seed_groups"]
