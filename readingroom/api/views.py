"""Settings → API tokens: create a token (its secret shown once) and revoke tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.api import actions, queries
from readingroom.api.forms import TokenForm
from readingroom.core.ratelimit import check_rate


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The list of tokens and the form to make one. A new token's secret is shown in the answer
    to the POST itself (never stored, never redirected through the session) and not cached."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST":
        check_rate("api_token", request.user.pk, limit=20, period=3600)
        if form.is_valid():
            try:
                created = actions.create_token(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": queries.tokens_of(user=request.user),
        "docs_url": reverse("api:v1:openapi-view"),
        "max_tokens": actions.MAX_ACTIVE_TOKENS,
        "nav": "settings",
    }
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_token(request, token_id: int):
    if not actions.revoke_token(user=request.user, token_id=token_id):
        raise Http404("No such token")
    messages.success(request, "The token is revoked: anything using it can no longer reach your account.")
    return redirect("api:tokens")
