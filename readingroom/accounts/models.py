"""Members and their professional identity."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django_countries.fields import CountryField

from readingroom.core.models import Visibility

HANDLE_VALIDATOR = RegexValidator(
    r"^[a-z0-9_]{2,30}$",
    "A handle is 2 to 30 characters: lower-case letters, digits and underscores.",
)
RESERVED_HANDLES = {
    "admin",
    "api",
    "accounts",
    "static",
    "media",
    "settings",
    "about",
    "help",
    "support",
    "moderator",
    "staff",
    "readingroom",
    "root",
    "system",
    "tags",
    "local",
    "home",
    "people",
    "welcome",
    "onboarding",
    "login",
    "logout",
    "signup",
}


def handle_matches(handle: str) -> Exact:
    """A case-insensitive handle filter that uses the Lower(handle) unique index: `handle__iexact`
    compiles to LIKE (SQLite) or UPPER() (PostgreSQL), which scan every profile instead."""
    return Exact(Lower("handle"), handle.lower())


@cache  # available_timezones() reads the whole tz database from disk on every call
def time_zone_choices() -> list[tuple[str, str]]:
    return [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz or tz == "UTC"]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractUser):
    """Sign-in identity. Everything a member shows to others lives on Profile."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True, max_length=254)
    # Updated at most every few minutes by ActivityMiddleware; fan-out skips long-absent members.
    last_seen_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Moderation (readingroom.moderation records who and why): a suspended member is also
    # is_active=False, which every visibility rule already reads; a limited one is seen by followers only.
    suspended_at = models.DateTimeField(null=True, blank=True)
    limited_at = models.DateTimeField(null=True, blank=True)
    conduct_accepted_at = models.DateTimeField("accepted the code of conduct", null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.email


class Sector(models.TextChoices):
    ACADEMIC = "academic", "Academic library"
    PUBLIC = "public", "Public library"
    SCHOOL = "school", "School library"
    SPECIAL = "special", "Special library"
    NATIONAL = "national", "National library"
    HEALTH = "health", "Health library"
    LAW = "law", "Law library"
    ARCHIVE = "archive", "Archive"
    MUSEUM = "museum", "Museum"
    GALLERY = "gallery", "Gallery"
    RECORDS = "records", "Records management"
    EDUCATION = "education", "LIS education"
    OTHER = "other", "Other"


class CareerStage(models.TextChoices):
    STUDENT = "student", "Student"
    ONLINE_STUDENT = "online_student", "Online student"
    NEW_PROFESSIONAL = "new_professional", "New professional"
    CAREER_CHANGER = "career_changer", "Career changer"
    MID_CAREER = "mid_career", "Mid-career"
    SENIOR = "senior", "Senior"
    RETIRED = "retired", "Retired"


class Interest(models.Model):
    """An interest or specialism. Seeded vocabulary terms plus members' own free tags."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=60)
    in_vocabulary = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    # Optional fields a member may hide from others individually (see hidden_fields).
    HIDEABLE_FIELDS = (
        "pronouns",
        "job_title",
        "organisation",
        "sector",
        "career_stage",
        "location",
        "time_zone",
        "languages",
        "links",
        "interests",
    )

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="profile")
    handle = models.CharField(max_length=30, unique=True, validators=[HANDLE_VALIDATOR])
    display_name = models.CharField(max_length=80)
    pronouns = models.CharField(max_length=40, blank=True)
    headline = models.CharField(max_length=160, blank=True)
    bio = models.TextField(max_length=5000, blank=True)
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    job_title = models.CharField("role or job title", max_length=120, blank=True)
    organisation = models.CharField(max_length=160, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True, db_index=True)
    career_stage = models.CharField(max_length=20, choices=CareerStage.choices, blank=True, db_index=True)
    city = models.CharField("city or town", max_length=80, blank=True)
    region = models.CharField("region or state", max_length=80, blank=True)
    country = CountryField(blank=True, db_index=True)
    time_zone = models.CharField(max_length=64, default="UTC", choices=time_zone_choices)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages you work in, comma separated.")
    interests = models.ManyToManyField(Interest, blank=True, related_name="profiles")
    open_to_mentoring = models.BooleanField("open to mentoring others", default=False, db_index=True)
    seeking_mentor = models.BooleanField("looking for a mentor", default=False, db_index=True)
    open_to_collaborate = models.BooleanField(default=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)
    discoverable = models.BooleanField("list me in the directory and suggestions", default=True, db_index=True)
    locked = models.BooleanField("approve follow requests", default=False)
    default_post_visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    hidden_fields = models.JSONField(default=list, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)
    # What people search matches (search's full-text index follows this column): the fields others
    # may see, as words. Kept by accounts.actions on every profile write; see profile_search_text.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("handle"), name="profile_handle_ci_unique")]

    def __str__(self) -> str:
        return f"@{self.handle}"

    def shows(self, field: str) -> bool:
        return field not in self.hidden_fields

    @property
    def time_zone_label(self) -> str:
        # What get_time_zone_display returns, without Django flattening ~600 choices per call.
        return self.time_zone.replace("_", " ")


class ProfileLink(models.Model):
    class Kind(models.TextChoices):
        BLOG = "blog", "Blog"
        LINKEDIN = "linkedin", "LinkedIn"
        MASTODON = "mastodon", "Mastodon"
        ORCID = "orcid", "ORCID"
        WEBSITE = "website", "Website"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = models.URLField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"


# --- The social graph: follows, follow requests, blocks and mutes --------------------------


class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    followee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(condition=~models.Q(follower=models.F("followee")), name="follow_not_self"),
        ]
        # (followee, follower) serves fan-out and followers lists; the unique index serves the rest.
        indexes = [models.Index(fields=["followee", "follower"], name="follow_followee_idx")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class FollowRequest(models.Model):
    """A pending follow of a locked account, until the account approves or declines it."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["requester", "target"], name="follow_request_unique")]
        indexes = [models.Index(fields=["target", "-id"], name="follow_request_target_idx")]

    def __str__(self) -> str:
        return f"{self.requester_id} asks to follow {self.target_id}"


class Block(models.Model):
    """Hides both members from each other everywhere and ends any follow between them."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique")]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_blocked_idx")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """Hides the muted member from the muter's timelines only; the muted member is not told."""

    muter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique")]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"
