import re

import pytest
from django.core import mail
from django.urls import reverse

from readingroom.accounts.models import Profile, User
from readingroom.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and unusual passphrase 42"
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"  # valid, but 312 characters


def signup_data(**overrides):
    data = {
        "display_name": "Ada Lovelace",
        "handle": "ada_l",
        "email": "ada@example.org",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "accept_conduct": "on",
    }
    data.update(overrides)
    return data


def link_from(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_sends_a_verification_email_and_confirming_logs_in_and_starts_onboarding(client):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert Profile.objects.get(handle="ada_l").display_name == "Ada Lovelace"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert not client.get(reverse("accounts:onboarding")).wsgi_request.user.is_authenticated

    confirm_url = link_from(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert b"Confirm my address" in page.content
    response = client.post(confirm_url)

    assert response.status_code == 302
    assert response.url == reverse("accounts:onboarding")
    onboarding = client.get(response.url)
    assert onboarding.status_code == 200
    assert onboarding.wsgi_request.user.email == "ada@example.org"
    assert b"Step 1 of 3" in onboarding.content


def test_unverified_member_cannot_log_in_until_they_confirm(client):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    response = client.post(reverse("account_login"), {"login": "ada@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_signup_page_labels_every_field_and_has_one_heading(client):
    content = client.get(reverse("account_signup")).content.decode()
    assert content.count("<h1") == 1
    for name in ("display_name", "handle", "email", "password1", "password2"):
        assert f'for="id_{name}"' in content


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("admin", "reserved"),
        ("Settings", "reserved"),
        ("taken_one", "already taken"),
        ("TAKEN_ONE", "already taken"),
        ("bad-handle!", "lower-case letters, digits and underscores"),
        ("a", "2 to 30 characters"),
        ("x" * 31, "at most 30 characters"),
        ("x" * 41, "at most 30 characters"),
    ],
)
def test_signup_rejects_bad_handles_with_a_clear_message(client, handle, message):
    UserFactory(profile__handle="taken_one")
    response = client.post(reverse("account_signup"), signup_data(handle=handle))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["handle"])
    assert not User.objects.filter(email="ada@example.org").exists()
    assert b'value="ada@example.org"' in response.content  # input kept


def test_signup_accepts_a_handle_typed_with_at_sign_and_capitals(client):
    client.post(reverse("account_signup"), signup_data(handle="@Ada_L"))
    assert Profile.objects.get(user__email="ada@example.org").handle == "ada_l"


@pytest.mark.parametrize("password", ["short pass", "password1234", "123456789012"])
def test_signup_rejects_short_common_and_numeric_passwords(client, password):
    response = client.post(reverse("account_signup"), signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ada@example.org").exists()


def test_signup_rejects_an_overlong_display_name(client):
    response = client.post(reverse("account_signup"), signup_data(display_name="x" * 81))
    assert "at most 80 characters" in response.context["form"].errors["display_name"][0]


def test_signup_with_an_existing_email_creates_no_second_account(client):
    UserFactory(email="ada@example.org")
    client.post(reverse("account_signup"), signup_data(handle="another"))
    assert User.objects.filter(email="ada@example.org").count() == 1
    assert not Profile.objects.filter(handle="another").exists()


def test_signup_is_refused_when_closed(client, settings):
    settings.RR_SIGNUP_OPEN = False
    response = client.get(reverse("account_signup"))
    assert b"Sign-up is closed" in response.content


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    member = UserFactory(email="reset@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1

    key_url = link_from(mail.outbox[0])
    form_page = client.get(key_url, follow=True)
    assert b"Choose a new password" in form_page.content
    new_password = "another long passphrase 77"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    member.refresh_from_db()
    assert member.check_password(new_password)
    assert not member.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")


def test_login_with_email_and_password_reaches_the_home_page(client):
    member = UserFactory()
    member.emailaddress_set.create(email=member.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("posts:home")


def test_a_superuser_created_without_a_profile_gets_one_when_logging_in(client):
    admin = User.objects.create_superuser("boss@example.org", PASSWORD)
    admin.emailaddress_set.create(email=admin.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert Profile.objects.get(user=admin).handle == "boss"


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_account_pages_use_the_site_layout_with_one_heading(client, name):
    content = client.get(reverse(name)).content.decode()
    assert content.count("<h1") == 1
    assert 'id="main"' in content
    assert "style=" not in content


def test_signup_rejects_an_email_address_longer_than_the_database_column(client):
    response = client.post(reverse("account_signup"), signup_data(email=LONG_EMAIL))
    assert "at most 254 characters" in " ".join(response.context["form"].errors["email"])
    assert not User.objects.exists()


def test_adding_an_overlong_email_address_gives_a_form_error(member_client):
    response = member_client.post(reverse("account_email"), {"action_add": "", "email": LONG_EMAIL})
    assert response.status_code == 200
    assert "at most 254 characters" in " ".join(response.context["form"].errors["email"])


def test_joining_requires_accepting_the_code_of_conduct_and_records_when(client):
    refused = client.post(reverse("account_signup"), signup_data(accept_conduct=""))
    assert refused.status_code == 200
    assert "Please read and accept the code of conduct to join." in refused.content.decode()
    assert "ada@example.org" in refused.content.decode()  # nothing typed is lost
    assert not Profile.objects.filter(handle="ada_l").exists()

    client.post(reverse("account_signup"), signup_data())
    assert Profile.objects.get(handle="ada_l").user.conduct_accepted_at is not None


def test_the_code_of_conduct_page_is_public_and_linked_from_sign_up(client):
    page = client.get(reverse("accounts:conduct"))
    assert page.status_code == 200
    assert b"<h1>Code of conduct</h1>" in page.content
    assert reverse("accounts:conduct").encode() in client.get(reverse("account_signup")).content
