"""Every write to members' profiles and interests. Keyword-only, atomic, side effects on commit."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from readingroom.accounts.models import RESERVED_HANDLES, Interest, Profile, ProfileLink, User, handle_matches
from readingroom.core.images import process_image
from readingroom.core.text import render_bio

MAX_INTERESTS = 20
MAX_FREE_TAG_LENGTH = 40
MAX_LINKS = 5
AVATAR_SIDE = 400

# Profile fields a member edits directly; counters, timestamps and bio_html are derived.
EDITABLE_FIELDS = (
    "display_name",
    "handle",
    "pronouns",
    "headline",
    "bio",
    "job_title",
    "organisation",
    "sector",
    "career_stage",
    "city",
    "region",
    "country",
    "time_zone",
    "languages",
    "open_to_mentoring",
    "seeking_mentor",
    "open_to_collaborate",
    "visibility",
    "discoverable",
    "locked",
    "default_post_visibility",
    "hidden_fields",
)
# Fields that feed Profile.search_text (people search); changing any of them refreshes it.
SEARCH_TEXT_FIELDS = frozenset(
    {"display_name", "handle", "headline", "job_title", "organisation", "sector", "city", "region", "country"}
    | {"hidden_fields"}
)


def profile_search_text(profile: Profile, interest_names: Iterable[str]) -> str:
    """The words people search finds a member by: name, handle, headline and the optional fields
    they let others see (a hidden field must not be discoverable by searching for it)."""
    hidden = set(profile.hidden_fields or [])
    parts = [profile.display_name, profile.handle, profile.headline]
    if "job_title" not in hidden:
        parts.append(profile.job_title)
    if "organisation" not in hidden:
        parts.append(profile.organisation)
    if "sector" not in hidden and profile.sector:
        parts.append(str(profile.get_sector_display()))
    if "location" not in hidden:
        parts += [profile.city, profile.region, profile.country.name if profile.country else ""]
    if "interests" not in hidden:
        parts += list(interest_names)
    return " ".join(part for part in parts if part)


def _interest_names(profile: Profile) -> list[str]:
    return list(profile.interests.order_by("name").values_list("name", flat=True))


def refresh_search_text(*, profile: Profile) -> Profile:
    text = profile_search_text(profile, _interest_names(profile))
    if text != profile.search_text:
        profile.search_text = text
        profile.save(update_fields=["search_text"])
    return profile


def refresh_all_search_texts(*, batch_size: int = 2000) -> int:
    """Recompute every profile's search text (after bulk loads that bypass these actions)."""
    through = Profile.interests.through
    done, after = 0, 0
    while True:
        profiles = list(Profile.objects.filter(user_id__gt=after).order_by("user_id")[:batch_size])
        if not profiles:
            return done
        names: dict[int, list[str]] = {}
        rows = through.objects.filter(profile_id__in=[p.pk for p in profiles]).order_by("interest__name")
        for profile_id, name in rows.values_list("profile_id", "interest__name"):
            names.setdefault(profile_id, []).append(name)
        for profile in profiles:
            profile.search_text = profile_search_text(profile, names.get(profile.pk, []))
        with transaction.atomic():
            Profile.objects.bulk_update(profiles, ["search_text"])
        done += len(profiles)
        after = profiles[-1].pk


@transaction.atomic
def create_member_profile(*, user: User, handle: str, display_name: str) -> Profile:
    profile = Profile(user=user, handle=handle.lower(), display_name=display_name.strip() or handle)
    profile.search_text = profile_search_text(profile, [])
    profile.save(force_insert=True)
    return profile


def generate_handle(*, seed: str) -> str:
    """A free, valid, unreserved handle derived from seed (e.g. an email's local part)."""
    base = re.sub(r"[^a-z0-9_]+", "_", seed.lower()).strip("_")[:24] or "member"
    if len(base) < 2 or base in RESERVED_HANDLES:
        base = f"{base}_member"[:24]
    candidate = base
    while Profile.objects.filter(handle_matches(candidate)).exists():
        candidate = f"{base}_{secrets.randbelow(10**5)}"
    return candidate


def ensure_profile(*, user: User) -> Profile:
    """The member's profile, created with a generated handle if missing (e.g. after createsuperuser)."""
    try:
        return Profile.objects.get(user=user)
    except Profile.DoesNotExist:
        pass
    for _attempt in range(5):
        handle = generate_handle(seed=user.email.split("@")[0])
        try:
            with transaction.atomic():
                profile = create_member_profile(user=user, handle=handle, display_name=handle)
        except IntegrityError:
            # Another request created this profile, or took the handle, meanwhile.
            existing = Profile.objects.filter(user=user).first()
            if existing is not None:
                return existing
            continue
        user.profile = profile
        return profile
    raise IntegrityError("could not find a free handle")


@transaction.atomic
def complete_onboarding(*, user: User) -> Profile:
    profile = ensure_profile(user=user)
    if profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
        profile.save(update_fields=["onboarded_at"])
    return profile


@transaction.atomic
def update_profile(*, profile: Profile, data: Mapping[str, Any]) -> Profile:
    """Set the given editable fields (others in data are ignored); re-render the bio if it changed."""
    fields = [name for name in EDITABLE_FIELDS if name in data]
    for name in fields:
        setattr(profile, name, data[name])
    if "handle" in fields:
        profile.handle = profile.handle.lower()
    if "hidden_fields" in fields:
        profile.hidden_fields = sorted(set(profile.hidden_fields) & set(Profile.HIDEABLE_FIELDS))
    if "bio" in fields:
        profile.bio_html = render_bio(profile.bio)
        fields.append("bio_html")
    if SEARCH_TEXT_FIELDS.intersection(fields):
        profile.search_text = profile_search_text(profile, _interest_names(profile))
        fields.append("search_text")
    if fields:
        profile.save(update_fields=fields)
    return profile


@transaction.atomic
def set_avatar(*, profile: Profile, upload) -> Profile:
    """Replace the avatar with a cleaned square copy of upload; raises ValidationError if unusable."""
    image, _width, _height = process_image(upload, max_side=AVATAR_SIDE, square=True)
    old_name = profile.avatar.name
    profile.avatar.save(image.name, image, save=False)
    profile.save(update_fields=["avatar"])
    _delete_file_on_commit(profile, old_name)
    return profile


@transaction.atomic
def clear_avatar(*, profile: Profile) -> Profile:
    old_name = profile.avatar.name
    if old_name:
        profile.avatar = ""
        profile.save(update_fields=["avatar"])
        _delete_file_on_commit(profile, old_name)
    return profile


def _delete_file_on_commit(profile: Profile, name: str) -> None:
    if name:
        storage = profile.avatar.storage
        transaction.on_commit(lambda: storage.delete(name))


def free_tag_slug(tag: str) -> str:
    return slugify(tag)[:60] or slugify(tag, allow_unicode=True)[:60]


@transaction.atomic
def set_interests(*, profile: Profile, vocabulary_ids: Iterable[int], free_tags: Iterable[str]) -> list[Interest]:
    """Replace the member's interests with vocabulary terms plus free tags (created as needed)."""
    chosen = list(Interest.objects.filter(in_vocabulary=True, pk__in=list(vocabulary_ids)))
    seen = {interest.slug for interest in chosen}
    for tag in free_tags:
        name = " ".join(tag.split())
        slug = free_tag_slug(name)
        if not slug or slug in seen:
            continue
        if len(name) > MAX_FREE_TAG_LENGTH:
            raise ValidationError(f"“{name[:40]}…” is longer than {MAX_FREE_TAG_LENGTH} characters.")
        interest, _created = Interest.objects.get_or_create(slug=slug, defaults={"name": name})
        chosen.append(interest)
        seen.add(slug)
    if len(chosen) > MAX_INTERESTS:
        raise ValidationError(f"Choose at most {MAX_INTERESTS} interests in all.")
    profile.interests.set(chosen)
    refresh_search_text(profile=profile)
    return chosen


@transaction.atomic
def set_links(*, profile: Profile, links: Sequence[tuple[str, str]]) -> list[ProfileLink]:
    """Replace the member's external links, in the order given (at most five)."""
    if len(links) > MAX_LINKS:
        raise ValidationError(f"Add at most {MAX_LINKS} links.")
    kinds = set(ProfileLink.Kind.values)
    for kind, url in links:
        # Checked here, not only in the form: a link is rendered as a live href on the profile.
        if kind not in kinds:
            raise ValidationError(f"Unknown kind of link: {kind!r}.")
        if not url.lower().startswith("https://") or len(url) > 300:
            raise ValidationError("Links must be https:// addresses of at most 300 characters.")
    profile.links.all().delete()
    rows = [ProfileLink(profile=profile, kind=kind, url=url, position=i) for i, (kind, url) in enumerate(links)]
    return ProfileLink.objects.bulk_create(rows)


@transaction.atomic
def edit_profile(
    *,
    profile: Profile,
    data: Mapping[str, Any],
    vocabulary_ids: Iterable[int],
    free_tags: Iterable[str],
    links: Sequence[tuple[str, str]],
    avatar=None,
    remove_avatar: bool = False,
) -> Profile:
    """Everything the profile edit page saves, all or nothing (an unusable avatar saves nothing)."""
    if avatar is not None:
        set_avatar(profile=profile, upload=avatar)
    elif remove_avatar:
        clear_avatar(profile=profile)
    update_profile(profile=profile, data=data)
    set_interests(profile=profile, vocabulary_ids=vocabulary_ids, free_tags=free_tags)
    set_links(profile=profile, links=links)
    return profile


def record_conduct_accepted(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(conduct_accepted_at=timezone.now())


# Moderation's tools (readingroom.moderation decides who may use them and records why). A
# suspended member is inactive: Django signs them out and every visibility rule already drops an
# inactive member's posts, replies, topics, messages and profile. A limited one is seen only by
# those who follow them (posts.models.PostQuerySet.visible_to) and may message only followers.
def suspend_member(*, user: User) -> User:
    user.is_active, user.suspended_at = False, timezone.now()
    user.save(update_fields=["is_active", "suspended_at"])
    return user


def unsuspend_member(*, user: User) -> User:
    user.is_active, user.suspended_at = True, None
    user.save(update_fields=["is_active", "suspended_at"])
    return user


def limit_member(*, user: User, limited: bool) -> User:
    user.limited_at = timezone.now() if limited else None
    user.save(update_fields=["limited_at"])
    return user
