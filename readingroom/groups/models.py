"""Groups: cohorts, interest groups and forums' homes. A group has a privacy level, members with
roles, join requests, invitation links, bans, pinned resources and a code of conduct.

Posts point at their group (posts.Post.group); whether someone may see a group's content is
`content_q` in groups/permissions.py, which Post.objects.visible_to applies to every post.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from readingroom.accounts.models import Sector


class Privacy(models.TextChoices):
    PUBLIC = "public", "Public: anyone may read it and any member may join"
    PRIVATE = "private", "Private: listed, but only its members read it; join by request or invitation"
    HIDDEN = "hidden", "Hidden: not listed; join by invitation only"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member"


class GroupQuerySet(models.QuerySet):
    def listed_to(self, viewer) -> GroupQuerySet:
        """Groups the directory shows: public and private to all; hidden ones to their members only."""
        if viewer is None or not viewer.is_authenticated:
            return self.exclude(privacy=Privacy.HIDDEN)
        mine = Membership.objects.filter(user=viewer).values("group")
        return self.filter(~Q(privacy=Privacy.HIDDEN) | Q(pk__in=mine))


class Group(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    summary = models.CharField("one-line summary", max_length=200, blank=True)
    about = models.TextField(max_length=5000, blank=True)
    about_html = models.TextField(blank=True, editable=False)
    conduct = models.TextField("code of conduct", max_length=5000, blank=True)
    conduct_html = models.TextField(blank=True, editable=False)
    privacy = models.CharField(max_length=10, choices=Privacy.choices, default=Privacy.PUBLIC)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    avatar = models.ImageField(upload_to="groups/avatars/", blank=True)
    banner = models.ImageField(upload_to="groups/banners/", blank=True)
    banner_alt = models.CharField("banner description", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    members_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)

    objects = GroupQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="group_activity_idx"),
            models.Index(fields=["-members_count", "-id"], name="group_size_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.privacy == Privacy.PUBLIC


class GroupTag(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=40)  # lower-case

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="group_tag_unique")]
        indexes = [models.Index(fields=["name", "group"], name="group_tag_name_idx")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    show_in_home = models.BooleanField("show this group's posts in my home timeline", default=True)
    conduct_accepted_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_unique")]
        # Keyset over a group's members (newest first), and a member's own groups.
        indexes = [
            models.Index(fields=["group", "-id"], name="membership_group_idx"),
            models.Index(fields=["user", "group"], name="membership_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.role})"

    @property
    def moderates(self) -> bool:
        return self.role in (Role.OWNER, Role.MODERATOR)


class GroupBan(models.Model):
    """A member removed and barred from rejoining, by request or by invitation, until unbanned."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="bans")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    banned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_ban_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} banned from {self.group_id}"


class JoinRequest(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=500, blank=True)
    conduct_accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="join_request_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} asks to join {self.group_id}"


class InvitationQuerySet(models.QuerySet):
    def usable(self) -> InvitationQuerySet:
        """Not revoked, not expired, not used up: the one test of whether a link still works."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).filter(
            Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses"))
        )


class Invitation(models.Model):
    """An invitation link: whoever holds it may join until it expires, is used up or revoked.
    Only the token's SHA-256 digest is stored; the link is shown once, when it is made."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)  # the token's first characters, to tell links apart
    note = models.CharField(max_length=120, blank=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(null=True, blank=True)  # None: no limit
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Invitation {self.hint}… to {self.group_id}"


class PinnedResource(models.Model):
    """A link moderators pin to the group page: reading lists, the cohort's timetable, a guide."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
