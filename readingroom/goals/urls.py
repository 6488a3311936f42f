from django.urls import path

from readingroom.goals import views, views_journal, views_plans

app_name = "goals"

_goal = "learning/goals/<int:pk>/"
_template = "learning/templates/<int:pk>/"

urlpatterns = [
    path("learning/goals/", views.goal_list, name="list"),
    path("learning/goals/new/", views.goal_create, name="create"),
    path(_goal, views.goal_detail, name="detail"),
    path(f"{_goal}edit/", views.goal_edit, name="edit"),
    path(f"{_goal}delete/", views.goal_delete, name="delete"),
    path(f"{_goal}status/", views.goal_status, name="status"),
    path(f"{_goal}steps/new/", views.step_add, name="step_add"),
    path(f"{_goal}steps/<int:step_id>/edit/", views.step_edit, name="step_edit"),
    path(f"{_goal}steps/<int:step_id>/toggle/", views.step_toggle, name="step_toggle"),
    path(f"{_goal}steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path(f"{_goal}steps/<int:step_id>/delete/", views.step_delete, name="step_delete"),
    path(f"{_goal}reflections/new/", views_journal.reflection_add, name="reflection_add"),
    path(f"{_goal}reflections/<int:reflection_id>/edit/", views_journal.reflection_edit, name="reflection_edit"),
    path(f"{_goal}reflections/<int:reflection_id>/delete/", views_journal.reflection_delete, name="reflection_delete"),
    path(f"{_goal}evidence/new/", views_journal.evidence_add, name="evidence_add"),
    path(f"{_goal}evidence/<int:evidence_id>/file", views_journal.evidence_file, name="evidence_file"),
    path(f"{_goal}evidence/<int:evidence_id>/delete/", views_journal.evidence_delete, name="evidence_delete"),
    path(f"{_goal}ask/", views_journal.ask_network, name="ask"),
    path(f"{_goal}ask/share/", views_journal.share_goal, name="share"),
    path("learning/plans/<int:pk>/", views_plans.plan_detail, name="plan"),
    path("learning/plans/<int:pk>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("learning/plans/<int:pk>/delete/", views_plans.plan_delete, name="plan_delete"),
    path("learning/templates/", views_plans.template_list, name="templates"),
    path("learning/templates/new/", views_plans.template_create, name="template_create"),
    path(_template, views_plans.template_detail, name="template"),
    path(f"{_template}start/", views_plans.template_start, name="template_start"),
    path(f"{_template}edit/", views_plans.template_edit, name="template_edit"),
    path(f"{_template}publish/", views_plans.template_publish, name="template_publish"),
    path(f"{_template}delete/", views_plans.template_delete, name="template_delete"),
    path(f"{_template}goals/new/", views_plans.template_goal_add, name="template_goal_add"),
    path(f"{_template}goals/<int:goal_id>/edit/", views_plans.template_goal_edit, name="template_goal_edit"),
    path(f"{_template}goals/<int:goal_id>/delete/", views_plans.template_goal_delete, name="template_goal_delete"),
]
