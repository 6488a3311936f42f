from django.urls import path

from readingroom.pln import views

app_name = "pln"

urlpatterns = [
    path("learning/balance/", views.balance, name="balance"),
    path("learning/balance/check-in/", views.check_in, name="check_in"),
    path("learning/balance/check-in/<int:pk>/", views.check_in_result, name="check_in_result"),
    path("learning/balance/time/", views.time_intention, name="time"),
]
