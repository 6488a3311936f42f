import pytest
from django.urls import reverse

from readingroom.accounts import actions
from readingroom.accounts.models import Interest, Profile, User
from readingroom.accounts.permissions import needs_onboarding
from readingroom.testing.factories import InterestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(client):
    user = UserFactory(profile__onboarded_at=None, profile__time_zone="UTC")
    client.force_login(user)
    return user


def test_the_seeded_vocabulary_offers_about_thirty_lis_interests():
    names = set(Interest.objects.filter(in_vocabulary=True).values_list("name", flat=True))
    assert len(names) >= 30
    assert {"Cataloguing and metadata", "Digital preservation", "Readers' advisory"} <= names


def test_a_new_member_needs_onboarding_until_it_is_completed(newcomer):
    assert needs_onboarding(newcomer)
    actions.complete_onboarding(user=newcomer)
    assert not needs_onboarding(User.objects.get(pk=newcomer.pk))


def test_anonymous_visitors_and_members_without_a_profile_are_handled():
    from django.contrib.auth.models import AnonymousUser

    assert not needs_onboarding(AnonymousUser())
    bare = User.objects.create_user("bare@example.org", "x")
    assert needs_onboarding(bare)


def test_step_one_shows_progress_and_defaults_the_time_zone_to_utc(client, newcomer):
    response = client.get(reverse("accounts:onboarding"))
    content = response.content.decode()
    assert "Step 1 of 3" in content
    assert 'aria-current="step"' in content
    assert content.count("<h1") == 1
    assert response.context["form"]["time_zone"].value() == "UTC"


def test_step_one_saves_work_details_and_moves_to_interests(client, newcomer):
    response = client.post(
        reverse("accounts:onboarding"),
        {
            "headline": "Metadata librarian",
            "sector": "academic",
            "career_stage": "mid_career",
            "time_zone": "Europe/Dublin",
            "country": "IE",
            "city": "Cork",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:onboarding_interests")
    profile = Profile.objects.get(user=newcomer)
    assert (profile.headline, profile.sector, profile.time_zone, profile.country.code, profile.city) == (
        "Metadata librarian",
        "academic",
        "Europe/Dublin",
        "IE",
        "Cork",
    )


def test_step_one_rejects_an_unknown_time_zone_and_keeps_the_input(client, newcomer):
    response = client.post(reverse("accounts:onboarding"), {"headline": "Archivist", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert b'value="Archivist"' in response.content


def test_step_one_can_be_skipped_without_saving(client, newcomer):
    response = client.post(reverse("accounts:onboarding"), {"skip": "1", "headline": "ignored"})
    assert response.url == reverse("accounts:onboarding_interests")
    assert Profile.objects.get(user=newcomer).headline == ""


def test_step_two_saves_vocabulary_and_free_tags_then_goes_to_people(client, newcomer):
    term = Interest.objects.get(slug="digital-preservation")
    response = client.post(
        reverse("accounts:onboarding_interests"),
        {"vocabulary": [term.pk], "free_tags": "Zines, #Web archiving , zines"},
    )
    assert response.status_code == 302
    assert response.url == reverse("network:onboarding_people")
    interests = Profile.objects.get(user=newcomer).interests.all()
    assert {(i.name, i.in_vocabulary) for i in interests} == {
        ("Digital preservation", True),
        ("Zines", False),
        ("Web archiving", False),
    }


def test_step_two_refuses_more_than_twenty_interests(client, newcomer):
    tags = ", ".join(f"topic {n}" for n in range(21))
    response = client.post(reverse("accounts:onboarding_interests"), {"free_tags": tags})
    assert response.status_code == 200
    assert "at most 20 interests" in str(response.context["form"].non_field_errors())
    assert not Profile.objects.get(user=newcomer).interests.exists()


def test_step_two_refuses_a_free_tag_longer_than_forty_characters(client, newcomer):
    response = client.post(reverse("accounts:onboarding_interests"), {"free_tags": "x" * 41})
    assert "at most 40 characters" in response.context["form"].errors["free_tags"][0]


def test_step_two_refuses_a_vocabulary_id_that_does_not_exist(client, newcomer):
    response = client.post(reverse("accounts:onboarding_interests"), {"vocabulary": ["999999", "nonsense"]})
    assert response.status_code == 200
    assert "vocabulary" in response.context["form"].errors


def test_step_two_can_be_skipped(client, newcomer):
    response = client.post(reverse("accounts:onboarding_interests"), {"skip": "1"})
    assert response.url == reverse("network:onboarding_people")


def test_onboarding_requires_login(client):
    response = client.get(reverse("accounts:onboarding"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_complete_onboarding_sets_onboarded_at_once(newcomer):
    first = actions.complete_onboarding(user=newcomer).onboarded_at
    assert first is not None
    assert actions.complete_onboarding(user=newcomer).onboarded_at == first


def test_ensure_profile_creates_a_unique_valid_handle_for_a_member_without_one():
    UserFactory(profile__handle="admin_member")
    UserFactory(profile__handle="jo")
    a = actions.ensure_profile(user=User.objects.create_user("admin@example.org", "x"))
    b = actions.ensure_profile(user=User.objects.create_user("jo@example.net", "x"))
    c = actions.ensure_profile(user=User.objects.create_user("j@example.net", "x"))
    assert a.handle != "admin_member" and a.handle.startswith("admin_member_")
    assert b.handle.startswith("jo_")
    assert c.handle == "j_member"
    assert actions.ensure_profile(user=a.user) == a


def test_free_tags_matching_a_vocabulary_term_reuse_it(newcomer):
    InterestFactory(slug="zines", name="Zines", in_vocabulary=False)
    chosen = actions.set_interests(profile=newcomer.profile, vocabulary_ids=[], free_tags=["Outreach", "zines"])
    assert [i.in_vocabulary for i in chosen] == [True, False]
    assert Interest.objects.filter(slug="zines").count() == 1
