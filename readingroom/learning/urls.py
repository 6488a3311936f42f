from django.urls import path

from readingroom.learning import views

app_name = "learning"

urlpatterns = [
    path("learning/", views.overview, name="overview"),
    path("learning/mentors/", views.mentors, name="mentors"),
    path("learning/mentors/ask/", views.ask_mentor, name="ask_mentor"),
    path("learning/mentors/<int:pk>/accept/", views.accept_mentorship, name="accept_mentorship"),
    path("learning/mentors/<int:pk>/decline/", views.decline_mentorship, name="decline_mentorship"),
    path("learning/mentors/<int:pk>/end/", views.end_mentorship, name="end_mentorship"),
]
