from django.urls import path

from readingroom.messaging import views

app_name = "messaging"
C = "messages/<int:conversation_id>"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/new", views.start, name="start"),
    path("messages/settings", views.preference, name="preference"),
    path(f"{C}/", views.conversation, name="conversation"),
    path(f"{C}/send", views.send, name="send"),
    path(f"{C}/since", views.since, name="since"),
    path(f"{C}/read", views.read, name="read"),
    path(f"{C}/leave", views.leave, name="leave"),
    path(f"{C}/people", views.add_people, name="add_people"),
    path(f"{C}/mute", views.mute, name="mute"),
    path(f"{C}/m/<int:message_id>/delete", views.delete_message, name="delete_message"),
    path(f"{C}/files/<int:attachment_id>/<str:name>", views.attachment, name="attachment"),
]
