"""Request and response shapes. Inputs are bounded exactly as the pages' forms are (the forms
then validate them again, so the messages match); outputs describe what the API sends."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from ninja import Schema
from pydantic import AfterValidator, BaseModel, Field, StrictBool, StrictInt, model_validator
from pydantic.json_schema import SkipJsonSchema

from readingroom.accounts import actions as account_actions
from readingroom.accounts.models import CareerStage, Profile, ProfileLink, Sector
from readingroom.core.jsontypes import JsonDate, Text, storable
from readingroom.core.pagination import MAX_ID

PAGE_LIMIT_MAX = 40
PAGE_LIMIT_DEFAULT = 20


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# For JSON bodies, where every value arrives with its JSON type (core.jsontypes): no "5" or true
# for an id, no number for a date. Query strings keep the lax Id above.
BodyId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Day = JsonDate
Handle = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(storable)]
GroupSlug = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(storable)]
Visibility = Literal["public", "members", "followers"]
SectorCode = Literal[tuple(["", *Sector.values])]  # type: ignore[valid-type]
CareerStageCode = Literal[tuple(["", *CareerStage.values])]  # type: ignore[valid-type]
HideableField = Literal[tuple(Profile.HIDEABLE_FIELDS)]  # type: ignore[valid-type]
LinkKind = Literal[tuple(ProfileLink.Kind.values)]  # type: ignore[valid-type]


# --- Inputs ----------------------------------------------------------------------------------


class Input(BaseModel):
    """Plain pydantic for inputs: ninja's Schema reads attributes off any object, so it would
    accept a JSON list or string as an empty object instead of refusing it."""


class PostIn(Input):
    body: Text(settings.RR_POST_MAX_CHARS) = ""  # type: ignore[valid-type]
    visibility: Visibility | None = Field(None, description="Defaults to the member's default audience.")
    reply_to: Id | None = Field(None, description="The id of the post this answers.")
    group: GroupSlug | None = Field(
        None,
        description="A group's slug: post in that group (members only). The group's privacy sets the audience; "
        "a reply belongs to the group of what it answers.",
    )


class PostEditIn(Input):
    body: Text(settings.RR_POST_MAX_CHARS, min_length=1) | None = Field(None, description="Unchanged when left out.")  # type: ignore[valid-type]
    visibility: Visibility | None = Field(None, description="Unchanged when left out.")


class LinkIn(Input):
    kind: LinkKind
    url: Text(300, min_length=1)  # type: ignore[valid-type]


class ProfilePatchIn(Input):
    """Only the fields sent change. The same checks as the profile page apply."""

    display_name: Text(80) | None = None  # type: ignore[valid-type]
    handle: Text(40) | None = None  # type: ignore[valid-type]
    pronouns: Text(40) | None = None  # type: ignore[valid-type]
    headline: Text(160) | None = None  # type: ignore[valid-type]
    bio: Text(5000) | None = None  # type: ignore[valid-type]
    job_title: Text(120) | None = None  # type: ignore[valid-type]
    organisation: Text(160) | None = None  # type: ignore[valid-type]
    sector: SectorCode | None = None
    career_stage: CareerStageCode | None = None
    city: Text(80) | None = None  # type: ignore[valid-type]
    region: Text(80) | None = None  # type: ignore[valid-type]
    country: Annotated[str, Field(pattern=r"^([A-Z]{2})?$", max_length=2)] | None = None
    time_zone: Text(64) | None = None  # type: ignore[valid-type]
    languages: Text(200) | None = None  # type: ignore[valid-type]
    open_to_mentoring: StrictBool | None = None
    seeking_mentor: StrictBool | None = None
    open_to_collaborate: StrictBool | None = None
    visibility: Visibility | None = None
    discoverable: StrictBool | None = None
    locked: StrictBool | None = None
    default_post_visibility: Visibility | None = None
    hidden_fields: list[HideableField] | None = Field(None, max_length=len(Profile.HIDEABLE_FIELDS))
    interests: list[Text(60, min_length=1)] | None = Field(  # type: ignore[valid-type]
        None, max_length=account_actions.MAX_INTERESTS, description="Vocabulary names or your own tags."
    )
    links: list[LinkIn] | None = Field(None, max_length=account_actions.MAX_LINKS)


class PageQuery(Input):
    # SkipJsonSchema: a query parameter is absent or a number; "null" is not something to send.
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only items older than this cursor (the `next` link).")
    min_id: Annotated[int, Field(ge=0, le=MAX_ID)] | SkipJsonSchema[None] = Field(
        None, description="Only items just newer than this cursor (the `prev` link); 0 reads from the oldest."
    )
    limit: Annotated[int, Field(ge=1, le=PAGE_LIMIT_MAX)] = PAGE_LIMIT_DEFAULT

    @model_validator(mode="after")
    def _one_direction(self):
        if self.max_id is not None and self.min_id is not None:
            raise ValueError("Use max_id or min_id, not both.")
        return self


class ProfilePostsQuery(PageQuery):
    with_replies: bool = False


class ListQuery(Input):
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only items older than this cursor (the `next` link).")


# --- Outputs ---------------------------------------------------------------------------------


class MemberOut(Schema):
    handle: str
    display_name: str
    url: str
    avatar_url: str | None


class ImageOut(Schema):
    url: str
    width: int
    height: int
    alt_text: str


class PostFields(Schema):
    id: int
    url: str
    author: MemberOut
    body: str
    body_html: str
    visibility: Visibility
    created_at: datetime
    edited_at: datetime | None
    reply_to_id: int | None
    reply_to_handle: str | None
    thread_root_id: int | None
    replies_count: int
    likes_count: int
    boosts_count: int
    liked: bool = Field(description="For a boost: whether you liked the boosted post.")
    boosted: bool
    bookmarked: bool
    images: list[ImageOut]


class PostOut(PostFields):
    boost_of: PostFields | None = Field(description="Set when this is a boost: the post it shares.")


class ThreadPostOut(PostOut):
    depth: int = Field(description="1 for a direct reply to the post, 2 for a reply to that, …")


class ThreadOut(Schema):
    ancestors: list[PostOut]
    post: PostOut
    descendants: list[ThreadPostOut]


class EditOut(Schema):
    body: str
    body_html: str
    created_at: datetime = Field(description="When this version was first published.")


class HistoryOut(Schema):
    post: PostOut
    edits: list[EditOut] = Field(description="Earlier versions, newest first.")


class RelationshipOut(Schema):
    following: bool
    requested: bool
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    is_self: bool


class InterestOut(Schema):
    slug: str
    name: str


class LinkOut(Schema):
    kind: str
    url: str


class ProfileOut(Schema):
    """A member's profile as the caller may see it: fields the member hides are null."""

    handle: str
    display_name: str
    url: str
    avatar_url: str | None
    headline: str
    bio_html: str
    pronouns: str | None
    job_title: str | None
    organisation: str | None
    sector: str | None
    career_stage: str | None
    city: str | None
    region: str | None
    country: str | None
    time_zone: str | None
    languages: list[str] | None
    interests: list[InterestOut] | None
    links: list[LinkOut] | None
    open_to_mentoring: bool
    seeking_mentor: bool
    open_to_collaborate: bool
    locked: bool
    followers_count: int
    following_count: int
    posts_count: int
    relationship: RelationshipOut | None = Field(description="How you stand with this member (signed in only).")


class OwnProfileOut(Schema):
    handle: str
    display_name: str
    url: str
    avatar_url: str | None
    pronouns: str
    headline: str
    bio: str
    bio_html: str
    job_title: str
    organisation: str
    sector: str
    career_stage: str
    city: str
    region: str
    country: str
    time_zone: str
    languages: str
    interests: list[InterestOut]
    links: list[LinkOut]
    open_to_mentoring: bool
    seeking_mentor: bool
    open_to_collaborate: bool
    visibility: Visibility
    discoverable: bool
    locked: bool
    default_post_visibility: Visibility
    hidden_fields: list[str]
    followers_count: int
    following_count: int
    posts_count: int


class AccountOut(Schema):
    email: str
    date_joined: datetime
    is_staff: bool


class MeOut(Schema):
    account: AccountOut
    profile: OwnProfileOut
    token_scope: Literal["read", "write"] | None = Field(description="The scope of the token used; null for a session.")


class PersonOut(MemberOut):
    headline: str
    job_title: str | None
    organisation: str | None
    following: bool
    requested: bool


class FollowRequestOut(Schema):
    id: int
    requester: MemberOut
    created_at: datetime


class RelatedMemberOut(Schema):
    member: MemberOut
    created_at: datetime


class RelationshipChangeOut(Schema):
    state: Literal["following", "requested", "none"] = Field(description="Your follow of this member now.")
    relationship: RelationshipOut


class HashtagOut(Schema):
    name: str
    url: str
    following: bool


def _page(item: type, name: str, *, forward: bool) -> type[Schema]:
    fields = {
        "__annotations__": {"items": list[item], "next_url": str | None, "next_max_id": int | None},
        "__doc__": "One page, newest first. Follow `next_url` (also in the Link header) for older items.",
    }
    if forward:
        fields["__annotations__"].update({"prev_url": str | None, "prev_min_id": int | None})
        fields["__doc__"] += " `prev_url` reads newer items, for catching up."
    return type(name, (Schema,), fields)


PostPage = _page(PostOut, "PostPage", forward=True)
PersonPage = _page(PersonOut, "PersonPage", forward=False)
FollowRequestPage = _page(FollowRequestOut, "FollowRequestPage", forward=False)
RelatedMemberPage = _page(RelatedMemberOut, "RelatedMemberPage", forward=False)
