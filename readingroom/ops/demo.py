"""`readingroom seed demo`: a believable invented community of about 40 members.

Built through the same actions the pages use (profiles, follows, posts, replies, likes, boosts,
groups and their members), so the demo exercises the real code paths. Safe to run twice: it does
nothing if members exist.
"""

from __future__ import annotations

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from readingroom.accounts import actions as account_actions
from readingroom.accounts.models import Interest, Profile, User
from readingroom.core.models import Visibility
from readingroom.core.text import render_bio
from readingroom.network import actions as network_actions
from readingroom.ops.demo_discussions import seed_discussions
from readingroom.ops.demo_groups import seed_groups
from readingroom.ops.demo_learning import seed_learning
from readingroom.ops.demo_people import PEOPLE
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Post
from readingroom.posts.timeline import rebuild_home_timeline

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@readingroom.example", "reading-room-admin"
# Every demo member signs in with the same password; ana is the one the README names.
MEMBER_EMAIL, MEMBER_PASSWORD = "ana@readingroom.example", "reading-room-demo"

# (author handle, body, replies as (handle, body))
CONVERSATIONS = [
    (
        "ben_chat",
        "Tonight's #uklibchat is on **lone working**: how do you keep learning when there's no team down the corridor? Questions are on the chat page; join us at 19:30 UK time.",
        [
            (
                "emily_lone",
                "My whole team is this network. I block an hour every Friday for reading what people here shared.",
            ),
            (
                "tomas_archives",
                "Same from the Arctic. The time zones help: someone is always awake when I have a question.",
            ),
            ("ana", "As a student this is exactly what I was hoping to find. Lurking for now, joining tonight!"),
        ],
    ),
    (
        "chloe_cpd",
        "Thing 6 of #cpd23 this week: online networks. Write a short reflective post: which networks do you use, and which would you like to try? Link it here so others can read it.",
        [
            (
                "ana",
                "Posted mine: LinkedIn for jobs, here for learning, and I'm trying a hashtag chat for the first time.",
            ),
            (
                "sam_newpro",
                "Honest answer: I follow lots of people and post nothing. This week I'll try replying once.",
            ),
        ],
    ),
    (
        "noah_critlib",
        "This month's #critlib reading group: neutrality in reference work. Short reading, long conversation. Everyone welcome, no prior reading group experience needed.",
        [
            ("hannah_lecturer", "I'll share this with my reference students; it fits week 7 perfectly."),
            ("clara_reference", "Nervous about joining but will come and listen."),
        ],
    ),
    (
        "mira_school",
        "Our Year 4s ran a global read-aloud with a class in Canada this week. Kids asking real questions of real readers beats any worksheet. #libraries #schoollibraries",
        [
            ("aisha_school", "I'd love to do this with my students in Lagos. How did you find the partner class?"),
            ("mira_school", "Through a teacher-librarian network on here! Happy to introduce you."),
        ],
    ),
    (
        "tomas_archives",
        "Question for archivists: a donor box arrived smelling of mould. Isolate, bag, and then? Our conservator is 400 km away. #archives",
        [
            (
                "marco_conservation",
                "Isolate and keep it cool and dry, don't freeze without advice, photograph everything. Happy to look at photos.",
            ),
            ("wiremu_community", "We had the same last winter; a small dehumidifier in a closed room saved us."),
        ],
    ),
    (
        "li_metadata",
        "Reminder that good metadata is an act of care for the person who searches after you. #metadata #cataloguing",
        [
            ("elena_national", "Printing this for the cataloguing office wall."),
            ("lucy_changer", "Learning this one record at a time!"),
        ],
    ),
    (
        "priya_health",
        "Ran a journal club on search strategies for junior doctors. Biggest win: showing how one synonym doubled the relevant results. #libraries #healthlibraries",
        [("amara_student", "As a former nurse: this is the session I wish I'd had.")],
    ),
    (
        "oliver_national",
        "Our web archive crawl of the national election sites finished: 2.1 TB and a lot of JavaScript. #digitalpreservation",
        [],
    ),
    (
        "kofi_museum",
        "Handling session today with a 1950s school radio. The students asked about every knob. Objects start conversations that books finish. #museums #glam",
        [("zoe_outreach", "Love this. We paired a museum handling box with a library storytime once; magic.")],
    ),
    (
        "rosa_public",
        "Our job club helped 14 people into work this quarter. Public libraries are economic infrastructure. #libraries #advocacy",
        [],
    ),
    (
        "ethan_systems",
        "Upgraded the discovery layer without downtime. The secret: a dry run on a copy of production and a very boring checklist. #librarysystems",
        [],
    ),
    (
        "diego_research",
        "Data management plan clinic next week, bring your drafts. Open to researchers in any time zone via video. #researchdata",
        [],
    ),
    (
        "sam_newpro",
        "First presentation at a conference accepted! Terrified. Tips from people who've done it? #newprofessionals",
        [
            ("tom_retired", "Practise out loud twice, time it, and remember the audience wants you to do well."),
            ("david_leader", "Congratulations! Happy to listen to a practice run over video."),
            ("sam_newpro", "Thank you both, taking you up on that."),
        ],
    ),
    (
        "nadia_researcher",
        "My survey on how LIS people build professional learning networks is open. Anonymous, consent first, 10 minutes. #libraries #research",
        [],
    ),
    (
        "isla_youth",
        "The mobile library van reached three new villages this month. Rhyme time in a bus shelter is a vibe. #libraries",
        [],
    ),
    (
        "maya_access",
        "Checked our event sign-up forms with a screen reader today. Two of five were unusable. Fixing now. Test your forms! #accessibility",
        [],
    ),
    (
        "kwame_openaccess",
        "Rights retention explained in one sentence: keep the right to share your own accepted manuscript. #openaccess",
        [],
    ),
    (
        "lucy_changer",
        "Week three as an archives assistant after 15 years in journalism. Turns out interviewing and cataloguing both start with asking good questions. #archives #careerchange",
        [],
    ),
    (
        "sione_pacific",
        "Training call with five island libraries across four time zones today. The network really is the library. #glam",
        [],
    ),
    (
        "grace_records",
        "Retention schedule finally approved. Next: convincing people that 'final_FINAL_v3.docx' is not a records strategy. #records",
        [],
    ),
    ("arjun_data", "OpenRefine workshop materials are up, CC BY. Reuse them freely. #researchdata #cpd23", []),
    (
        "fatima_special",
        "Provenance mystery solved: a bookplate under a later bookplate. Always check under things. #specialcollections",
        [],
    ),
    (
        "yusuf_student",
        "Volunteering in our university archive: today I learned what a fonds is. Tomorrow, series. #archives",
        [],
    ),
    (
        "ana",
        "Finished my first #cpd23 Thing. Reflection: I learn more from replies than from readings. Thank you all. #uklibchat",
        [],
    ),
]


def seed_demo(stdout) -> dict:
    if User.objects.exists():
        stdout.write("The database already has members: demo data not loaded (nothing changed).")
        return {"created": 0}
    rng = random.Random(2026)
    with transaction.atomic():
        admin = User.objects.create_superuser(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
        _verify(admin)
        account_actions.create_member_profile(user=admin, handle="rr_admin", display_name="Reading Room admin")
        # One hash for every demo member: hashing 40 passwords would take most of the seeding time.
        password_hash = make_password(MEMBER_PASSWORD)
        people = {row[0]: _create_person(row, password_hash) for row in PEOPLE}
        # Profiles were filled in field by field above; their search text is computed once here.
        account_actions.refresh_all_search_texts()
    _follow_network(people, rng)
    count = _converse(people, rng)
    stdout.write(f"Demo community: {len(people)} members, {count} posts and replies.")
    groups = seed_groups(people, rng, stdout)
    discussions = seed_discussions(people, stdout)
    # Fan-out tasks are queued for the worker; rebuilding here makes the demo complete at once.
    for user in [admin, *people.values()]:
        rebuild_home_timeline(owner=user)
    with transaction.atomic():
        learning = seed_learning(people, stdout)
    return {"created": len(people), "posts": count, **groups, **discussions, **learning}


def _verify(user: User) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def _create_person(row, password_hash: str) -> User:
    (handle, name, pronouns, headline, job, org, sector, stage, city, country, tz, interests, flags, bio) = row
    email = MEMBER_EMAIL if handle == "ana" else f"{handle}@readingroom.example"
    user = User.objects.create(email=email, password=password_hash, last_seen_at=timezone.now())
    _verify(user)
    account_actions.create_member_profile(user=user, handle=handle, display_name=name)
    profile = Profile.objects.get(user=user)
    profile.pronouns, profile.headline, profile.job_title, profile.organisation = pronouns, headline, job, org
    profile.sector, profile.career_stage, profile.city, profile.country, profile.time_zone = (
        sector,
        stage,
        city,
        country,
        tz,
    )
    profile.bio, profile.bio_html = bio, render_bio(bio)
    profile.open_to_mentoring, profile.seeking_mentor, profile.open_to_collaborate = (
        "m" in flags,
        "s" in flags,
        "c" in flags,
    )
    profile.visibility = Visibility.PUBLIC if handle != "grace_records" else Visibility.MEMBERS
    profile.locked = handle == "hana_law"
    profile.onboarded_at = timezone.now()
    profile.save()
    profile.interests.set([_interest(name) for name in interests])
    return user


def _interest(name: str) -> Interest:
    slug = slugify(name)
    found = Interest.objects.filter(slug=slug).first() or Interest.objects.filter(name__iexact=name).first()
    return found or Interest.objects.create(slug=slug, name=name, in_vocabulary=False)


def _follow_network(people: dict[str, User], rng: random.Random) -> None:
    handles = list(people)
    hubs = ["ben_chat", "chloe_cpd", "noah_critlib", "tom_retired", "li_metadata"]
    for handle, user in people.items():
        targets = set(hubs) | set(rng.sample(handles, k=8))
        targets.discard(handle)
        for target in sorted(targets):
            network_actions.follow(follower=user, followee=people[target])


def _converse(people: dict[str, User], rng: random.Random) -> int:
    count = 0
    start = timezone.now() - timedelta(days=len(CONVERSATIONS))
    for day, (handle, body, replies) in enumerate(CONVERSATIONS):
        post = post_actions.create_post(author=people[handle], body=body, visibility=Visibility.PUBLIC)
        stamp = start + timedelta(days=day, hours=rng.randint(0, 8))
        Post.objects.filter(pk=post.pk).update(created_at=stamp)
        count += 1
        parent = post
        for minutes, (reply_handle, reply_body) in enumerate(replies, start=1):
            parent = post_actions.create_post(
                author=people[reply_handle], body=reply_body, visibility=Visibility.PUBLIC, reply_to=parent
            )
            Post.objects.filter(pk=parent.pk).update(created_at=stamp + timedelta(minutes=17 * minutes))
            count += 1
        for liker in rng.sample(list(people.values()), k=rng.randint(2, 9)):
            if liker != people[handle]:
                post_actions.like(user=liker, post=post)
        if rng.random() < 0.4:
            booster = rng.choice(list(people.values()))
            if booster != people[handle]:
                post_actions.boost(user=booster, post=post)
    return count
