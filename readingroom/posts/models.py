"""Posts, their threads, hashtags, mentions, images, edit history, likes, bookmarks, and the
stored home timelines they are fanned out into (see docs/adr/0004-home-timelines.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from readingroom.accounts.models import Block, Follow
from readingroom.core.models import Visibility
from readingroom.groups.permissions import content_q


class Hashtag(models.Model):
    name = models.CharField(max_length=60, unique=True)  # lower-case
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.name}"


def blocked_user_ids(viewer):
    """Subquery pair: members the viewer blocked, and members who blocked the viewer."""
    return (
        Block.objects.filter(blocker=viewer).values("blocked"),
        Block.objects.filter(blocked=viewer).values("blocker"),
    )


class PostQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> PostQuerySet:
        """THE visibility rule for posts. Pages, timelines, and later the API, search, feeds and
        notifications all call it, so a post is shown nowhere it may not be seen.

        - a post hidden by a moderator is seen by nobody (moderation reads it by id);
        - the author always sees their own other posts;
        - suspended (inactive) authors' posts are seen by nobody else; a limited author's only by
          their followers (and not through others' boosts);
        - a block, either way, hides the author's posts and their boosts of others;
        - public: anyone; members: any signed-in member; followers: accepted followers only;
        - a group's post (and reply): only where the viewer may read the group (groups' content_q,
          public groups to all, others to their members), and never through a boost.
        """
        group_rule = content_q(viewer) & (Q(boost_of__isnull=True) | Q(boost_of__group__isnull=True))
        if viewer is None or not viewer.is_authenticated:
            return self.filter(
                visibility=Visibility.PUBLIC,
                hidden_at__isnull=True,
                author__is_active=True,
                author__limited_at__isnull=True,
            ).filter(
                (
                    Q(boost_of__isnull=True)
                    | Q(boost_of__author__is_active=True, boost_of__author__limited_at__isnull=True)
                )
                & group_rule
            )
        i_blocked, blocked_me = blocked_user_ids(viewer)
        followees = Follow.objects.filter(follower=viewer).values("followee")
        others = (
            Q(author__is_active=True)
            & ~Q(author__in=i_blocked)
            & ~Q(author__in=blocked_me)
            & (Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS]) | Q(author__in=followees))
            & (Q(author__limited_at__isnull=True) | Q(author__in=followees))
            & (
                Q(boost_of__isnull=True)
                | (
                    ~Q(boost_of__author__in=i_blocked)
                    & ~Q(boost_of__author__in=blocked_me)
                    & Q(boost_of__author__limited_at__isnull=True)
                )
            )
        )
        return self.filter(Q(hidden_at__isnull=True) & (Q(author=viewer) | others) & group_rule)


class Post(models.Model):
    """A post, a reply (reply_to set) or a boost (boost_of set, empty body)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField(max_length=settings.RR_POST_MAX_CHARS, blank=True)
    body_html = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    thread_root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="thread_posts"
    )
    boost_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="boosts")
    # A group's post: its audience is the group's (groups.permissions.content_q), not `visibility`.
    group = models.ForeignKey("groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    hashtags = models.ManyToManyField(Hashtag, through="PostHashtag", related_name="posts")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)  # hidden by a moderator: seen by nobody
    replies_count = models.PositiveIntegerField(default=0)
    likes_count = models.PositiveIntegerField(default=0)
    boosts_count = models.PositiveIntegerField(default=0)

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["author", "-id"], name="post_author_idx"),
            models.Index(fields=["thread_root", "id"], name="post_thread_idx"),
            models.Index(fields=["visibility", "-id"], name="post_local_idx", condition=Q(boost_of__isnull=True)),
            models.Index(fields=["group", "-id"], name="post_group_idx", condition=Q(group__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "boost_of"], condition=Q(boost_of__isnull=False), name="boost_once"
            )
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} by {self.author_id}"

    @property
    def is_boost(self) -> bool:
        return self.boost_of_id is not None


class PostEdit(models.Model):
    """A previous version of a post, kept each time its author edits it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(max_length=settings.RR_POST_MAX_CHARS)
    body_html = models.TextField()
    created_at = models.DateTimeField()  # when this version was first published

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Earlier version of post {self.post_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="posts/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(max_length=1500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Image {self.position} of post {self.post_id}"


class PostHashtag(models.Model):
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")

    class Meta:
        # Serves the hashtag timeline: newest posts of one tag, by keyset on post id.
        constraints = [models.UniqueConstraint(fields=["hashtag", "post"], name="post_hashtag_unique")]

    def __str__(self) -> str:
        return f"Post {self.post_id} tagged {self.hashtag_id}"


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="mention_unique")]
        indexes = [models.Index(fields=["user", "-post"], name="mention_user_idx")]

    def __str__(self) -> str:
        return f"Post {self.post_id} mentions {self.user_id}"


class Like(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="like_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} likes post {self.post_id}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="bookmark_unique")]
        indexes = [models.Index(fields=["user", "-id"], name="bookmark_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} bookmarked post {self.post_id}"


class HashtagFollow(models.Model):
    """Following a hashtag brings its posts into the member's home timeline."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "hashtag"], name="hashtag_follow_unique")]
        indexes = [models.Index(fields=["hashtag", "user"], name="hashtag_follow_tag_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} follows hashtag {self.hashtag_id}"


class TimelineEntry(models.Model):
    # A composite primary key keeps a row to two integers plus the key index that serves reads:
    # WHERE owner_id = ? AND post_id < ? ORDER BY post_id DESC LIMIT 21.
    pk = models.CompositePrimaryKey("owner_id", "post_id")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"Post {self.post_id} in {self.owner_id}'s home"
