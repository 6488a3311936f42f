"""Thin views: parse, check, call an action or query, render a page or an htmx partial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.accounts.permissions import needs_onboarding
from readingroom.core.http import cursor_param, safe_next
from readingroom.core.ratelimit import check_rate
from readingroom.groups import permissions as group_permissions
from readingroom.groups import queries as group_queries
from readingroom.groups import views as group_views
from readingroom.groups.models import Group
from readingroom.posts import actions, queries, reading
from readingroom.posts.card_html import Viewer, render_actions
from readingroom.posts.forms import EditPostForm, PostForm
from readingroom.posts.models import Post
from readingroom.posts.permissions import (
    can_see_post,
    check_can_delete_post,
    check_can_edit_post,
    check_can_see_post,
)


def _composer(user, **initial) -> PostForm:
    return PostForm(initial={"visibility": user.profile.default_post_visibility, **initial})


def _note_read(request: HttpRequest, page, response: HttpResponse) -> HttpResponse:
    """Tell reading listeners (the balance panel) how many posts a signed-in member was shown."""
    if request.user.is_authenticated:
        reading.note_read(request.user.id, len(page.items) if page else 0)
    return response


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("posts:local")
    if needs_onboarding(request.user):
        return redirect("accounts:onboarding")
    page = queries.home_timeline(viewer=request.user, before=cursor_param(request))
    context = {"nav": "home", "page": page, "pager_url": reverse("posts:home")}
    return _note_read(request, page, render(request, "posts/home.html", context))


def local(request: HttpRequest) -> HttpResponse:
    page = queries.local_timeline(viewer=request.user, before=cursor_param(request))
    context = {"nav": "local", "page": page, "pager_url": reverse("posts:local")}
    return _note_read(request, page, render(request, "posts/local.html", context))


def hashtag(request: HttpRequest, name: str) -> HttpResponse:
    name = actions.clean_hashtag_name(name)
    tag = queries.hashtag_by_name(name)
    page = queries.hashtag_timeline(viewer=request.user, hashtag=tag, before=cursor_param(request)) if tag else None
    context = {
        "name": name,
        "page": page,
        "pager_url": reverse("posts:hashtag", args=[name]),
        "following": queries.follows_hashtag(request.user, tag),
    }
    return _note_read(request, page, render(request, "posts/hashtag.html", context))


@login_required
@require_POST
def follow_hashtag(request: HttpRequest, name: str) -> HttpResponse:
    name = actions.clean_hashtag_name(name)
    if request.POST.get("state") == "off":
        actions.unfollow_hashtag(user=request.user, name=name)
        following = False
    else:
        actions.follow_hashtag(user=request.user, name=name)
        following = True
    if request.htmx:
        return render(request, "posts/_hashtag_follow.html", {"name": name, "following": following})
    return redirect(safe_next(request, reverse("posts:hashtag", args=[name])))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = queries.post_for_viewer(pk, request.user)
    if post.boost_of_id:  # a boost has no page of its own
        return redirect("posts:detail", pk=post.boost_of_id)
    conversation = queries.thread(viewer=request.user, post=post)
    may_reply = request.user.is_authenticated and (
        not post.group_id or group_permissions.can_post(request.user, post.group)
    )
    form = _composer(request.user, reply_to=post.pk) if may_reply else None
    context = {
        "thread": conversation,
        "post": post,
        "form": form,
        "composer_group": post.group if post.group_id else None,
    }
    return render(request, "posts/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """The composer's target. GET shows the composer alone; a failed POST re-renders it with the input kept."""
    if request.method == "GET":
        return render(request, "posts/compose.html", {"form": _composer(request.user), "reply_to": None})
    form = PostForm(request.POST, request.FILES)
    reply_to = group = None
    if form.is_valid():
        reply_to = _reply_target(request, form.cleaned_data.get("reply_to"))
        group = _group_target(request, form.cleaned_data.get("group"))
        check_rate("post", request.user.id, limit=30, period=300)
        try:
            post = actions.create_post(
                author=request.user,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                reply_to=reply_to,
                images=form.cleaned_data["images"],
                group=group,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "Your reply is posted." if reply_to else "Your post is published.")
            return redirect(safe_next(request, reverse("posts:detail", args=[post.reply_to_id or post.pk])))
    else:  # show the composer again as it was: replying, or posting to the group
        reply_to = _reply_target(request, form.cleaned_data.get("reply_to"))
        group = _group_target(request, form.cleaned_data.get("group"))
    context = {"form": form, "reply_to": reply_to, "composer_group": group or (reply_to and reply_to.group)}
    return render(request, "posts/compose.html", context)


def _reply_target(request: HttpRequest, post_id: int | None) -> Post | None:
    return queries.post_for_viewer(post_id, request.user) if post_id else None


def _group_target(request: HttpRequest, group_id: int | None) -> Group | None:
    """The group the composer posts to, 404 where the member may not read it."""
    if not group_id:
        return None
    group = get_object_or_404(Group, pk=group_id)
    group_permissions.check_can_read_content(request.user, group)
    return group


def group(request: HttpRequest, slug: str) -> HttpResponse:
    """A group's page: its posts (the group timeline) and, for members, a composer. Outsiders of
    a private group see its about page instead; a hidden group is a 404 to them."""
    found = group_queries.group_by_slug(slug)
    group_permissions.check_can_view_group(request.user, found)
    if not group_permissions.can_read_content(request.user, found):
        return redirect("groups:about", slug=found.slug)
    page = queries.group_timeline(viewer=request.user, group=found, before=cursor_param(request))
    context = group_views.group_context(request, found, "posts")
    pager_url = reverse("posts:group", args=[found.slug])
    context.update(page=page, pager_url=pager_url, composer_next=pager_url)
    if group_permissions.can_post(request.user, found):
        context["form"] = PostForm(initial={"visibility": "public", "group": found.pk})
    return _note_read(request, page, render(request, "posts/group.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    check_can_edit_post(request.user, post)
    if request.method == "POST":
        form = EditPostForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_post(
                    post=post,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data["visibility"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Your post is updated.")
                return redirect("posts:detail", pk=post.pk)
    else:
        form = EditPostForm(initial={"body": post.body, "visibility": post.visibility})
    # A group post's audience is the group's: the page names it instead of offering a choice.
    context = {"form": form, "post": post, "group": post.group if post.group_id else None}
    return render(request, "posts/edit.html", context)


def history(request: HttpRequest, pk: int) -> HttpResponse:
    post = queries.post_for_viewer(pk, request.user)
    return render(request, "posts/history.html", {"post": post, "edits": queries.edit_history(post=post)})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("author__profile"), pk=pk)
    check_can_delete_post(request.user, post)
    if request.method == "POST":
        actions.delete_post(post=post, actor=request.user)
        messages.success(request, "The post is deleted.")
        return redirect(safe_next(request, reverse("posts:home")))
    # Staff may remove posts they may not read (followers-only, a group's): the page does not show them.
    context = {"post": post, "shown": can_see_post(request.user, post)}
    return render(request, "posts/delete.html", context)


def _toggle(request: HttpRequest, pk: int, on, off, pressed_attr: str) -> HttpResponse:
    """Shared by like, boost and bookmark: `state` says which way, so a double submit is harmless."""
    post = get_object_or_404(Post, pk=pk)
    check_can_see_post(request.user, post)
    target = post.boost_of if post.boost_of_id else post
    state = request.POST.get("state")
    if state not in ("on", "off"):
        current = queries.post_for_viewer(target.pk, request.user)
        state = "off" if getattr(current, pressed_attr) else "on"
    try:
        (on if state == "on" else off)(user=request.user, post=post)
    except PermissionDenied as exc:
        if request.htmx:
            raise
        messages.error(request, str(exc))
    back = safe_next(request, reverse("posts:detail", args=[target.pk]))
    if request.htmx:
        fresh = queries.post_for_viewer(target.pk, request.user)
        return HttpResponse(render_actions(fresh, Viewer.from_request(request, next_url=back)))
    return redirect(back)


@login_required
@require_POST
def like(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, actions.like, actions.unlike, "viewer_liked")


@login_required
@require_POST
def boost(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, actions.boost, actions.unboost, "viewer_boosted")


@login_required
@require_POST
def bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    return _toggle(request, pk, actions.bookmark, actions.unbookmark, "viewer_bookmarked")


@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    page = queries.bookmarks(viewer=request.user, before=cursor_param(request))
    context = {"nav": "bookmarks", "page": page, "pager_url": reverse("posts:bookmarks")}
    return render(request, "posts/bookmarks.html", context)
