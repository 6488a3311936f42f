from django.urls import path

from readingroom.skills import views

app_name = "skills"

urlpatterns = [
    path("learning/skills/", views.home, name="home"),
    path("learning/skills/rate/", views.rate, name="rate"),
    path("learning/skills/assessments/<int:pk>/", views.assessment, name="assessment"),
    path("learning/skills/assessments/<int:pk>/visibility/", views.assessment_visibility, name="assessment_visibility"),
    path("learning/skills/assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("learning/skills/frameworks/", views.frameworks, name="frameworks"),
]
