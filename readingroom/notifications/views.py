"""Thin views: the notifications page, its read actions, the header badge, settings, unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readingroom.core.http import cursor_param, safe_next
from readingroom.core.ratelimit import check_rate
from readingroom.notifications import actions, emails, kinds, queries
from readingroom.notifications.forms import MarkAllReadForm, PreferencesForm


def _kind_param(request: HttpRequest) -> str | None:
    slug = request.GET.get("kind") or ""
    return slug if kinds.get(slug) is not None else None


def _list_url(kind: str | None) -> str:
    url = reverse("notifications:list")
    return f"{url}?kind={kind}" if kind else url


def _list_context(request: HttpRequest, kind: str | None, before: int | None, *, next_url: str) -> dict:
    page = queries.notification_page(viewer=request.user, kind=kind, before=before)
    return {
        "next_url": next_url,
        "nav": "notifications",
        "page": page,
        "kind": kind,
        "kinds": kinds.all_kinds(),
        # "Mark all as read" covers what this page showed and older, never activity that arrived since.
        "up_to": page.items[0].position if page.items and before is None else "",
        "list_url": _list_url(kind),
    }


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    context = _list_context(request, _kind_param(request), cursor_param(request), next_url=request.get_full_path())
    return render(request, "notifications/list.html", context)


@never_cache
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, polled by htmx. Visitors (e.g. after signing out elsewhere) get nothing."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    count = queries.unread_count(request.user)
    return render(request, "notifications/_badge.html", {"count": count, "label": queries.badge_label(count)})


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its subject, marking it read on the way."""
    notification = queries.notification_for(request.user, pk)
    if notification is None:
        raise Http404("No such notification")
    actions.mark_read(member=request.user, notification_id=notification.pk)
    return redirect(notification.description.url)


def _badge_oob(request: HttpRequest) -> dict:
    count = queries.unread_count(request.user)
    return {"oob_badge": True, "count": count, "label": queries.badge_label(count)}


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    check_rate("notifications", request.user.pk, limit=600, period=300)
    if not actions.mark_read(member=request.user, notification_id=pk):
        raise Http404("No such notification")
    if not request.htmx:
        return redirect(safe_next(request, reverse("notifications:list")))
    notification = queries.notification_for(request.user, pk)
    if notification is None:  # it became invisible meanwhile: remove it from the page
        return render(request, "notifications/_badge_oob.html", _badge_oob(request))
    context = {"n": notification, "next_url": safe_next(request, reverse("notifications:list")), **_badge_oob(request)}
    return render(request, "notifications/_item_response.html", context)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    check_rate("notifications", request.user.pk, limit=600, period=300)
    form = MarkAllReadForm(request.POST)
    kind = up_to = None
    if form.is_valid():
        kind, up_to = form.cleaned_data["kind"], form.cleaned_data["up_to"]
    actions.mark_all_read(member=request.user, kind=kind, up_to=up_to)
    if not request.htmx:
        messages.success(request, "All notifications are marked as read.")
        return redirect(_list_url(kind))
    context = {
        **_list_context(request, kind, None, next_url=_list_url(kind)),
        **_badge_oob(request),
        "status_message": "All notifications are marked as read.",
    }
    return render(request, "notifications/_items_response.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    deliveries = queries.deliveries(request.user)
    quiet = queries.quiet_hours(request.user)
    initial = {"quiet_start": quiet.start, "quiet_end": quiet.end} if quiet else {}
    form = PreferencesForm(request.POST or None, initial=initial, deliveries=deliveries)
    if request.method == "POST":
        check_rate("notification_settings", request.user.pk, limit=60, period=300)
        if form.is_valid():
            actions.save_preferences(member=request.user, deliveries=form.deliveries(), quiet=form.quiet())
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:settings")
    profile = getattr(request.user, "profile", None)  # staff made on the command line may have none yet
    context = {"form": form, "nav": "settings", "time_zone": profile.time_zone if profile else "UTC"}
    return render(request, "notifications/settings.html", context)


@csrf_exempt  # RFC 8058: mail providers POST the one-click link with no session or token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST unsubscribes."""
    found = emails.read_unsubscribe_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    member_id, kind = found
    context = {"kind_label": kinds.get(kind).label.lower(), "token": token, "done": request.method == "POST"}
    if request.method == "POST" and not actions.unsubscribe(member_id=member_id, kind=kind):
        raise Http404("This unsubscribe link is not valid.")
    return render(request, "notifications/unsubscribe.html", context)
