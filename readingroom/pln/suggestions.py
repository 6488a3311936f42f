"""Suggestions for the balance panel: simple rules over the member's own figures, each one kind
and concrete. A rule names what to try, never what the member did wrong.

The rules, in the order they are shown (thresholds are over the last 4 weeks):
1. digest   — reading a lot: shown READ_A_LOT_POSTS posts or more, or active on READ_A_LOT_DAYS days
              or more, or recorded time over 1.5 x the weekly time they set → "Switch to the weekly digest".
2. hashtag  — shown BUSY_SHOWN_POSTS posts or more and one followed hashtag brought BUSY_HASHTAG_POSTS
              or more posts into their home timeline → "Quieten a busy hashtag" (named, linked).
3. reply    — no posts, replies or boosts at all → "Reply to one post this week".
4. follow   — following fewer than FEW_FOLLOWS people and hashtags together → "Follow two people who
              share your interests" (the directory).
5. time     — a weekly time set above zero and less than half of it recorded → "Book a slot for
              your learning time".
6. balanced — none of the above → "You're in balance — keep it up".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

READ_A_LOT_POSTS = 600  # about 150 posts a week
READ_A_LOT_DAYS = 20
OVER_INTENTION = 1.5
BUSY_SHOWN_POSTS = 300
BUSY_HASHTAG_POSTS = 30
FEW_FOLLOWS = 10
UNDER_INTENTION = 0.5


@dataclass(frozen=True)
class Suggestion:
    key: str
    title: str
    text: str
    url_name: str = ""
    url_args: tuple = field(default_factory=tuple)
    link_text: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args) if self.url_name else ""


def _over_intention(f) -> bool:
    return bool(f.intention_minutes) and f.recorded_minutes > OVER_INTENTION * f.intended_minutes


def reads_a_lot(f) -> bool:
    return f.posts_seen >= READ_A_LOT_POSTS or f.days_active >= READ_A_LOT_DAYS or _over_intention(f)


def needs_busiest_hashtag(f) -> bool:
    """Only then is the (slightly dearer) busiest-hashtag query worth running."""
    return f.posts_seen >= BUSY_SHOWN_POSTS and f.following_hashtags > 0


def suggest(f, *, busiest_hashtag: tuple[str, int] | None = None) -> list[Suggestion]:
    """f: the balance figures (queries.Balance); busiest_hashtag: (name, posts) or None."""
    out: list[Suggestion] = []
    if reads_a_lot(f):
        out.append(
            Suggestion(
                "digest",
                "Switch to the weekly digest",
                f"You opened your timelines on {f.days_active} of the last 28 days and were shown about "
                f"{f.posts_seen} posts. A weekly email of the best of your network can save you the checking, "
                "and you will still see what matters.",
                "digests:settings",
                (),
                "Choose a weekly digest",
            )
        )
    if f.posts_seen >= BUSY_SHOWN_POSTS and busiest_hashtag and busiest_hashtag[1] >= BUSY_HASHTAG_POSTS:
        name, count = busiest_hashtag
        out.append(
            Suggestion(
                "hashtag",
                "Quieten a busy hashtag",
                f"#{name} brought {count} posts to your home timeline in the last 4 weeks. If that is more than "
                "you need, unfollow it for a while on its page: you can follow it again at any time.",
                "posts:hashtag",
                (name,),
                f"Go to #{name}",
            )
        )
    if f.contributions == 0:
        out.append(
            Suggestion(
                "reply",
                "Reply to one post this week",
                "A short reply, a thank-you or a question is enough. Networks grow when people answer each "
                "other, and your view is worth hearing.",
                "posts:home",
                (),
                "Find a post to reply to",
            )
        )
    if f.following_people + f.following_hashtags < FEW_FOLLOWS:
        out.append(
            Suggestion(
                "follow",
                "Follow two people who share your interests",
                "A few more voices in your field make your timeline more useful. Two is plenty for this week.",
                "network:directory",
                (),
                "Browse the people directory",
            )
        )
    if f.intention_minutes and f.recorded_minutes < UNDER_INTENTION * f.intended_minutes:
        out.append(
            Suggestion(
                "time",
                "Book a slot for your learning time",
                f"You planned {f.intention_minutes} minutes a week. Putting one short, regular slot in your "
                "calendar makes it much easier to keep. Or change the plan: it should fit your life.",
                "pln:time",
                (),
                "Change your weekly time",
            )
        )
    if not out:
        out.append(
            Suggestion(
                "balanced",
                "You're in balance — keep it up",
                "You read, you contribute and your time matches your plan. Check in again in a few months.",
            )
        )
    return out
