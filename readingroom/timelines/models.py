"""Stored home timelines: one row per (member, post), capped, filled by fan-out on write.

See docs/adr/0004-home-timelines.md for why timelines are stored rather than built at read time.
"""

from django.conf import settings
from django.db import models


class TimelineEntry(models.Model):
    # A composite primary key keeps a row to two integers plus the key index that serves reads:
    # WHERE owner_id = ? AND post_id < ? ORDER BY post_id DESC LIMIT 21.
    pk = models.CompositePrimaryKey("owner_id", "post_id")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name_plural = "timeline entries"
