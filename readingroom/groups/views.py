"""Thin views: the group directory, a group's about, members and moderation pages, invitations,
settings. The group's posts page is posts.views.group (posts sit above groups)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.http import cursor_param, safe_next
from readingroom.core.ratelimit import check_rate
from readingroom.groups import actions, queries
from readingroom.groups import permissions as perms
from readingroom.groups.forms import (
    DirectoryForm,
    GroupForm,
    HomePreferenceForm,
    InvitationForm,
    JoinForm,
    RemoveForm,
    ResourceForm,
    RoleForm,
)
from readingroom.groups.models import Group


def _posted(request: HttpRequest):
    """The POST data for a bound form (even when empty, so a blank submission shows its errors)."""
    return request.POST if request.method == "POST" else None


def group_context(request: HttpRequest, group: Group, tab: str) -> dict:
    """What the group header shows: the viewer's standing and the tabs they may open.
    Shared with posts.views.group, which renders the group's posts tab."""
    user = request.user
    return {
        "group": group,
        "tab": tab,
        "nav": "groups",
        "membership": perms.membership(user, group),
        "can_read": perms.can_read_content(user, group),
        "can_moderate": perms.can_moderate(user, group),
        "can_manage": perms.can_manage(user, group),
        "can_join": perms.can_join(user, group),
        "can_request": perms.can_request(user, group),
        "has_requested": queries.has_requested(user, group),
        "tags": [t.name for t in group.tags.all()],
    }


def _viewable(request: HttpRequest, slug: str) -> Group:
    group = queries.group_by_slug(slug)
    perms.check_can_view_group(request.user, group)
    return group


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = queries.DirectoryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.DirectoryFilters(
            q=data["q"],
            tag=data["tag"],
            sector=data["sector"],
            size=data["size"],
            sort=data["sort"] or "active",
            mine=data["mine"],
        )
    page = queries.directory(request.user, filters, after=queries.parse_directory_cursor(request.GET.get("after")))
    context = {"form": form, "page": page, "nav": "groups", "popular_tags": queries.tags_in_use()}
    return render(request, "groups/directory.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(_posted(request), request.FILES or None, initial={"privacy": "public"})
    if request.method == "POST" and form.is_valid():
        check_rate("group_create", request.user.pk, limit=10, period=86400)
        try:
            group = actions.create_group(creator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{group.name} is ready. Invite people from its Invitations page.")
            return redirect("posts:group", slug=group.slug)
    context = {"form": form, "nav": "groups", "creating": True}
    return render(request, "groups/form.html", context, status=400 if form.errors else 200)


def about(request: HttpRequest, slug: str) -> HttpResponse:
    group = _viewable(request, slug)
    context = group_context(request, group, "about")
    context.update(
        leaders=queries.leaders(group),
        resources=queries.pinned_resources(group, request.user),
        join_form=JoinForm(),
    )
    return render(request, "groups/about.html", context)


def members(request: HttpRequest, slug: str) -> HttpResponse:
    group = queries.group_by_slug(slug)
    perms.check_can_read_content(request.user, group)
    return _members_page(request, group)


def _members_page(request: HttpRequest, group: Group, *, error: str = "") -> HttpResponse:
    page = queries.members(group, request.user, before=cursor_param(request))
    context = group_context(request, group, "members")
    context.update(page=page, role_form=RoleForm(), remove_form=RemoveForm(), error=error)
    return render(request, "groups/members.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join a public group, or ask to join a private one; both after accepting its code of conduct."""
    group = _viewable(request, slug)
    form = JoinForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        check_rate("group_join", request.user.pk, limit=60, period=3600)
        accepted = form.cleaned_data["accept_conduct"]
        try:
            if perms.can_request(request.user, group):
                actions.request_to_join(
                    user=request.user, group=group, message=form.cleaned_data["message"], accept_conduct=accepted
                )
                messages.success(request, f"We asked {group.name}'s moderators to let you in.")
                return redirect("groups:about", slug=group.slug)
            actions.join(user=request.user, group=group, accept_conduct=accepted)
        except ValidationError as exc:
            form.add_error("accept_conduct", exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("groups:about", slug=group.slug)
        else:
            messages.success(request, f"Welcome to {group.name}.")
            return redirect("posts:group", slug=group.slug)
    context = group_context(request, group, "about")
    context["join_form"] = form
    return render(request, "groups/join.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = _viewable(request, slug)
    if request.POST.get("what") == "request":
        actions.withdraw_request(user=request.user, group=group)
        messages.success(request, "Your request is withdrawn.")
        return redirect("groups:about", slug=group.slug)
    try:
        actions.leave(user=request.user, group=group)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("groups:about", slug=group.slug)
    messages.success(request, f"You left {group.name}.")
    return (
        redirect("groups:directory")
        if not perms.can_view_group(request.user, group)
        else redirect("groups:about", slug=group.slug)
    )


@login_required
@require_POST
def home_preference(request: HttpRequest, slug: str) -> HttpResponse:
    group = _viewable(request, slug)
    form = HomePreferenceForm(request.POST)
    form.is_valid()
    show = bool(form.cleaned_data.get("show_in_home"))
    actions.set_home_preference(user=request.user, group=group, show_in_home=show)
    messages.success(request, "Its posts will appear in your home timeline." if show else "Its posts stay here.")
    return redirect(safe_next(request, reverse("groups:about", args=[group.slug])))


def _moderated(request: HttpRequest, slug: str) -> Group:
    group = queries.group_by_slug(slug)
    perms.check_can_moderate(request.user, group)
    return group


def _requests_page(request: HttpRequest, group: Group, *, error: str = "") -> HttpResponse:
    context = group_context(request, group, "requests")
    context.update(join_requests=list(queries.join_requests(group)[:200]), error=error)
    return render(request, "groups/requests.html", context, status=400 if error else 200)


@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    return _requests_page(request, _moderated(request, slug))


@login_required
@require_POST
def answer_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _moderated(request, slug)
    found = queries.join_request(group, pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):  # a blank or odd POST decides nothing
        return _requests_page(request, group, error="Approve or decline the request.")
    approve = decision == "approve"
    added = actions.answer_request(actor=request.user, join_request=found, approve=approve)
    name = found.user.profile.display_name
    if approve and added is None:
        messages.error(request, f"{name} is banned from the group, so their request is closed.")
    else:
        messages.success(request, f"{name} is now a member." if approve else f"You declined {name}'s request.")
    return redirect("groups:requests", slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    group = _moderated(request, slug)
    form = InvitationForm(_posted(request))
    new_link = None
    if request.method == "POST" and form.is_valid():
        check_rate("group_invite", request.user.pk, limit=60, period=3600)
        _, token = actions.create_invitation(actor=request.user, group=group, **form.cleaned_data)
        new_link = request.build_absolute_uri(reverse("groups:invite", args=[token]))
        form = InvitationForm()
    context = group_context(request, group, "invitations")
    context.update(form=form, new_link=new_link, invitations=queries.invitations(group))
    return render(request, "groups/invitations.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _moderated(request, slug)
    actions.revoke_invitation(actor=request.user, invitation=queries.invitation(group, pk))
    messages.success(request, "That link no longer works.")
    return redirect("groups:invitations", slug=group.slug)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: the group, its code of conduct, and a button to join.
    Unknown, expired, used-up and revoked links are all the same 404."""
    invitation = actions.invitation_for(token)
    group = invitation.group
    form = JoinForm(_posted(request))
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            check_rate("group_join", request.user.pk, limit=60, period=3600)
            try:
                actions.accept_invitation(
                    user=request.user, token=token, accept_conduct=form.cleaned_data["accept_conduct"]
                )
            except ValidationError as exc:
                form.add_error("accept_conduct", exc)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect("groups:directory")
            else:
                messages.success(request, f"Welcome to {group.name}.")
                return redirect("posts:group", slug=group.slug)
    context = {
        "group": group,
        "nav": "groups",
        "join_form": form,
        "membership": perms.membership(request.user, group),
        "tags": [t.name for t in group.tags.all()],
    }
    return render(request, "groups/invite.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = queries.group_by_slug(slug)
    perms.check_can_manage(request.user, group)
    initial = {
        "name": group.name,
        "summary": group.summary,
        "privacy": group.privacy,
        "about": group.about,
        "conduct": group.conduct,
        "sector": group.sector,
        "tags": ", ".join(t.name for t in group.tags.all()),
        "banner_alt": group.banner_alt,
    }
    form = GroupForm(_posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_group(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The group's settings are saved.")
            return redirect("groups:about", slug=group.slug)
    context = group_context(request, group, "settings")
    context["form"] = form
    return render(request, "groups/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    group = queries.group_by_slug(slug)
    perms.check_can_manage(request.user, group)
    if request.method == "POST":
        name = group.name
        actions.delete_group(actor=request.user, group=group)
        messages.success(request, f"{name} is deleted, with its posts.")
        return redirect("groups:directory")
    return render(request, "groups/delete.html", group_context(request, group, "settings"))


@login_required
@require_POST
def set_role(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    group = queries.group_by_slug(slug)
    perms.check_can_manage(request.user, group)
    target = queries.membership_for(group, handle)
    form = RoleForm(request.POST)
    if not form.is_valid():  # a blank or odd POST changes nothing
        return _members_page(request, group, error="Choose owner, moderator or member.")
    try:
        actions.set_role(actor=request.user, membership=target, role=form.cleaned_data["role"])
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{target.user.profile.display_name} is now {target.get_role_display().lower()}.")
    return redirect("groups:members", slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    group = _moderated(request, slug)
    target = queries.membership_for(group, handle)
    if not perms.can_remove(request.user, target):
        messages.error(request, "You cannot remove this member.")
        return redirect("groups:members", slug=group.slug)
    form = RemoveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_member(actor=request.user, membership=target, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            verb = "banned" if form.cleaned_data["ban"] else "removed"
            messages.success(request, f"{target.user.profile.display_name} is {verb}.")
            return redirect("groups:members", slug=group.slug)
    context = group_context(request, group, "members")
    context.update(form=form, target=target)
    return render(request, "groups/remove.html", context, status=400 if form.errors else 200)


@login_required
def bans(request: HttpRequest, slug: str) -> HttpResponse:
    group = _moderated(request, slug)
    context = group_context(request, group, "bans")
    context["bans"] = list(queries.bans(group)[:200])
    return render(request, "groups/bans.html", context)


@login_required
@require_POST
def unban(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    group = _moderated(request, slug)
    actions.unban(actor=request.user, group=group, user_id=user_id)
    messages.success(request, "The ban is lifted; they may ask to join again.")
    return redirect("groups:bans", slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: HttpRequest, slug: str) -> HttpResponse:
    group = _moderated(request, slug)
    form = ResourceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.pin_resource(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The resource is pinned to the group's about page.")
            return redirect("groups:resources", slug=group.slug)
    context = group_context(request, group, "resources")
    context.update(form=form, resources=list(group.resources.all()))
    return render(request, "groups/resources.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def unpin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _moderated(request, slug)
    resource = group.resources.filter(pk=pk).first()
    if resource is not None:
        actions.unpin_resource(actor=request.user, resource=resource)
        messages.success(request, "The resource is unpinned.")
    return redirect("groups:resources", slug=group.slug)
