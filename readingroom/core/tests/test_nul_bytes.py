"""NUL characters are refused at the door with a 400, on every route and both databases."""

import pytest

from readingroom.testing.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", "/@a%00b", {}),
        ("get", "/people/", {"q": "a\x00b"}),
        ("post", "/@someone/follow?next=a%00b", {}),
    ],
)
def test_nul_characters_get_a_clear_400_not_a_server_error(client, method, path, data):
    client.force_login(UserFactory())
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    assert b"NUL character" in response.content


@pytest.mark.django_db
def test_nul_in_a_form_field_is_the_forms_job_and_keeps_the_input(client):
    client.force_login(UserFactory())
    response = client.post("/settings/profile/", {"display_name": "Ana", "headline": "kept text", "bio": "a\x00b"})
    assert response.status_code == 200
    assert b"kept text" in response.content


@pytest.mark.django_db
def test_ordinary_requests_pass_through(client):
    assert client.get("/local").status_code == 200
