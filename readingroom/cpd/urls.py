from django.urls import path

from readingroom.cpd import views

app_name = "cpd"

urlpatterns = [
    path("learning/cpd/", views.summary, name="summary"),
    path("learning/cpd/log/", views.log, name="log"),
    path("learning/cpd/new/", views.add, name="add"),
    path("learning/cpd/requirement/", views.requirement, name="requirement"),
    path("learning/cpd/export.csv", views.export, name="export"),
    path("learning/cpd/import/", views.import_csv, name="import"),
    path("learning/cpd/<int:pk>/", views.detail, name="detail"),
    path("learning/cpd/<int:pk>/edit/", views.edit, name="edit"),
    path("learning/cpd/<int:pk>/delete/", views.delete, name="delete"),
    path("learning/cpd/<int:pk>/evidence/link/", views.add_evidence, {"kind": "link"}, name="evidence_link"),
    path("learning/cpd/<int:pk>/evidence/file/", views.add_evidence, {"kind": "file"}, name="evidence_upload"),
    path("learning/cpd/<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("learning/cpd/<int:pk>/evidence/<int:evidence_id>/remove/", views.remove_evidence, name="evidence_remove"),
]
