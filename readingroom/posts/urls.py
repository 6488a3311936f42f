from django.urls import path

from readingroom.posts import views

app_name = "posts"
urlpatterns = [
    path("", views.home, name="home"),
    path("local", views.local, name="local"),
    path("bookmarks", views.bookmarks, name="bookmarks"),
    path("tags/<str:name>", views.hashtag, name="hashtag"),
    path("groups/<slug:slug>", views.group, name="group"),
    path("tags/<str:name>/follow", views.follow_hashtag, name="follow_hashtag"),
    path("posts/new", views.create, name="create"),
    path("posts/<int:pk>", views.detail, name="detail"),
    path("posts/<int:pk>/edit", views.edit, name="edit"),
    path("posts/<int:pk>/history", views.history, name="history"),
    path("posts/<int:pk>/delete", views.delete, name="delete"),
    path("posts/<int:pk>/like", views.like, name="like"),
    path("posts/<int:pk>/boost", views.boost, name="boost"),
    path("posts/<int:pk>/bookmark", views.bookmark, name="bookmark"),
]
