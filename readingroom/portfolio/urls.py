from django.urls import path

from readingroom.portfolio import views

app_name = "portfolio"

P = "learning/portfolios/<int:pk>/"
urlpatterns = [
    path("learning/portfolios/", views.portfolio_list, name="list"),
    path("learning/portfolios/new/", views.portfolio_create, name="create"),
    path("learning/portfolios/import/", views.import_view, name="import"),
    path(P, views.portfolio_detail, name="detail"),
    path(P + "edit/", views.portfolio_edit, name="edit"),
    path(P + "delete/", views.portfolio_delete, name="delete"),
    path(P + "add/<slug:kind>/", views.add_records, name="add"),
    path(P + "items/", views.add_item, name="add_item"),
    path(P + "sections/", views.add_section, name="add_section"),
    path(P + "items/<int:item_id>/edit/", views.edit_item, name="edit_item"),
    path(P + "items/<int:item_id>/move/", views.move_item, name="move_item"),
    path(P + "items/<int:item_id>/remove/", views.remove_item, name="remove_item"),
    path(P + "preview/", views.preview, name="preview"),
    path(P + "export.pdf", views.export_pdf, name="export_pdf"),
    path(P + "export.html", views.export_html, name="export_html"),
    path(P + "export.json", views.export_json, name="export_json"),
    path(P + "share/", views.share_links, name="share"),
    path(P + "share/<int:link_id>/revoke/", views.revoke_link, name="revoke_link"),
    path("p/<str:token>/", views.shared, name="shared"),
    path("p/<str:token>/pdf/", views.shared_pdf, name="shared_pdf"),
]
