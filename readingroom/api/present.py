"""Model objects → the plain dicts the API sends. Absolute URLs come from one origin per request.

Posts arrive from posts.queries already decorated (links, author fields, images, the viewer's
likes/boosts/bookmarks), so nothing here queries the database.
"""

from __future__ import annotations

from django.urls import reverse

from readingroom.accounts.models import Profile
from readingroom.accounts.permissions import visible_field


class Presenter:
    def __init__(self, request):
        self.origin = request.build_absolute_uri("/").rstrip("/")

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def html(self, value: str) -> str:
        """Sanitised HTML with the site's own links (hashtags, mentions) made absolute for apps."""
        return value.replace(' href="/', f' href="{self.origin}/')

    def media(self, file) -> str | None:
        return self.url(file.url) if file else None

    # --- members --------------------------------------------------------------------------

    def member(self, profile: Profile) -> dict:
        return {
            "handle": profile.handle,
            "display_name": profile.display_name,
            "url": self.url(reverse("network:profile", args=[profile.handle])),
            "avatar_url": self.media(profile.avatar),
        }

    def person(self, profile: Profile) -> dict:
        """A row of a followers/following list (network.queries attached `visible` and `rel`)."""
        visible = getattr(profile, "visible", {})
        rel = getattr(profile, "rel", None)
        return {
            **self.member(profile),
            "headline": profile.headline,
            "job_title": profile.job_title if visible.get("job_title") else None,
            "organisation": profile.organisation if visible.get("organisation") else None,
            "following": bool(rel and rel.following),
            "requested": bool(rel and rel.requested),
        }

    def profile(self, profile: Profile, viewer, relationship) -> dict:
        def shown(field: str, value):
            return value if visible_field(viewer, profile, field) else None

        languages = [lang.strip() for lang in profile.languages.split(",") if lang.strip()]
        return {
            **self.member(profile),
            "headline": profile.headline,
            "bio_html": self.html(profile.bio_html),
            "pronouns": shown("pronouns", profile.pronouns),
            "job_title": shown("job_title", profile.job_title),
            "organisation": shown("organisation", profile.organisation),
            "sector": shown("sector", profile.sector),
            "career_stage": shown("career_stage", profile.career_stage),
            "city": shown("location", profile.city),
            "region": shown("location", profile.region),
            "country": shown("location", profile.country.code or ""),
            "time_zone": shown("time_zone", profile.time_zone),
            "languages": shown("languages", languages),
            "interests": shown("interests", [self.interest(i) for i in profile.interests.all()]),
            "links": shown("links", [{"kind": link.kind, "url": link.url} for link in profile.links.all()]),
            "open_to_mentoring": profile.open_to_mentoring,
            "seeking_mentor": profile.seeking_mentor,
            "open_to_collaborate": profile.open_to_collaborate,
            "locked": profile.locked,
            "followers_count": profile.followers_count,
            "following_count": profile.following_count,
            "posts_count": profile.posts_count,
            "relationship": relationship_dict(relationship) if relationship is not None else None,
        }

    def own_profile(self, profile: Profile) -> dict:
        plain = [
            "pronouns",
            "headline",
            "bio",
            "job_title",
            "organisation",
            "sector",
            "career_stage",
            "city",
            "region",
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
            "followers_count",
            "following_count",
            "posts_count",
        ]
        return {
            **self.member(profile),
            **{name: getattr(profile, name) for name in plain},
            "bio_html": self.html(profile.bio_html),
            "country": profile.country.code or "",
            "interests": [self.interest(i) for i in profile.interests.all()],
            "links": [{"kind": link.kind, "url": link.url} for link in profile.links.all()],
        }

    @staticmethod
    def interest(interest) -> dict:
        return {"slug": interest.slug, "name": interest.name}

    # --- posts ----------------------------------------------------------------------------

    def _post_fields(self, post, flags) -> dict:
        return {
            "id": post.pk,
            "url": self.url(post.links["detail"]),
            "author": {
                "handle": post.author_handle,
                "display_name": post.author_name,
                "url": self.url(post.author_url),
                "avatar_url": self.url(post.avatar_url) if post.avatar_url else None,
            },
            "body": post.body,
            "body_html": self.html(post.body_html),
            "visibility": post.visibility,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
            "reply_to_id": post.reply_to_id,
            "reply_to_handle": getattr(post, "reply_to_handle", None),
            "thread_root_id": post.thread_root_id,
            "replies_count": post.replies_count,
            "likes_count": post.likes_count,
            "boosts_count": post.boosts_count,
            **flags,
            "images": [
                {"url": self.url(i.image.url), "width": i.width, "height": i.height, "alt_text": i.alt_text}
                for i in getattr(post, "shown_images", [])
            ],
        }

    def post(self, post) -> dict:
        """A post, reply or boost as decorated by posts.queries (a boost's `t` is its original)."""
        flags = {
            "liked": bool(getattr(post, "viewer_liked", False)),
            "boosted": bool(getattr(post, "viewer_boosted", False)),
            "bookmarked": bool(getattr(post, "viewer_bookmarked", False)),
        }
        if not post.boost_of_id:
            return {**self._post_fields(post, flags), "boost_of": None}
        original = post.t
        booster = post.author.profile
        data = {**self._post_fields(original, flags), "reply_to_handle": getattr(post, "reply_to_handle", None)}
        return {
            **data,
            "id": post.pk,
            "url": data["url"],  # a boost has no page of its own: its original's
            "author": self.member(booster),
            "body": "",
            "body_html": "",
            "created_at": post.created_at,
            "edited_at": None,
            "reply_to_id": None,
            "reply_to_handle": None,
            "thread_root_id": None,
            "replies_count": 0,
            "likes_count": 0,
            "boosts_count": 0,
            "images": [],
            "boost_of": data,
        }

    def thread_post(self, post) -> dict:
        return {**self.post(post), "depth": getattr(post, "depth", 1)}


def relationship_dict(rel) -> dict:
    return {
        "following": rel.following,
        "requested": rel.requested,
        "followed_by": rel.followed_by,
        "blocking": rel.blocking,
        "blocked_by": rel.blocked_by,
        "muting": rel.muting,
        "is_self": rel.is_self,
    }
