from django.urls import path

from readingroom.accounts import views

app_name = "accounts"
urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("welcome/interests/", views.onboarding_interests, name="onboarding_interests"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/account/", views.account, name="account"),
    path("conduct/", views.conduct, name="conduct"),
]
