from django.urls import path, reverse

from readingroom.discussions import views

app_name = "discussions"
T = "groups/<slug:slug>/topics/<int:topic_id>"
urlpatterns = [
    path("groups/<slug:slug>/topics/", views.topic_list, name="list"),
    path("groups/<slug:slug>/topics/new", views.start_topic, name="start"),
    path("groups/<slug:slug>/topics/watch", views.group_watch, name="group_watch"),
    path(f"{T}/", views.topic, name="topic"),
    path(f"{T}/unread", views.first_unread, name="unread"),
    path(f"{T}/reply", views.reply, name="reply"),
    path(f"{T}/watch", views.watch, name="watch"),
    path(f"{T}/moderate", views.moderate, name="moderate"),
    path(f"{T}/accept", views.accept, name="accept"),
    path(f"{T}/r/<int:number>", views.reply_link, name="reply_link"),
    path(f"{T}/r/<int:number>/edit", views.edit_reply, name="edit_reply"),
    path(f"{T}/r/<int:number>/delete", views.delete_reply, name="delete_reply"),
    path(f"{T}/r/<int:number>/history", views.history, name="history"),
    path(f"{T}/files/<int:attachment_id>/<str:name>", views.attachment, name="attachment"),
]


def topic_url(topic, name: str = "discussions:topic") -> str:
    return reverse(name, args=[topic.group.slug, topic.pk])


def reply_url(found) -> str:
    """A reply's permanent link: it redirects to the page that shows it, at its anchor."""
    return reverse("discussions:reply_link", args=[found.topic.group.slug, found.topic_id, found.number])
