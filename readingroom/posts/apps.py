from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "readingroom.posts"
    label = "posts"
