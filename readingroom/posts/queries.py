"""Every read path for posts, with its joins. Each page costs a constant number of queries:
one for the candidate ids (where they are not part of the posts query), one for the posts with
their authors and the viewer's likes, boosts and bookmarks, and one for all their images.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from readingroom.accounts.models import Mute, User
from readingroom.core.models import Visibility
from readingroom.core.pagination import Page
from readingroom.core.prepared import PreparedQuery
from readingroom.posts.cards import decorate
from readingroom.posts.models import (
    Bookmark,
    Hashtag,
    HashtagFollow,
    Like,
    Post,
    PostEdit,
    PostHashtag,
    PostImage,
    TimelineEntry,
)
from readingroom.posts.timeline import home_timeline_post_ids

THREAD_LIMIT = 500
# Where visibility is applied after reading candidate ids (home, hashtags, bookmarks), a page
# reads at most this many batches of candidates, so a run of hidden posts keeps it cheap.
CANDIDATE_ROUNDS = 3


_POST_FIELDS = (
    "author",
    "body",
    "body_html",
    "visibility",
    "reply_to",
    "thread_root",
    "boost_of",
    "created_at",
    "edited_at",
    "replies_count",
    "likes_count",
    "boosts_count",
    "group",
)
_PROFILE_FIELDS = ("author__profile__handle", "author__profile__display_name", "author__profile__avatar")
# Loading only what a card shows halves the cost of building the model objects.
_CARD_FIELDS = (
    *_POST_FIELDS,
    *_PROFILE_FIELDS,
    *(f"boost_of__{name}" for name in _POST_FIELDS),
    *(f"boost_of__{name}" for name in _PROFILE_FIELDS),
)


def _page_size() -> int:
    return settings.RR_PAGE_SIZE


def _posts(viewer, *, apply_mutes: bool) -> QuerySet[Post]:
    """Visible posts with everything a post card shows, and the viewer's own interactions."""
    qs = (
        Post.objects.visible_to(viewer)
        .select_related("author__profile", "boost_of__author__profile")
        .only(*_CARD_FIELDS)
        # The "replying to" line needs only a handle: one column, not three more objects per post.
        .annotate(
            reply_to_handle=Coalesce(
                "boost_of__reply_to__author__profile__handle", "reply_to__author__profile__handle"
            ),
            # Group posts are never boosted, so the row's own group is the one to name.
            group_slug=F("group__slug"),
            group_name=F("group__name"),
        )
    )
    # Most posts have no images: flag those that do, so pages without any skip the image query.
    target = Coalesce(OuterRef("boost_of_id"), OuterRef("pk"))
    qs = qs.annotate(has_images=Exists(PostImage.objects.filter(post=target)))
    authenticated = viewer is not None and viewer.is_authenticated
    if not authenticated:
        false = Value(False, output_field=BooleanField())
        return qs.annotate(viewer_liked=false, viewer_boosted=false, viewer_bookmarked=false)
    if apply_mutes:
        muted = Mute.objects.filter(muter=viewer).values("muted")
        qs = qs.exclude(author__in=muted).exclude(boost_of__author__in=muted)
    # Likes, boosts and bookmarks always attach to the original post, never to a boost.
    return qs.annotate(
        viewer_liked=Exists(Like.objects.filter(user=viewer, post=target)),
        viewer_boosted=Exists(Post.objects.filter(author=viewer, boost_of=target)),
        viewer_bookmarked=Exists(Bookmark.objects.filter(user=viewer, post=target)),
    )


def _attach_images(posts: Sequence[Post]) -> None:
    """One query for the images of every post shown (a boost shows its original's)."""
    wanted = [p.boost_of_id or p.pk for p in posts if getattr(p, "has_images", True)]
    by_post: dict[int, list[PostImage]] = {}
    if wanted:
        for image in PostImage.objects.filter(post_id__in=wanted).order_by("position", "id"):
            by_post.setdefault(image.post_id, []).append(image)
    for post in posts:
        target = post.boost_of if post.boost_of_id else post
        target.shown_images = by_post.get(target.pk, [])
        post.shown_images = target.shown_images


def _finish(posts: list[Post]) -> list[Post]:
    _attach_images(posts)
    decorate(posts)
    return posts


def _build_hydrate(viewer_pk: int | None, ids: list[int], *, apply_mutes: bool) -> QuerySet[Post]:
    viewer = User(pk=viewer_pk) if viewer_pk is not None else None
    return _posts(viewer, apply_mutes=apply_mutes).filter(pk__in=ids)


# Compiled once per process and thread: building this query costs far more than running it.
_HYDRATE = {
    mutes: PreparedQuery(lambda viewer_pk, ids, mutes=mutes: _build_hydrate(viewer_pk, ids, apply_mutes=mutes))
    for mutes in (True, False)
}


def hydrate(post_ids: Sequence[int], viewer, *, apply_mutes: bool = True) -> list[Post]:
    """Load posts by id, keeping the given order and dropping any the viewer may not see."""
    if not post_ids:
        return []
    viewer_pk = viewer.pk if viewer is not None and viewer.is_authenticated else None
    rows = _HYDRATE[apply_mutes].fetch(key="posts", viewer_pk=viewer_pk, ids=list(post_ids))
    by_id = {p.pk: p for p in rows}
    return _finish([by_id[i] for i in post_ids if i in by_id])


def _page_from_candidates(
    candidates: Callable[[int | None, int], list[tuple[int, int]]], viewer, *, before: int | None, apply_mutes: bool
) -> Page[Post]:
    """Page over (cursor key, post id) rows whose visibility is checked after they are read.

    Reads size + 1 candidates; only when some are hidden does it read further, a bounded number
    of times. The next cursor is the key of the last post shown, or of the last candidate read
    when hidden posts left the page short, so no visible post is ever skipped or repeated.
    """
    size = _page_size()
    shown: list[Post] = []
    key_of: dict[int, int] = {}
    cursor, want = before, size + 1
    for _ in range(CANDIDATE_ROUNDS):
        rows = candidates(cursor, want)
        key_of.update((post_id, key) for key, post_id in rows)
        shown += hydrate([post_id for _, post_id in rows], viewer, apply_mutes=apply_mutes)
        if len(shown) > size:
            shown = shown[:size]
            return Page(_keyed(shown, key_of), key_of[shown[-1].pk])
        if len(rows) < want:
            return Page(_keyed(shown, key_of), None)
        cursor, want = rows[-1][0], min(want * 2, 200)
    return Page(_keyed(shown, key_of), cursor)


def _keyed(posts: list[Post], key_of: dict[int, int]) -> list[Post]:
    for post in posts:
        post.cursor_key = key_of[post.pk]
    return posts


def home_timeline(*, viewer, before: int | None = None) -> Page[Post]:
    """The member's stored home timeline (their follows, followed hashtags and their own posts)."""

    def candidates(cursor: int | None, limit: int) -> list[tuple[int, int]]:
        return [(i, i) for i in home_timeline_post_ids(owner=viewer, before=cursor, limit=limit)]

    return _page_from_candidates(candidates, viewer, before=before, apply_mutes=True)


def _id_candidates(ids: QuerySet[Post]) -> Callable[[int | None, int], list[tuple[int, int]]]:
    """Candidate reader over a posts query whose index serves `ORDER BY id DESC` (keyset on id)."""

    def candidates(cursor: int | None, limit: int) -> list[tuple[int, int]]:
        rows = ids if cursor is None else ids.filter(pk__lt=cursor)
        return [(i, i) for i in rows.order_by("-pk").values_list("pk", flat=True)[:limit]]

    return candidates


def local_timeline(*, viewer, before: int | None = None) -> Page[Post]:
    """Everyone's original top-level posts for all to see (public; members too when signed in).

    Followers-only posts belong in followers' home timelines, not here. Blocks, suspensions
    and mutes are applied by hydrate, through Post.objects.visible_to."""
    signed_in = viewer is not None and viewer.is_authenticated
    shown = [Visibility.PUBLIC, Visibility.MEMBERS] if signed_in else [Visibility.PUBLIC]
    ids = Post.objects.filter(
        visibility__in=shown, boost_of__isnull=True, reply_to__isnull=True, thread_root__isnull=True, group__isnull=True
    )
    return _page_from_candidates(_id_candidates(ids), viewer, before=before, apply_mutes=True)


def profile_timeline(*, viewer, author, before: int | None = None, with_replies: bool = False) -> Page[Post]:
    """One member's posts and boosts, newest first; replies only when asked for. Their group posts
    stay on their groups' pages."""
    ids = Post.objects.filter(author=author, group__isnull=True)
    if not with_replies:
        ids = ids.filter(reply_to__isnull=True, thread_root__isnull=True)
    return _page_from_candidates(_id_candidates(ids), viewer, before=before, apply_mutes=False)


def group_timeline(*, viewer, group, before: int | None = None) -> Page[Post]:
    """A group's top-level posts, newest first, from the (group, id) index; visibility, blocks and
    mutes through hydrate like every timeline."""
    ids = Post.objects.filter(group=group, reply_to__isnull=True, thread_root__isnull=True, boost_of__isnull=True)
    return _page_from_candidates(_id_candidates(ids), viewer, before=before, apply_mutes=True)


def hashtag_timeline(*, viewer, hashtag: Hashtag, before: int | None = None) -> Page[Post]:
    def candidates(cursor: int | None, limit: int) -> list[tuple[int, int]]:
        rows = PostHashtag.objects.filter(hashtag=hashtag)
        if cursor is not None:
            rows = rows.filter(post_id__lt=cursor)
        ids = rows.order_by("-post_id").values_list("post_id", flat=True)[:limit]
        return [(i, i) for i in ids]

    return _page_from_candidates(candidates, viewer, before=before, apply_mutes=True)


def bookmarks(*, viewer, before: int | None = None) -> Page[Post]:
    """The viewer's bookmarks, most recently bookmarked first (the cursor is the bookmark id)."""

    def candidates(cursor: int | None, limit: int) -> list[tuple[int, int]]:
        rows = Bookmark.objects.filter(user=viewer)
        if cursor is not None:
            rows = rows.filter(pk__lt=cursor)
        return list(rows.order_by("-pk").values_list("pk", "post_id")[:limit])

    return _page_from_candidates(candidates, viewer, before=before, apply_mutes=False)


def post_for_viewer(post_id: int, viewer) -> Post:
    """One post with everything its card shows, or Http404 if the viewer may not see it."""
    post = _posts(viewer, apply_mutes=False).filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post")
    return _finish([post])[0]


@dataclass
class Thread:
    ancestors: list[Post]
    post: Post
    descendants: list[Post]  # depth-first, each with .depth (1 = a direct reply)


def thread(*, viewer, post: Post) -> Thread:
    """The conversation around a post: visible ancestors, the post, and its visible replies."""
    root_id = post.thread_root_id or post.pk
    rows = list(
        _posts(viewer, apply_mutes=False)
        .filter(Q(pk=root_id) | Q(thread_root_id=root_id))
        .order_by("pk")[: THREAD_LIMIT + 1]
    )
    by_id = {p.pk: p for p in rows}
    by_id[post.pk] = post
    ancestors = []
    parent_id = post.reply_to_id
    while parent_id in by_id and len(ancestors) < THREAD_LIMIT:
        ancestors.append(by_id[parent_id])
        parent_id = by_id[parent_id].reply_to_id
    ancestors.reverse()
    children: dict[int, list[Post]] = {}
    for p in rows:
        if p.reply_to_id is not None:
            children.setdefault(p.reply_to_id, []).append(p)
    descendants: list[Post] = []
    stack = [(child, 1) for child in reversed(children.get(post.pk, []))]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        node.indent = min(depth, 6)
        descendants.append(node)
        stack.extend((child, depth + 1) for child in reversed(children.get(node.pk, [])))
    _finish(ancestors + [post] + descendants)
    return Thread(ancestors, post, descendants)


def edit_history(*, post: Post) -> list[PostEdit]:
    """Earlier versions of a post, newest first (the caller has checked the viewer may see it)."""
    return list(post.edits.order_by("-id"))


def hashtag_by_name(name: str) -> Hashtag | None:
    return Hashtag.objects.filter(name=name).first()


def follows_hashtag(user, hashtag: Hashtag | None) -> bool:
    if hashtag is None or not user.is_authenticated:
        return False
    return HashtagFollow.objects.filter(user=user, hashtag=hashtag).exists()


# --- Reading forward: the posts just newer than a cursor (the API's min_id) ---------------------
# The timelines above read backward; API clients catching up read forward from the newest post
# they have. Same candidate sources in ascending key order; visibility and mutes are applied by
# hydrate exactly as above. readingroom/api/tests/test_timelines.py checks that reading forward
# meets the same posts as reading backward, timeline by timeline.


def _forward_source(timeline: str, viewer, *, hashtag: Hashtag | None, author, with_replies: bool):
    """(candidate rows, cursor key field, post id field, whether mutes apply) for a timeline."""
    if timeline == "home":
        return TimelineEntry.objects.filter(owner_id=viewer.pk), "post_id", "post_id", True
    if timeline == "local":
        signed_in = viewer is not None and viewer.is_authenticated
        shown = [Visibility.PUBLIC, Visibility.MEMBERS] if signed_in else [Visibility.PUBLIC]
        rows = Post.objects.filter(
            visibility__in=shown,
            boost_of__isnull=True,
            reply_to__isnull=True,
            thread_root__isnull=True,
            group__isnull=True,
        )
        return rows, "pk", "pk", True
    if timeline == "profile":
        rows = Post.objects.filter(author=author, group__isnull=True)
        if not with_replies:
            rows = rows.filter(reply_to__isnull=True, thread_root__isnull=True)
        return rows, "pk", "pk", False
    if timeline == "hashtag":
        return PostHashtag.objects.filter(hashtag=hashtag), "post_id", "post_id", True
    if timeline == "bookmarks":
        return Bookmark.objects.filter(user=viewer), "pk", "post_id", False
    raise ValueError(f"unknown timeline {timeline!r}")


def newer_posts(
    *, timeline: str, viewer, after: int, limit: int, hashtag=None, author=None, with_replies: bool = False
) -> Page[Post]:
    """Up to `limit` visible posts with cursor keys just above `after`, newest first.

    The page's cursor is where to read forward from next time: the newest key read (so hidden
    posts are not read again), or None when nothing newer exists yet."""
    rows, key, post_field, apply_mutes = _forward_source(
        timeline, viewer, hashtag=hashtag, author=author, with_replies=with_replies
    )

    def candidates(cursor: int, want: int) -> list[tuple[int, int]]:
        later = rows.filter(**{f"{key}__gt": cursor}).order_by(key)
        if key == post_field:
            return [(i, i) for i in later.values_list(key, flat=True)[:want]]
        return list(later.values_list(key, post_field)[:want])

    shown: list[Post] = []
    key_of: dict[int, int] = {}
    cursor, want, last_read = after, limit, None
    for _ in range(CANDIDATE_ROUNDS):
        found = candidates(cursor, want)
        key_of.update((post_id, k) for k, post_id in found)
        shown += hydrate([post_id for _, post_id in found], viewer, apply_mutes=apply_mutes)
        if found:
            last_read = found[-1][0]
        if len(shown) >= limit or len(found) < want:
            break
        cursor, want = found[-1][0], min(want * 2, 200)
    if len(shown) > limit:
        shown = shown[:limit]
        last_read = key_of[shown[-1].pk]
    return Page(list(reversed(_keyed(shown, key_of))), last_read)
