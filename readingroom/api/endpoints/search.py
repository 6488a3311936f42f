"""Search: posts, people and hashtags, through the search app's form (so the same checks apply)
and its queries (so the same visibility rules apply), as readingroom/search/views.py does."""

from typing import Annotated, Literal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import ANYONE
from readingroom.api.common import ANYONE_SECURITY, READ_ERRORS, form_invalid, present, viewer
from readingroom.api.schemas import CareerStageCode, Id, Input, PersonOut, PostOut, SectorCode, Text
from readingroom.core.ratelimit import check_rate
from readingroom.network.queries import directory_interest_choices
from readingroom.search import queries
from readingroom.search.forms import SearchForm

router = Router(tags=["Search"])
SEARCHES_PER_MINUTE = 120  # the search page's own limit, in the same bucket
PREVIEW = 6  # people and hashtags shown with type=all; each section's next_url pages through the rest
Offset = Annotated[int, Field(ge=-12, le=14)]


class SearchQuery(Input):
    q: Text(200) = Field("", description="Words to find; the last may be the start of a word.")  # type: ignore[valid-type]
    type: Literal["all", "people", "posts", "hashtags"] = "all"
    sort: Literal["newest", "relevance"] = Field("newest", description="Order of posts.")
    sector: SectorCode = ""
    career_stage: CareerStageCode = ""
    interest: Text(60) = Field("", description="An interest's slug (people only).")  # type: ignore[valid-type]
    country: Annotated[str, Field(pattern=r"^([A-Z]{2})?$", max_length=2)] = ""
    utc_from: Offset | SkipJsonSchema[None] = Field(None, description="People whose time zone is at least UTC+this.")
    utc_to: Offset | SkipJsonSchema[None] = Field(None, description="People whose time zone is at most UTC+this.")
    open_to_mentoring: bool = False
    max_id: Id | SkipJsonSchema[None] = Field(None, description="type=posts by newest, or type=people: the cursor.")
    anchor: Id | SkipJsonSchema[None] = Field(None, description="type=posts by relevance: the ranking's anchor.")
    at: Annotated[int, Field(ge=0, le=queries.RELEVANCE_CANDIDATES)] | SkipJsonSchema[None] = Field(
        None, description="type=posts by relevance: the position to continue from."
    )


class HashtagHitOut(Schema):
    name: str
    url: str
    posts: int = Field(description=f"Posts using it that you could see by audience, up to {queries.HASHTAG_COUNT_CAP}.")
    more: bool = Field(description=f"More than {queries.HASHTAG_COUNT_CAP}.")


class SearchPeople(Schema):
    items: list[PersonOut]
    next_url: str | None


class SearchPosts(Schema):
    items: list[PostOut]
    next_url: str | None


class SearchOut(Schema):
    people: SearchPeople | None = Field(description="Signed-in members only, as on the search page.")
    posts: SearchPosts | None
    hashtags: list[HashtagHitOut] | None


def _form(request, query: SearchQuery) -> SearchForm:
    fields = ("q", "sort", "sector", "career_stage", "interest", "country", "utc_from", "utc_to")
    data = {name: "" if getattr(query, name) is None else str(getattr(query, name)) for name in fields}
    data["show"] = query.type
    if query.open_to_mentoring:
        data["open_to_mentoring"] = "on"
    signed_in = viewer(request).is_authenticated
    form = SearchForm(data, interests=directory_interest_choices(query.interest) if signed_in else [])
    if not form.is_valid():
        raise form_invalid(form, rename={"show": "type"}, location="query")
    return form


def _more(request, query: SearchQuery, kind: str, **cursor) -> str:
    params = {k: v for k, v in request.GET.items() if k not in ("type", "max_id", "anchor", "at")}
    params.update(type=kind, **{k: str(v) for k, v in cursor.items()})
    return request.build_absolute_uri(f"{reverse('api:v1:search')}?{urlencode(params)}")


@router.get(
    "/search",
    response={200: SearchOut, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="search",
)
def search(request: HttpRequest, response: HttpResponse, query: Query[SearchQuery]):
    """Find posts (by words), people (by words and filters; members only) and hashtags (by the start
    of their name). `type=all` answers a first look at each; a section's `next_url` reads on."""
    user = viewer(request)
    check_rate(
        "search",
        f"u{user.pk}" if user.is_authenticated else "ip" + request.META.get("REMOTE_ADDR", ""),
        limit=SEARCHES_PER_MINUTE,
        period=60,
    )
    form = _form(request, query)
    out = present(request)
    wants = {"people", "posts", "hashtags"} if query.type == "all" else {query.type}
    result: dict = {"people": None, "posts": None, "hashtags": None}
    filters = form.people_filters()
    if "people" in wants and user.is_authenticated and (form.people_terms or filters.any):
        page = queries.people(viewer=user, terms=form.people_terms, filters=filters, after=query.max_id)
        items = page.items[:PREVIEW] if query.type == "all" else page.items
        more = page.has_next or len(items) < len(page.items)
        cursor = {} if query.type == "all" else {"max_id": page.next_cursor}
        next_url = _more(request, query, "people", **cursor) if more else None
        result["people"] = {"items": [out.person(p) for p in items], "next_url": next_url}
    prefix = form.hashtag_prefix()
    if "hashtags" in wants and prefix:
        hits = queries.hashtags(
            viewer=user, prefix=prefix, limit=PREVIEW if query.type == "all" else queries.HASHTAG_LIMIT
        )
        result["hashtags"] = [
            {
                "name": h.name,
                "url": out.url(reverse("posts:hashtag", args=[h.name])),
                "posts": h.posts,
                "more": h.capped,
            }
            for h in hits
        ]
    if "posts" in wants and form.post_terms:
        result["posts"] = _posts(request, query, form, out)
    next_url = (result.get(query.type) or {}).get("next_url") if query.type in ("people", "posts") else None
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return result


def _posts(request, query: SearchQuery, form: SearchForm, out) -> dict:
    user = viewer(request)
    if query.sort == "relevance":
        page = queries.posts_by_relevance(viewer=user, terms=form.post_terms, anchor=query.anchor, at=query.at or 0)
        cursor = {"anchor": page.anchor, "at": page.next_at}
    else:
        page = queries.posts_newest(viewer=user, terms=form.post_terms, before=query.max_id)
        cursor = {"max_id": page.next_cursor}
    next_url = _more(request, query, "posts", **cursor) if page.has_next else None
    return {"items": [out.post(p) for p in page.items], "next_url": next_url}
