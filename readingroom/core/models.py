from django.db import models


class Visibility(models.TextChoices):
    """Who may see a thing. Shared by profiles and posts; the rules live in each app's permissions."""

    PUBLIC = "public", "Public: anyone, including people not signed in"
    MEMBERS = "members", "Members: anyone signed in to Reading Room"
    FOLLOWERS = "followers", "Followers: only people who follow me"
