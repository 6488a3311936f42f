"""Thin views: the digest settings page and the one-click unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from readingroom.core.ratelimit import check_rate
from readingroom.digests import actions, emails, queries
from readingroom.digests.forms import DigestSettingsForm
from readingroom.digests.schedule import member_zone


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    schedule = queries.schedule_for(request.user)
    initial = {"frequency": schedule.frequency, "weekday": schedule.weekday, "hour": schedule.hour}
    form = DigestSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        check_rate("digest_settings", request.user.pk, limit=60, period=300)
        if form.is_valid():
            actions.save_digest_settings(member=request.user, **form.cleaned_data)
            messages.success(request, "Your digest settings are saved.")
            return redirect("digests:settings")
    profile = getattr(request.user, "profile", None)  # staff made on the command line may have none yet
    zone = member_zone(profile.time_zone if profile else "UTC")
    next_at = schedule.next_digest_at.astimezone(zone) if schedule.next_digest_at else None
    last = queries.last_sent(request.user)
    context = {
        "form": form,
        "nav": "settings",
        "time_zone": zone.key.replace("_", " "),
        "schedule": queries.describe(schedule),
        "next_at": next_at,
        "last_sent": last.sent_at.astimezone(zone) if last and last.sent_at else None,
    }
    return render(request, "digests/settings.html", context)


@csrf_exempt  # RFC 8058: mail providers POST the one-click link with no session or token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST turns the digest off."""
    member_id = emails.read_unsubscribe_token(token)
    if member_id is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST" and not actions.turn_off(member_id=member_id):
        raise Http404("This unsubscribe link is not valid.")
    return render(request, "digests/unsubscribe.html", {"token": token, "done": request.method == "POST"})
