from django.urls import path

from readingroom.groups import views

app_name = "groups"
urlpatterns = [
    path("groups/", views.directory, name="directory"),
    path("groups/new", views.create, name="create"),
    path("groups/invite/<str:token>", views.invite, name="invite"),
    path("groups/<slug:slug>/about", views.about, name="about"),
    path("groups/<slug:slug>/members", views.members, name="members"),
    path("groups/<slug:slug>/members/<str:handle>/role", views.set_role, name="set_role"),
    path("groups/<slug:slug>/members/<str:handle>/remove", views.remove, name="remove"),
    path("groups/<slug:slug>/join", views.join, name="join"),
    path("groups/<slug:slug>/leave", views.leave, name="leave"),
    path("groups/<slug:slug>/home", views.home_preference, name="home_preference"),
    path("groups/<slug:slug>/requests", views.requests, name="requests"),
    path("groups/<slug:slug>/requests/<int:pk>", views.answer_request, name="answer_request"),
    path("groups/<slug:slug>/invitations", views.invitations, name="invitations"),
    path("groups/<slug:slug>/invitations/<int:pk>/revoke", views.revoke_invitation, name="revoke_invitation"),
    path("groups/<slug:slug>/bans", views.bans, name="bans"),
    path("groups/<slug:slug>/bans/<int:user_id>/lift", views.unban, name="unban"),
    path("groups/<slug:slug>/resources", views.resources, name="resources"),
    path("groups/<slug:slug>/resources/<int:pk>/unpin", views.unpin, name="unpin"),
    path("groups/<slug:slug>/settings", views.edit, name="edit"),
    path("groups/<slug:slug>/delete", views.delete, name="delete"),
]
