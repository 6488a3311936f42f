"""The search page: one GET form, full page without JavaScript, results partial for htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from readingroom.core.http import cursor_param
from readingroom.core.ratelimit import check_rate
from readingroom.network.queries import directory_interest_choices
from readingroom.search import queries
from readingroom.search.forms import SearchForm

PREVIEW_PEOPLE = 6  # people shown in "Everything"; the People tab pages through all of them
PREVIEW_HASHTAGS = 8
SEARCHES_PER_MINUTE = 120  # typing with htmx sends about one request a second at most


def _rate_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return "ip" + request.META.get("REMOTE_ADDR", "")


def _results(request: HttpRequest, form: SearchForm) -> dict:
    viewer, show = request.user, form.chosen_show()
    people_filters = form.people_filters()
    out: dict = {"show": show, "sort": form.chosen_sort(), "searched": False}
    if not form.query_ok():
        out["status"] = "Please correct the search."
        return out
    wants = {"people", "posts", "hashtags"} if show == "all" else {show}
    people_terms, post_terms = form.people_terms, form.post_terms
    if "people" in wants and viewer.is_authenticated and (people_terms or people_filters.any):
        page = queries.people(
            viewer=viewer, terms=people_terms, filters=people_filters, after=cursor_param(request, "after")
        )
        if show == "all":
            out["more_people"] = page.has_next or len(page.items) > PREVIEW_PEOPLE
            page.items = page.items[:PREVIEW_PEOPLE]
        out["people"], out["searched"] = page, True
    prefix = form.hashtag_prefix()
    if "hashtags" in wants and prefix:
        limit = PREVIEW_HASHTAGS if show == "all" else queries.HASHTAG_LIMIT
        out["hashtags"] = queries.hashtags(viewer=viewer, prefix=prefix, limit=limit)
        out["hashtags_searched"] = out["searched"] = True
    if "posts" in wants and post_terms:
        if out["sort"] == "relevance":
            at = cursor_param(request, "at") or 0
            posts = queries.posts_by_relevance(
                viewer=viewer, terms=post_terms, anchor=cursor_param(request, "anchor"), at=at
            )
        else:
            posts = queries.posts_newest(viewer=viewer, terms=post_terms, before=cursor_param(request, "before"))
        out["posts"], out["searched"] = posts, True
    out["status"] = _status(out)
    return out


def _count(items: list, more: bool, one: str, many: str) -> str:
    return f"{len(items)}{'+' if more else ''} {one if len(items) == 1 and not more else many}"


def _status(out: dict) -> str:
    """The line a screen reader announces when results change (role=status)."""
    if not out["searched"]:
        return ""
    found = []
    if "people" in out:
        page = out["people"]
        found.append(_count(page.items, page.has_next or out.get("more_people", False), "person", "people"))
    if out.get("hashtags_searched"):
        found.append(_count(out["hashtags"], False, "hashtag", "hashtags"))
    if "posts" in out:
        found.append(_count(out["posts"].items, out["posts"].has_next, "post", "posts"))
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return f"Found {listed}."


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    selected = request.GET.get("interest", "")
    interests = directory_interest_choices(selected) if request.user.is_authenticated else []
    form = SearchForm(request.GET or None, interests=interests)
    context = {
        "form": form,
        "nav": "search",
        "q": form.valid("q") if form.is_bound else "",
        "relevance_candidates": queries.RELEVANCE_CANDIDATES,
    }
    if form.is_bound:
        check_rate("search", _rate_key(request), limit=SEARCHES_PER_MINUTE, period=60)
        context |= _results(request, form)
    context["next_url"] = request.get_full_path()
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "search/search.html#results", context)
    return render(request, "search/search.html", context)
