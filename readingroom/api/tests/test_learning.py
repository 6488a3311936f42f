"""Mentors through the API: the same form, actions and checks as /learning/mentors/."""

import pytest

from readingroom.learning.models import Mentorship
from readingroom.learning.tests.factories import MentorshipFactory
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_asks_a_mentor_who_accepts(api_for, ada, bob):
    response = api_for(ada).post("mentorships", {"handle": "bob", "message": "Help me with RDA?"})
    assert response.status_code == 201
    data = response.json()
    assert data["role"] == "mentee" and data["status"] == "pending" and data["member"]["handle"] == "bob"

    listed = api_for(bob).get("mentorships").json()
    assert [m["id"] for m in listed["asks_to_me"]] == [data["id"]]
    assert listed["asks_to_me"][0]["message"] == "Help me with RDA?"

    accepted = api_for(bob).post(f"mentorships/{data['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert accepted.json()["role"] == "mentor"
    assert [m["member"]["handle"] for m in api_for(ada).get("mentorships").json()["mentors"]] == ["bob"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"handle": "ada"}, "You cannot be your own mentor."),
        ({"handle": "nobody"}, "We could not find a member @nobody you can ask."),
        ({"handle": "bob", "message": "m" * 501}, "at most 500 characters"),
        ({"handle": ""}, "at least 1 character"),
    ],
)
def test_a_bad_ask_is_a_422(api_for, ada, bob, payload, message):
    response = api_for(ada).post("mentorships", payload)
    assert response.status_code == 422
    assert any(message in f["message"] for f in response.json()["error"]["fields"]), response.json()
    assert not Mentorship.objects.exists()


def test_asking_across_a_block_is_a_422_worded_as_not_found(api_for, ada, bob):
    BlockFactory(blocker=bob, blocked=ada)
    response = api_for(ada).post("mentorships", {"handle": "bob"})
    assert response.status_code == 422 and "could not find" in response.json()["error"]["message"]


def test_only_the_mentor_accepts_or_declines_and_strangers_get_a_404(api_for, ada, bob):
    row = MentorshipFactory(mentee=ada, mentor=bob, status="pending", accepted_at=None)
    assert api_for(ada).post(f"mentorships/{row.pk}/accept").status_code == 404
    stranger = UserFactory()
    for verb in ("accept", "decline", "end"):
        assert api_for(stranger).post(f"mentorships/{row.pk}/{verb}").status_code == 404
    declined = api_for(bob).post(f"mentorships/{row.pk}/decline")
    assert declined.status_code == 200 and declined.json()["status"] == "ended"
    again = api_for(bob).post(f"mentorships/{row.pk}/accept")
    assert again.status_code == 403 and again.json()["error"]["message"] == "This ask is no longer open."


def test_either_side_ends_a_mentorship(api_for, ada, bob):
    row = MentorshipFactory(mentee=ada, mentor=bob)
    response = api_for(bob).post(f"mentorships/{row.pk}/end")
    assert response.status_code == 200 and response.json()["status"] == "ended"
    assert api_for(ada).get("mentorships").json()["mentors"] == []


def test_a_read_token_cannot_ask(api_for, ada, bob):
    assert api_for(ada, scope="read").post("mentorships", {"handle": "bob"}).status_code == 403
    assert api_for(None).get("mentorships").status_code == 401
