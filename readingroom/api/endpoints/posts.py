"""Posts: compose, read, edit, delete, history, thread, and the like/boost/bookmark toggles.

Each operation does what the matching page does (readingroom/posts/views.py), through the same
form, action, query and permission check."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from readingroom.accounts.actions import ensure_profile
from readingroom.api.auth import ANYONE, MEMBER_WRITE
from readingroom.api.common import ANYONE_SECURITY, OBJECT_READ_ERRORS, WRITE_ERRORS, form_invalid, present, viewer
from readingroom.api.schemas import HistoryOut, Id, PostEditIn, PostIn, PostOut, ThreadOut
from readingroom.core.ratelimit import check_rate
from readingroom.groups import permissions as group_permissions
from readingroom.groups import queries as group_queries
from readingroom.posts import actions, queries
from readingroom.posts.forms import EditPostForm, PostForm
from readingroom.posts.models import Post
from readingroom.posts.permissions import check_can_delete_post, check_can_edit_post, check_can_see_post

router = Router(tags=["Posts"])


@router.post("/posts", response={201: PostOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="posts")
def create_post(request: HttpRequest, payload: PostIn):
    """Publish a post, or a reply with `reply_to`. A reply is never seen more widely than what it answers.
    With `group`, the post goes to that group: a group you may not read is a 404, one you are not a
    member of a 403."""
    user = viewer(request)
    visibility = payload.visibility or ensure_profile(user=user).default_post_visibility
    form = PostForm({"body": payload.body, "visibility": visibility, "reply_to": payload.reply_to or ""})
    if not form.is_valid():
        raise form_invalid(form)
    reply_id = form.cleaned_data.get("reply_to")
    reply_to = queries.post_for_viewer(reply_id, user) if reply_id else None
    group = _group_target(user, payload.group)
    check_rate("post", user.id, limit=30, period=300)
    post = actions.create_post(
        author=user,
        body=form.cleaned_data["body"],
        visibility=form.cleaned_data["visibility"],
        reply_to=reply_to,
        group=group,
    )
    return Status(201, present(request).post(queries.post_for_viewer(post.pk, user)))


def _group_target(user, slug: str | None):
    """As the composer's group (posts.views._group_target): 404 where the member may not read it."""
    if not slug:
        return None
    group = group_queries.group_by_slug(slug)
    group_permissions.check_can_read_content(user, group)
    return group


@router.get(
    "/posts/{post_id}",
    response={200: PostOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="post",
)
def get_post(request: HttpRequest, post_id: Id):
    return present(request).post(queries.post_for_viewer(post_id, viewer(request)))


@router.patch("/posts/{post_id}", response={200: PostOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="post")
def edit_post(request: HttpRequest, payload: PostEditIn, post_id: Id):
    """Change a post's text and/or audience; the previous version is kept in its history."""
    user = viewer(request)
    post = get_object_or_404(Post, pk=post_id)
    check_can_edit_post(user, post)
    body = post.body if payload.body is None else payload.body
    form = EditPostForm({"body": body, "visibility": payload.visibility or post.visibility})
    if not form.is_valid():
        raise form_invalid(form)
    actions.edit_post(
        post=post, editor=user, body=form.cleaned_data["body"], visibility=form.cleaned_data["visibility"]
    )
    return present(request).post(queries.post_for_viewer(post.pk, user))


@router.delete("/posts/{post_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="post")
def delete_post(request: HttpRequest, post_id: Id):
    """Delete a post for good (its author; staff may remove any post)."""
    post = get_object_or_404(Post.objects.select_related("author__profile"), pk=post_id)
    check_can_delete_post(viewer(request), post)
    actions.delete_post(post=post, actor=viewer(request))
    return Status(204, None)


@router.get(
    "/posts/{post_id}/history",
    response={200: HistoryOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="post_history",
)
def post_history(request: HttpRequest, post_id: Id):
    post = queries.post_for_viewer(post_id, viewer(request))
    edits = queries.edit_history(post=post)
    out = present(request)
    return {
        "post": out.post(post),
        "edits": [{"body": e.body, "body_html": e.body_html, "created_at": e.created_at} for e in edits],
    }


@router.get(
    "/posts/{post_id}/thread",
    response={200: ThreadOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="post_thread",
)
def post_thread(request: HttpRequest, post_id: Id):
    """The conversation around a post: the replies it answers, the post, and the replies to it.
    For a boost, the thread of the boosted post."""
    user = viewer(request)
    post = queries.post_for_viewer(post_id, user)
    if post.boost_of_id:
        post = queries.post_for_viewer(post.boost_of_id, user)
    thread = queries.thread(viewer=user, post=post)
    out = present(request)
    return {
        "ancestors": [out.post(p) for p in thread.ancestors],
        "post": out.post(thread.post),
        "descendants": [out.thread_post(p) for p in thread.descendants],
    }


def _toggle(request: HttpRequest, post_id: int, act) -> dict:
    """As the pages' like/boost/bookmark buttons: see the post, act on it (its original for a boost)."""
    user = viewer(request)
    post = get_object_or_404(Post, pk=post_id)
    check_can_see_post(user, post)
    act(user=user, post=post)
    target = post.boost_of_id or post.pk
    return present(request).post(queries.post_for_viewer(target, user))


def _toggle_endpoint(verb: str, act, doc: str):
    @router.post(
        f"/posts/{{post_id}}/{verb}",
        response={200: PostOut, **WRITE_ERRORS},
        auth=MEMBER_WRITE,
        url_name=f"post_{verb}",
        operation_id=f"{verb}_post",
        summary=f"{verb.title()} a post",
        description=doc,
    )
    def toggle(request: HttpRequest, post_id: Id):
        return _toggle(request, post_id, act)

    toggle.__name__ = f"{verb}_post"
    return toggle


_AGAIN = "Doing it twice changes nothing. Answers the post (for a boost: the boosted post) as it is now."
like_post = _toggle_endpoint("like", actions.like, f"Like a post. {_AGAIN}")
unlike_post = _toggle_endpoint("unlike", actions.unlike, f"Take back a like. {_AGAIN}")
boost_post = _toggle_endpoint(
    "boost", actions.boost, f"Share a post with your followers; followers-only posts cannot be boosted (403). {_AGAIN}"
)
unboost_post = _toggle_endpoint("unboost", actions.unboost, f"Take back a boost. {_AGAIN}")
bookmark_post = _toggle_endpoint("bookmark", actions.bookmark, f"Keep a post in your bookmarks. {_AGAIN}")
unbookmark_post = _toggle_endpoint("unbookmark", actions.unbookmark, f"Remove a bookmark. {_AGAIN}")
