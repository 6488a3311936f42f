from django.urls import path

from readingroom.network.views import people, profiles, relationships

app_name = "network"
urlpatterns = [
    path("people/", people.directory, name="directory"),
    path("welcome/people/", people.onboarding_people, name="onboarding_people"),
    path("settings/follow-requests/", relationships.follow_requests, name="requests"),
    path(
        "settings/follow-requests/<int:request_id>/approve/",
        relationships.answer_follow_request,
        {"approve": True},
        name="approve_request",
    ),
    path(
        "settings/follow-requests/<int:request_id>/decline/",
        relationships.answer_follow_request,
        {"approve": False},
        name="decline_request",
    ),
    path("settings/blocked-and-muted/", relationships.blocks_mutes, name="blocks_mutes"),
    path("@<str:handle>", profiles.profile, name="profile"),
    path("@<str:handle>/followers", profiles.followers, name="followers"),
    path("@<str:handle>/following", profiles.following, name="following"),
    path("@<str:handle>/follow", relationships.follow, name="follow"),
    path("@<str:handle>/unfollow", relationships.unfollow, name="unfollow"),
    path("@<str:handle>/remove-follower", relationships.remove_follower, name="remove_follower"),
    path("@<str:handle>/block", relationships.block, name="block"),
    path("@<str:handle>/unblock", relationships.unblock, name="unblock"),
    path("@<str:handle>/mute", relationships.mute, name="mute"),
    path("@<str:handle>/unmute", relationships.unmute, name="unmute"),
]
