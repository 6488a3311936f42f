"""Timelines: home, local, hashtag, a member's posts and bookmarks, read by keyset.

Each reads through the same posts.queries function as its page, so the same posts show."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router

from readingroom.accounts.permissions import check_view_profile
from readingroom.api.auth import ANYONE, MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import (
    ANYONE_SECURITY,
    OBJECT_READ_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    present,
    viewer,
)
from readingroom.api.pagination import page_body, post_window
from readingroom.api.schemas import Handle, HashtagOut, PageQuery, PostPage, ProfilePostsQuery, Text
from readingroom.core.pagination import Page
from readingroom.network.queries import profile_page_profile
from readingroom.posts import actions, queries

router = Router(tags=["Timelines"])
TagName = Text(61, min_length=1)


def _page(request, response, window) -> dict:
    out = present(request)
    return page_body(request, response, window, [out.post(p) for p in window.items], forward=True)


@router.get("/timelines/home", response={200: PostPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="home")
def home_timeline(request: HttpRequest, response: HttpResponse, query: Query[PageQuery]):
    """Posts of the people and hashtags you follow, and your own, newest first."""
    user = viewer(request)
    window = post_window(
        lambda before: queries.home_timeline(viewer=user, before=before),
        lambda after, limit: queries.newer_posts(timeline="home", viewer=user, after=after, limit=limit),
        query=query,
    )
    return _page(request, response, window)


@router.get(
    "/timelines/local",
    response={200: PostPage, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="local",
)
def local_timeline(request: HttpRequest, response: HttpResponse, query: Query[PageQuery]):
    """Everyone's top-level posts: public ones for anyone, members-only ones too when signed in."""
    user = viewer(request)
    window = post_window(
        lambda before: queries.local_timeline(viewer=user, before=before),
        lambda after, limit: queries.newer_posts(timeline="local", viewer=user, after=after, limit=limit),
        query=query,
    )
    return _page(request, response, window)


@router.get(
    "/timelines/tag/{name}",
    response={200: PostPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="hashtag_timeline",
)
def hashtag_timeline(request: HttpRequest, response: HttpResponse, query: Query[PageQuery], name: TagName):
    """Posts tagged #name that you may see. An unknown tag is an empty page; an impossible name is a 404."""
    user = viewer(request)
    tag = queries.hashtag_by_name(actions.clean_hashtag_name(name))
    if tag is None:
        return page_body(request, response, post_window(_empty, _empty, query=query), [], forward=True)
    window = post_window(
        lambda before: queries.hashtag_timeline(viewer=user, hashtag=tag, before=before),
        lambda after, limit: queries.newer_posts(
            timeline="hashtag", viewer=user, after=after, limit=limit, hashtag=tag
        ),
        query=query,
    )
    return _page(request, response, window)


def _empty(*args) -> Page:
    return Page([], None)


@router.get(
    "/profiles/{handle}/posts",
    response={200: PostPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="profile_posts",
)
def profile_posts(request: HttpRequest, response: HttpResponse, query: Query[ProfilePostsQuery], handle: Handle):
    """A member's posts and boosts, newest first (replies with `with_replies=true`), as on their profile."""
    user = viewer(request)
    author = check_view_profile(user, profile_page_profile(handle)).user
    replies = query.with_replies
    window = post_window(
        lambda before: queries.profile_timeline(viewer=user, author=author, before=before, with_replies=replies),
        lambda after, limit: queries.newer_posts(
            timeline="profile", viewer=user, after=after, limit=limit, author=author, with_replies=replies
        ),
        query=query,
    )
    return _page(request, response, window)


@router.get("/bookmarks", response={200: PostPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="bookmarks")
def bookmarks(request: HttpRequest, response: HttpResponse, query: Query[PageQuery]):
    """Your bookmarks, most recently bookmarked first (cursors are bookmark ids, not post ids)."""
    user = viewer(request)
    window = post_window(
        lambda before: queries.bookmarks(viewer=user, before=before),
        lambda after, limit: queries.newer_posts(timeline="bookmarks", viewer=user, after=after, limit=limit),
        query=query,
    )
    return _page(request, response, window)


# --- Hashtags -----------------------------------------------------------------------------------


def _hashtag(request, name: str, *, following: bool | None = None) -> dict:
    user = viewer(request)
    tag = queries.hashtag_by_name(name)
    if following is None:
        following = queries.follows_hashtag(user, tag)
    return {"name": name, "url": present(request).url(reverse("posts:hashtag", args=[name])), "following": following}


@router.get(
    "/tags/{name}",
    response={200: HashtagOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="hashtag",
)
def get_hashtag(request: HttpRequest, name: TagName):
    return _hashtag(request, actions.clean_hashtag_name(name))


@router.post(
    "/tags/{name}/follow", response={200: HashtagOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="follow_tag"
)
def follow_hashtag(request: HttpRequest, name: TagName):
    """Bring the tag's posts into your home timeline."""
    tag = actions.follow_hashtag(user=viewer(request), name=name)
    return _hashtag(request, tag.name, following=True)


@router.post(
    "/tags/{name}/unfollow", response={200: HashtagOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="unfollow_tag"
)
def unfollow_hashtag(request: HttpRequest, name: TagName):
    clean = actions.clean_hashtag_name(name)
    actions.unfollow_hashtag(user=viewer(request), name=clean)
    return _hashtag(request, clean, following=False)
