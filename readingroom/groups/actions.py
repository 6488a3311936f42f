"""Every write to groups: create and edit, join, ask and answer, invite, roles, remove and ban,
leave, pin resources, delete. Actions re-check permissions (views check too), keyword-only, atomic;
notifications go out on commit."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from readingroom.core.images import process_image
from readingroom.core.pagination import MAX_ID
from readingroom.core.text import render_bio
from readingroom.groups import hooks
from readingroom.groups import permissions as perms
from readingroom.groups.models import (
    Group,
    GroupBan,
    GroupTag,
    Invitation,
    JoinRequest,
    Membership,
    PinnedResource,
    Privacy,
    Role,
)
from readingroom.notifications import actions as notifications

TAG_RE = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,39}$")
MAX_TAGS = 10
MAX_RESOURCES = 20
INVITATION_DAYS = (1, 7, 30, 90)
RESERVED_SLUGS = {"new", "mine", "invite", "invitations", "api"}  # words the URLs use
NOTIFICATION_KINDS = ("group_request", "group_joined")
# A pinned resource is a link on the group's pages: a web address, never javascript: or data:.
RESOURCE_URL = URLValidator(schemes=["http", "https"], message="Link to a web page: an address starting https://.")


def clean_tags(raw: str | Iterable[str]) -> list[str]:
    """Comma-separated (or listed) tags, lower-cased and de-duplicated; a bad one is a clear error."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: dict[str, None] = {}
    for item in items:
        name = " ".join(str(item).split()).lower().lstrip("#")
        if not name:
            continue
        if not TAG_RE.match(name):
            raise ValidationError(
                f"“{name[:40]}” is not a tag: use up to 40 letters, digits, spaces, hyphens or underscores.",
                code="bad_tag",
            )
        tags.setdefault(name, None)
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"A group can have at most {MAX_TAGS} tags.", code="too_many_tags")
    return list(tags)


def _unique_slug(name: str, wanted: str = "") -> str:
    base = slugify(wanted or name)[:50].strip("-") or "group"
    if base in RESERVED_SLUGS:
        base = f"{base}-group"
    slug, n = base, 2
    while Group.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_tags(group: Group, tags: list[str]) -> None:
    GroupTag.objects.filter(group=group).exclude(name__in=tags).delete()
    GroupTag.objects.bulk_create([GroupTag(group=group, name=t) for t in tags], ignore_conflicts=True)


def _set_images(group: Group, avatar=None, banner=None) -> list[str]:
    """Process new images before saving; returns the files they replace, to delete on commit."""
    old = []
    if avatar:
        file, _, _ = process_image(avatar, max_side=400, square=True)
        old.append(group.avatar.name)
        group.avatar.save(f"{group.slug}.webp", file, save=False)
    if banner:
        file, _, _ = process_image(banner, max_side=1600)
        old.append(group.banner.name)
        group.banner.save(f"{group.slug}.webp", file, save=False)
    return [name for name in old if name]


@transaction.atomic
def create_group(
    *,
    creator,
    name: str,
    privacy: str,
    summary: str = "",
    about: str = "",
    conduct: str = "",
    sector: str = "",
    tags: Iterable[str] = (),
    slug: str = "",
    avatar=None,
    banner=None,
    banner_alt: str = "",
) -> Group:
    """The creator becomes the group's first owner, having accepted its code of conduct."""
    if privacy not in Privacy.values:
        raise ValidationError("Choose public, private or hidden.", code="bad_privacy")
    if banner and not banner_alt.strip():
        raise ValidationError("Describe the banner image for people who cannot see it.", code="alt_required")
    group = Group(
        slug=_unique_slug(name, slug),
        name=name.strip(),
        summary=summary.strip(),
        about=about,
        about_html=render_bio(about),
        conduct=conduct,
        conduct_html=render_bio(conduct),
        privacy=privacy,
        sector=sector,
        banner_alt=banner_alt.strip(),
        created_by=creator,
        members_count=1,
    )
    _set_images(group, avatar, banner)
    group.save()
    _set_tags(group, clean_tags(tags))
    Membership.objects.create(group=group, user=creator, role=Role.OWNER, conduct_accepted_at=timezone.now())
    perms.forget_membership(creator, group)
    return group


@transaction.atomic
def update_group(*, actor, group: Group, **fields) -> Group:
    """Owners change the group's settings. Making a public group private takes its posts with it:
    their boosts go, and only members see them from then on (content_q)."""
    perms.check_can_manage(actor, group)
    privacy = fields.get("privacy", group.privacy)
    if privacy not in Privacy.values:
        raise ValidationError("Choose public, private or hidden.", code="bad_privacy")
    for name in ("name", "summary", "sector", "banner_alt"):
        if name in fields:
            setattr(group, name, (fields[name] or "").strip())
    for name in ("about", "conduct"):
        if name in fields:
            setattr(group, name, fields[name])
            setattr(group, f"{name}_html", render_bio(fields[name]))
    if fields.get("banner") and not group.banner_alt:
        raise ValidationError("Describe the banner image for people who cannot see it.", code="alt_required")
    replaced = _set_images(group, fields.get("avatar"), fields.get("banner"))
    changed = privacy != group.privacy
    group.privacy = privacy
    group.save()
    if changed:  # the posts' stored visibility follows (posts listens: groups.hooks)
        hooks.privacy_changed(group.pk, privacy)
    if "tags" in fields:
        _set_tags(group, clean_tags(fields["tags"]))
    _delete_files_on_commit(replaced)
    return group


def _check_conduct(group: Group, accepted: bool) -> None:
    if group.conduct.strip() and not accepted:
        raise ValidationError("Please read and accept the group's code of conduct to join.", code="conduct_required")


def _add_member(group: Group, user, *, accepted_at) -> Membership:
    """Idempotent: joining twice keeps one membership and one count."""
    found, created = Membership.objects.get_or_create(
        group=group, user=user, defaults={"conduct_accepted_at": accepted_at}
    )
    if created:
        Group.objects.filter(pk=group.pk).update(members_count=F("members_count") + 1)
        JoinRequest.objects.filter(group=group, user=user).delete()
    perms.forget_membership(user, group)
    return found


@transaction.atomic
def join(*, user, group: Group, accept_conduct: bool = False) -> Membership:
    """Join a public group at once."""
    perms.check_can_view_group(user, group)
    existing = perms.membership(user, group)
    if existing is not None:
        return existing
    if not perms.can_join(user, group):
        raise PermissionDenied(_why_not(user, group))
    _check_conduct(group, accept_conduct)
    return _add_member(group, user, accepted_at=timezone.now() if group.conduct.strip() else None)


def _why_not(user, group: Group) -> str:
    if perms.is_banned(user, group):
        return "You cannot join this group."
    if group.privacy == Privacy.PRIVATE:
        return "This group is private: ask to join."
    return "This group takes members by invitation only."


@transaction.atomic
def request_to_join(*, user, group: Group, message: str = "", accept_conduct: bool = False) -> JoinRequest:
    """Ask to join a private group; its owners and moderators are told."""
    perms.check_can_view_group(user, group)
    if not perms.can_request(user, group):
        raise PermissionDenied(_why_not(user, group) if perms.membership(user, group) is None else "You are a member.")
    _check_conduct(group, accept_conduct)
    found, created = JoinRequest.objects.update_or_create(
        group=group,
        user=user,
        defaults={"message": message.strip(), "conduct_accepted_at": timezone.now() if accept_conduct else None},
    )
    if created:
        moderators = list(
            Membership.objects.filter(group=group, role__in=[Role.OWNER, Role.MODERATOR]).values_list(
                "user_id", flat=True
            )
        )
        group_id, user_id = group.pk, user.pk
        transaction.on_commit(
            lambda: [
                notifications.notify(kind="group_request", recipient_id=m, actor_id=user_id, subject_id=group_id)
                for m in moderators
            ]
        )
    return found


@transaction.atomic
def withdraw_request(*, user, group: Group) -> None:
    JoinRequest.objects.filter(group=group, user=user).delete()


@transaction.atomic
def answer_request(*, actor, join_request: JoinRequest, approve: bool) -> Membership | None:
    group = join_request.group
    perms.check_can_moderate(actor, group)
    join_request.delete()
    if not approve or perms.is_banned(join_request.user, group):
        return None
    found = _add_member(group, join_request.user, accepted_at=join_request.conduct_accepted_at)
    group_id, user_id, actor_id = group.pk, join_request.user_id, actor.pk
    transaction.on_commit(
        lambda: notifications.notify(kind="group_joined", recipient_id=user_id, actor_id=actor_id, subject_id=group_id)
    )
    return found


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_invitation(
    *, actor, group: Group, days: int = 7, max_uses: int | None = None, note: str = ""
) -> tuple[Invitation, str]:
    """A new invitation link. Returns the invitation and its token, which is not stored."""
    perms.check_can_moderate(actor, group)
    if days not in INVITATION_DAYS:
        raise ValidationError("Choose how long the link works: 1, 7, 30 or 90 days.", code="bad_expiry")
    if max_uses is not None and not 1 <= max_uses <= 1000:
        raise ValidationError("A link can be used from 1 to 1,000 times, or without limit.", code="bad_uses")
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        group=group,
        created_by=actor,
        digest=_digest(token),
        hint=token[:6],
        note=note.strip(),
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
    )
    return invitation, token


@transaction.atomic
def revoke_invitation(*, actor, invitation: Invitation) -> None:
    perms.check_can_moderate(actor, invitation.group)
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def invitation_for(token: str) -> Invitation:
    """The usable invitation a token names, or 404: unknown, expired, used up and revoked alike."""
    if not token or len(token) > 64:
        raise Http404("No such invitation")
    found = Invitation.objects.usable().select_related("group").filter(digest=_digest(token)).first()
    if found is None:
        raise Http404("No such invitation")
    return found


@transaction.atomic
def accept_invitation(*, user, token: str, accept_conduct: bool = False) -> Membership:
    invitation = invitation_for(token)
    group = invitation.group
    existing = perms.membership(user, group)
    if existing is not None:
        return existing
    if perms.is_banned(user, group):
        raise PermissionDenied("You cannot join this group.")
    _check_conduct(group, accept_conduct)
    # The use is counted in the same statement that checks the limit, so two people racing for
    # a link's last use cannot both have it.
    if not Invitation.objects.usable().filter(pk=invitation.pk).update(uses=F("uses") + 1):
        raise Http404("No such invitation")
    return _add_member(group, user, accepted_at=timezone.now() if group.conduct.strip() else None)


@transaction.atomic
def leave(*, user, group: Group) -> None:
    found = perms.membership(user, group)
    if found is None:
        return
    if found.role == Role.OWNER and not Membership.objects.filter(group=group, role=Role.OWNER).exclude(pk=found.pk):
        raise PermissionDenied("Make another member an owner before you leave: a group needs one.")
    _remove(found)
    perms.forget_membership(user, group)  # the caller's user object, not the membership's copy


def _remove(found: Membership) -> None:
    if Membership.objects.filter(pk=found.pk).delete()[0]:
        Group.objects.filter(pk=found.group_id, members_count__gt=0).update(members_count=F("members_count") - 1)
    _drop_from_home(found.group_id, found.user_id)
    perms.forget_membership(found.user, found.group)


def _drop_from_home(group_id: int, user_id: int) -> None:
    """The group's posts leave the member's home timeline (posts listens: groups.hooks)."""
    hooks.membership_ended(group_id, user_id)


@transaction.atomic
def remove_member(*, actor, membership: Membership, ban: bool = False, reason: str = "") -> None:
    """Remove a member; with `ban`, also bar them from rejoining. A ban needs a written reason."""
    perms.check_can_moderate(actor, membership.group)
    if not perms.can_remove(actor, membership):
        raise PermissionDenied("You cannot remove this member.")
    reason = reason.strip()
    if ban and not reason:
        raise ValidationError("Say why, for the member and for the other moderators.", code="reason_required")
    if ban:
        GroupBan.objects.update_or_create(
            group=membership.group, user=membership.user, defaults={"reason": reason[:500], "banned_by": actor}
        )
    _remove(membership)


@transaction.atomic
def unban(*, actor, group: Group, user_id: int) -> None:
    perms.check_can_moderate(actor, group)
    if 0 < user_id <= MAX_ID:  # a larger id names nobody (and overflows the database's integers)
        GroupBan.objects.filter(group=group, user_id=user_id).delete()


@transaction.atomic
def set_role(*, actor, membership: Membership, role: str) -> Membership:
    """Owners make members moderators or owners, and back; the last owner cannot step down."""
    perms.check_can_manage(actor, membership.group)
    if role not in Role.values:
        raise ValidationError("Choose owner, moderator or member.", code="bad_role")
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and not Membership.objects.filter(group=membership.group, role=Role.OWNER).exclude(pk=membership.pk).exists()
    ):
        raise PermissionDenied("A group needs an owner: make someone else an owner first.")
    Membership.objects.filter(pk=membership.pk).update(role=role)
    membership.role = role
    perms.forget_membership(membership.user, membership.group)
    return membership


@transaction.atomic
def set_home_preference(*, user, group: Group, show_in_home: bool) -> Membership:
    found = perms.membership(user, group)
    if found is None:
        raise Http404("No such group")
    Membership.objects.filter(pk=found.pk).update(show_in_home=show_in_home)
    found.show_in_home = show_in_home
    if not show_in_home:
        _drop_from_home(group.pk, user.pk)
    return found


@transaction.atomic
def pin_resource(*, actor, group: Group, title: str, url: str, note: str = "") -> PinnedResource:
    perms.check_can_moderate(actor, group)
    RESOURCE_URL(url)
    if group.resources.count() >= MAX_RESOURCES:
        raise ValidationError(f"A group can pin at most {MAX_RESOURCES} resources.", code="too_many_resources")
    last = group.resources.order_by("-position").values_list("position", flat=True).first()
    return PinnedResource.objects.create(
        group=group,
        title=title.strip(),
        url=url,
        note=note.strip(),
        position=(last or 0) + 1,
        added_by=actor,
    )


@transaction.atomic
def unpin_resource(*, actor, resource: PinnedResource) -> None:
    perms.check_can_moderate(actor, resource.group)
    resource.delete()


@transaction.atomic
def delete_group(*, actor, group: Group) -> None:
    """Owners delete the group, with its posts, memberships and invitations."""
    perms.check_can_manage(actor, group)
    notifications.forget_subjects(kind_slugs=NOTIFICATION_KINDS, subject_ids=[group.pk])
    files = [name for name in (group.avatar.name, group.banner.name) if name]
    hooks.group_deleting(group.pk)  # its posts go the way every deleted post goes
    group.delete()
    _delete_files_on_commit(files)


def _delete_files_on_commit(names: list[str]) -> None:
    """Replaced or deleted images go once the change is committed (a rollback keeps them)."""
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def touch(group_id: int) -> None:
    """Note activity (a post or reply) for the directory's "most active" order."""
    Group.objects.filter(pk=group_id).update(last_activity_at=timezone.now(), posts_count=F("posts_count") + 1)


def note_activity(group_id: int) -> None:
    """Note activity that is not a group post (a discussion topic or reply) for the directory's
    "most active" order; the posts count stays the group timeline's."""
    Group.objects.filter(pk=group_id).update(last_activity_at=timezone.now())
