"""Skills through the API: frameworks, and assessments under the same audience rule as the pages."""

import pytest

from readingroom.learning.tests.factories import MentorshipFactory
from readingroom.skills import actions, loader, queries
from readingroom.skills.models import Assessment, SkillFramework
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(db):
    framework = SkillFramework.objects.filter(slug="library-and-information").first()
    if framework is None:
        framework = actions.load_framework(data=loader.DEFAULT_FRAMEWORK_PATH.read_bytes(), make_default=True)
    return queries.rated_areas(framework)


def ratings(areas, current=1, target=3):
    return [{"area": a.pk, "current": current, "target": target} for a in areas]


def test_frameworks_list_and_detail_with_areas(api_for, ada, areas):
    listed = api_for(ada).get("skills/frameworks").json()["items"]
    assert listed[0]["slug"] == "library-and-information" and listed[0]["is_default"]
    detail = api_for(ada).get("skills/frameworks/library-and-information").json()
    assert [a["id"] for a in detail["areas"]] == [a.pk for a in areas]
    assert len(detail["areas"][0]["sub_areas"]) == 4
    assert api_for(ada).get("skills/frameworks/nope").status_code == 404
    assert api_for(ada).get("skills/frameworks/bad%20slug").status_code == 422


def test_a_member_creates_lists_reads_changes_and_deletes_an_assessment(api_for, ada, areas):
    api = api_for(ada)
    created = api.post("skills/assessments", {"ratings": ratings(areas), "note": "First go"})
    assert created.status_code == 201
    data = created.json()
    assert data["visibility"] == "private" and data["note"] == "First go" and len(data["ratings"]) == len(areas)
    assert data["ratings"][0] == {
        "area": areas[0].pk,
        "area_code": areas[0].code,
        "area_name": areas[0].name,
        "current": 1,
        "target": 3,
    }
    assert [a["id"] for a in api.get("skills/assessments").json()["items"]] == [data["id"]]
    assert api.get(f"skills/assessments/{data['id']}").json()["id"] == data["id"]
    changed = api.patch(f"skills/assessments/{data['id']}", {"visibility": "members"})
    assert changed.status_code == 200 and changed.json()["visibility"] == "members"
    assert api.delete(f"skills/assessments/{data['id']}").status_code == 204
    assert not Assessment.objects.exists()


def test_the_list_pages_by_id(api_for, ada, areas):
    for _ in range(22):
        actions.create_assessment(
            owner=ada, framework=areas[0].framework, areas=areas, levels={a.pk: (1, 2) for a in areas}
        )
    first = api_for(ada).get("skills/assessments").json()
    assert len(first["items"]) == 20 and first["next_max_id"] == first["items"][-1]["id"]
    second = api_for(ada).get("skills/assessments", {"max_id": first["next_max_id"]}).json()
    assert len(second["items"]) == 2 and second["next_max_id"] is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda r, areas: r[0].update(current=5), "ratings.0.current", "less than or equal to 4"),
        (lambda r, areas: r[0].update(target=-1), "ratings.0.target", "greater than or equal to 0"),
        (lambda r, areas: r[0].update(area=999999), "ratings.0.area", "There is no such area in the framework."),
        (lambda r, areas: r.append(dict(r[0])), f"ratings.{9}.area", "Each area may be rated only once."),
        (lambda r, areas: r.pop(), None, "Choose a level"),
    ],
)
def test_bad_ratings_are_a_422(api_for, ada, areas, change, field, message):
    body = ratings(areas)
    change(body, areas)
    response = api_for(ada).post("skills/assessments", {"ratings": body})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert any(message in f["message"] and (field is None or f["field"] == field) for f in fields), fields
    assert not Assessment.objects.exists()


def test_an_unknown_audience_is_a_422(api_for, ada, areas):
    response = api_for(ada).post("skills/assessments", {"ratings": ratings(areas), "visibility": "world"})
    assert response.status_code == 422


def test_another_members_assessment_follows_the_audience_rule(api_for, ada, bob, areas):
    framework = areas[0].framework
    private = actions.create_assessment(
        owner=ada, framework=framework, areas=areas, levels={a.pk: (1, 2) for a in areas}
    )
    for_mentors = actions.create_assessment(
        owner=ada, framework=framework, areas=areas, levels={a.pk: (1, 2) for a in areas}, visibility="mentors"
    )
    assert api_for(bob).get(f"skills/assessments/{private.pk}").status_code == 404
    assert api_for(bob).get(f"skills/assessments/{for_mentors.pk}").status_code == 404
    MentorshipFactory(mentee=ada, mentor=bob)
    assert api_for(bob).get(f"skills/assessments/{private.pk}").status_code == 404
    seen = api_for(bob).get(f"skills/assessments/{for_mentors.pk}")
    assert seen.status_code == 200 and seen.json()["owner"]["handle"] == "ada"
    # Seeing is not owning: no changes, no deletes, and the list holds only one's own.
    assert api_for(bob).patch(f"skills/assessments/{for_mentors.pk}", {"visibility": "members"}).status_code == 404
    assert api_for(bob).delete(f"skills/assessments/{for_mentors.pk}").status_code == 404
    assert api_for(bob).get("skills/assessments").json()["items"] == []
    assert api_for(UserFactory()).get(f"skills/assessments/{for_mentors.pk}").status_code == 404


def test_anonymous_callers_get_a_401(api_for, areas):
    assert api_for(None).get("skills/assessments").status_code == 401
    assert api_for(None).get("skills/frameworks").status_code == 401
