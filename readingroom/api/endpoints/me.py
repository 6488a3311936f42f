"""The caller's own account and profile. Profile changes go through the profile page's form and
action (readingroom/accounts/views.profile_edit), so the API accepts exactly what the page does."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from ninja import Router

from readingroom.accounts import actions, queries
from readingroom.accounts.forms import ProfileForm
from readingroom.accounts.models import Profile
from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import READ_ERRORS, WRITE_ERRORS, form_invalid, present, viewer
from readingroom.api.errors import ApiError
from readingroom.api.schemas import MeOut, OwnProfileOut, ProfilePatchIn
from readingroom.core.ratelimit import check_rate

router = Router(tags=["Account"])


@router.get("/me", response={200: MeOut, **READ_ERRORS}, auth=MEMBER_READ, url_name="me")
def me(request: HttpRequest):
    """Your account and your whole profile, including what you hide from others."""
    user = viewer(request)
    actions.ensure_profile(user=user)
    token = request.auth.token
    return {
        "account": {"email": user.email, "date_joined": user.date_joined, "is_staff": user.is_staff},
        "profile": present(request).own_profile(queries.profile_for_edit(user)),
        "token_scope": token.scope if token else None,
    }


def _current(profile: Profile) -> dict:
    """The profile page's form data for the profile as it is (what an untouched form submits)."""
    data = {name: getattr(profile, name) for name in ProfileForm._meta.fields}
    data["country"] = profile.country.code or ""
    data.update({f"hide_{name}": name in profile.hidden_fields for name in Profile.HIDEABLE_FIELDS})
    interests = list(profile.interests.all())
    data["vocabulary"] = [str(i.pk) for i in interests if i.in_vocabulary]
    data["free_tags"] = ", ".join(i.name for i in interests if not i.in_vocabulary)
    for i, link in enumerate(profile.links.all()):
        data[f"link_{i}_kind"], data[f"link_{i}_url"] = link.kind, link.url
    return data


def _apply(data: dict, changes: dict) -> dict:
    hidden = changes.pop("hidden_fields", None)
    if hidden is not None:
        data.update({f"hide_{name}": name in hidden for name in Profile.HIDEABLE_FIELDS})
    interests = changes.pop("interests", None)
    if interests is not None:
        vocabulary = {}
        for term in queries.vocabulary_interests():
            vocabulary[term.name.lower()] = vocabulary[term.slug] = str(term.pk)
        chosen = [vocabulary.get(name.strip().lower()) for name in interests]
        data["vocabulary"] = [pk for pk in chosen if pk]
        data["free_tags"] = ", ".join(name for name, pk in zip(interests, chosen, strict=True) if not pk)
    links = changes.pop("links", None)
    if links is not None:
        for i in range(actions.MAX_LINKS):
            link = links[i] if i < len(links) else {"kind": "", "url": ""}
            data[f"link_{i}_kind"], data[f"link_{i}_url"] = link["kind"], link["url"]
    data.update(changes)
    return data


# The page form's field names → the API's.
_RENAME = {
    "vocabulary": "interests",
    "free_tags": "interests",
    **{f"hide_{name}": "hidden_fields" for name in Profile.HIDEABLE_FIELDS},
    **{f"link_{i}_{part}": f"links.{i}.{part}" for i in range(actions.MAX_LINKS) for part in ("kind", "url")},
}


@router.patch("/me/profile", response={200: OwnProfileOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="my_profile")
def update_profile(request: HttpRequest, payload: ProfilePatchIn):
    """Change any of your profile's fields; the ones left out stay as they are."""
    user = viewer(request)
    actions.ensure_profile(user=user)
    check_rate("profile_edit", user.pk, limit=30, period=300)
    profile = queries.profile_for_edit(user)
    data = _apply(_current(profile), payload.model_dump(exclude_unset=True, exclude_none=True))
    form = ProfileForm(data, instance=profile)
    if not form.is_valid():
        raise form_invalid(form, rename=_RENAME)
    vocabulary_ids, free_tags = form.interest_choices()
    try:
        actions.edit_profile(
            profile=form.instance,
            data=form.profile_data(),
            vocabulary_ids=vocabulary_ids,
            free_tags=free_tags,
            links=form.links(),
        )
    except ValidationError as error:
        raise form_invalid_from(error) from error
    except IntegrityError as error:
        # Only the case-insensitive handle constraint can fail here: someone took it a moment ago.
        message = "That handle is already taken. Please choose another."
        fields = [{"field": "handle", "location": "body", "code": "taken", "message": message}]
        raise ApiError(422, "validation_failed", message, fields=fields) from error
    return present(request).own_profile(queries.profile_for_edit(user))


def form_invalid_from(error: ValidationError) -> ApiError:
    message = " ".join(error.messages)
    fields = [{"field": "__all__", "location": "body", "code": error.code or "invalid", "message": message}]
    return ApiError(422, "validation_failed", message, fields=fields)
