"""The skills pages: rating, the radar and table, gaps as suggested goals, one assessment by the
audience rule, and the staff framework upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readingroom.learning.models import LearningVisibility
from readingroom.learning.tests.factories import MentorshipFactory
from readingroom.skills import queries
from readingroom.skills.models import Assessment, SkillFramework
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def rate_data(areas, now=1, target=3, **extra):
    data = {"note": "", "visibility": "private", **extra}
    for area in areas:
        data[f"area_{area.pk}_now"] = str(now(area) if callable(now) else now)
        data[f"area_{area.pk}_target"] = str(target(area) if callable(target) else target)
    return data


@pytest.fixture
def areas(framework):
    return queries.rated_areas(framework)


def test_the_skills_page_invites_a_first_rating(member_client, framework):
    response = member_client.get(reverse("skills:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have not rated your skills yet." in html and 'href="/learning/skills/rate/"' in html
    assert 'aria-current="page">Skills' in html


def test_rating_twice_shows_the_radar_the_table_and_the_gaps(member_client, member, framework, areas):
    member_client.post(reverse("skills:rate"), rate_data(areas, now=1, target=2))
    response = member_client.post(
        reverse("skills:rate"),
        rate_data(areas, now=lambda a: 2 if a == areas[0] else 1, target=lambda a: 4 if a == areas[4] else 2),
        follow=True,
    )

    assert response.status_code == 200
    assert Assessment.objects.filter(owner=member).count() == 2
    html = response.content.decode()
    assert "Your skills assessment is saved." in html
    assert '<svg role="img" aria-label="Radar chart of your skills' in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert '<th scope="col" class="num">Previous</th>' in html
    rows = response.context["rows"]
    assert (rows[0].previous, rows[0].now, rows[0].target) == (1, 2, 2)
    gaps = response.context["gaps"]
    assert gaps[0]["row"].area == areas[4] and gaps[0]["row"].gap == 3  # the largest gap first
    assert all(g["row"].gap >= 1 for g in gaps) and areas[0] not in [g["row"].area for g in gaps]


def test_the_form_starts_from_the_latest_rating(member_client, framework, areas):
    member_client.post(reverse("skills:rate"), rate_data(areas, now=3, target=4))
    form = member_client.get(reverse("skills:rate")).context["form"]
    assert form.initial[f"area_{areas[0].pk}_now"] == 3 and form.initial[f"area_{areas[0].pk}_target"] == 4


@pytest.mark.parametrize("bad", ["5", "-1", "x", ""])
def test_a_bad_level_keeps_what_was_typed_and_says_what_is_wrong(member_client, member, framework, areas, bad):
    data = rate_data(areas, note="My note")
    data[f"area_{areas[1].pk}_now"] = bad
    response = member_client.post(reverse("skills:rate"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Your assessment was not saved." in html
    assert "Choose a level" in html and "My note" in html
    assert not Assessment.objects.filter(owner=member).exists()


def test_a_note_too_long_or_an_unknown_audience_is_refused(member_client, member, framework, areas):
    response = member_client.post(reverse("skills:rate"), rate_data(areas, note="n" * 4001, visibility="world"))
    form = response.context["form"]
    assert "note" in form.errors and "visibility" in form.errors
    assert not Assessment.objects.exists()


def test_a_new_assessment_is_private_by_default(member_client, member, framework, areas):
    data = rate_data(areas)
    data.pop("visibility")
    response = member_client.get(reverse("skills:rate"))
    assert response.context["form"]["visibility"].initial == LearningVisibility.PRIVATE
    member_client.post(reverse("skills:rate"), {**data, "visibility": "private"})
    assert Assessment.objects.get(owner=member).visibility == "private"


def _assessment(owner, framework, areas, visibility="private"):
    from readingroom.skills import actions

    return actions.create_assessment(
        owner=owner, framework=framework, areas=areas, levels={a.pk: (1, 3) for a in areas}, visibility=visibility
    )


def test_the_assessment_page_follows_the_audience_rule(client, framework, areas):
    owner, mentor, stranger = UserFactory(), UserFactory(), UserFactory()
    MentorshipFactory(mentee=owner, mentor=mentor)
    item = _assessment(owner, framework, areas, visibility="mentors")
    url = reverse("skills:assessment", args=[item.pk])

    client.force_login(mentor)
    response = client.get(url)
    assert response.status_code == 200 and "s skills assessment" in response.content.decode()
    assert "Delete this assessment" not in response.content.decode()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_blocked_viewer_gets_a_404_even_for_members_visibility(client, framework, areas):
    owner, viewer = UserFactory(), UserFactory()
    item = _assessment(owner, framework, areas, visibility="members")
    BlockFactory(blocker=owner, blocked=viewer)
    client.force_login(viewer)
    assert client.get(reverse("skills:assessment", args=[item.pk])).status_code == 404


def test_the_owner_changes_visibility_and_deletes(member_client, member, framework, areas):
    item = _assessment(member, framework, areas)
    response = member_client.post(reverse("skills:assessment_visibility", args=[item.pk]), {"visibility": "members"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.visibility == "members"
    assert member_client.get(reverse("skills:assessment_delete", args=[item.pk])).status_code == 200
    member_client.post(reverse("skills:assessment_delete", args=[item.pk]))
    assert not Assessment.objects.filter(pk=item.pk).exists()


def test_others_cannot_change_or_delete_even_what_they_may_see(client, framework, areas):
    owner, other = UserFactory(), UserFactory()
    item = _assessment(owner, framework, areas, visibility="members")
    client.force_login(other)
    assert (
        client.post(reverse("skills:assessment_visibility", args=[item.pk]), {"visibility": "private"}).status_code
        == 404
    )
    assert client.post(reverse("skills:assessment_delete", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.visibility == "members"


@pytest.mark.parametrize(
    "path", ["/learning/skills/assessments/99999999999999999999999/", "/learning/skills/assessments/0/"]
)
def test_huge_or_zero_ids_are_a_404(member_client, path):
    assert member_client.get(path).status_code == 404


def test_wrong_methods_are_refused(member_client, framework):
    assert member_client.put(reverse("skills:rate")).status_code == 405
    assert member_client.get(reverse("skills:assessment_visibility", args=[1])).status_code == 405


def test_the_skills_page_reads_in_a_fixed_number_of_queries(
    member_client, member, framework, areas, django_assert_max_num_queries
):
    for _ in range(5):
        _assessment(member, framework, areas)
    with django_assert_max_num_queries(16):
        assert member_client.get(reverse("skills:home")).status_code == 200


def test_the_framework_page_is_a_404_for_members(member_client):
    assert member_client.get(reverse("skills:frameworks")).status_code == 404
    assert member_client.post(reverse("skills:frameworks")).status_code == 404


def test_staff_upload_a_framework_and_see_errors(client, framework):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("skills:frameworks")).status_code == 200

    bad = SimpleUploadedFile("bad.toml", b'slug = "s"\nname = "x"\n\n[[areas]]\ncode = "a"\nname = ""\n')
    response = client.post(reverse("skills:frameworks"), {"file": bad})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "line 4, area 1 (a): name is required." in html

    good = SimpleUploadedFile("good.toml", b'slug = "s"\nname = "Small"\n[[areas]]\ncode = "a"\nname = "A"\n')
    response = client.post(reverse("skills:frameworks"), {"file": good, "make_default": "on"}, follow=True)
    assert "Small is loaded." in response.content.decode()
    assert SkillFramework.objects.get(slug="s").is_default


def test_the_overview_shows_the_skills_summary(member_client, member, framework, areas):
    from readingroom.skills import actions

    actions.create_assessment(
        owner=member, framework=framework, areas=areas, levels={a.pk: (1, 2 if a != areas[2] else 4) for a in areas}
    )
    html = member_client.get(reverse("learning:overview")).content.decode()
    assert "Last rated" in html and f"biggest gap: {areas[2].name}" in html


def test_a_gap_links_to_the_goal_form_with_the_area_chosen(framework, areas):
    from urllib.parse import parse_qs, urlsplit

    url = urlsplit(queries.goal_suggestion_url(areas[0]))
    assert url.path == reverse("goals:create")
    assert parse_qs(url.query) == {"skill_area": [str(areas[0].pk)], "title": [f"Build my skills in {areas[0].name}"]}


@pytest.mark.urls("readingroom.skills.tests.urls_without_goals")
def test_without_a_goal_form_no_link_is_offered(framework, areas):
    assert queries.goal_suggestion_url(areas[0]) is None
