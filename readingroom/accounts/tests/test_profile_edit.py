import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from readingroom.accounts.models import Interest, Profile
from readingroom.accounts.permissions import visible_field
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def base_data(profile: Profile, **overrides) -> dict:
    data = {
        "display_name": profile.display_name,
        "handle": profile.handle,
        "time_zone": "Europe/London",
        "visibility": "members",
        "default_post_visibility": "public",
        "discoverable": "on",
    }
    data.update(overrides)
    return data


def image_with_gps(fmt: str, size=(900, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 0.0), "W", (0.0, 7.0, 0.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def post_edit(client, profile, files=None, **overrides):
    data = base_data(profile, **overrides)
    data.update(files or {})
    return client.post(reverse("accounts:profile_edit"), data)


def test_profile_edit_page_is_in_settings_nav_and_labels_every_field(member_client, member):
    response = member_client.get(reverse("accounts:profile_edit"))
    content = response.content.decode()
    assert response.context["nav"] == "settings"
    assert content.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in content
    for name in response.context["form"].fields:
        if name not in ("vocabulary", "visibility", "default_post_visibility", "remove_avatar"):
            assert f'for="id_{name}"' in content, name
    assert "<legend>Choose from these interests" in content
    assert content.count('type="checkbox" name="vocabulary"') >= 30


def test_saving_the_profile_updates_fields_renders_the_bio_and_keeps_links_and_interests(member_client, member):
    term = Interest.objects.get(slug="outreach")
    response = post_edit(
        member_client,
        member.profile,
        display_name="Grace H",
        handle="Grace_H",
        pronouns="she/her",
        headline="Systems librarian",
        bio="I **like** <script>alert(1)</script> [catalogues](https://example.org)",
        job_title="Librarian",
        organisation="City Library",
        sector="public",
        career_stage="senior",
        city="Leeds",
        region="Yorkshire",
        country="GB",
        languages="English, Welsh",
        open_to_mentoring="on",
        locked="on",
        vocabulary=[term.pk],
        free_tags="Makerspaces",
        link_0_kind="orcid",
        link_0_url="https://orcid.org/0000-0002-1825-0097",
        link_1_kind="website",
        link_1_url="https://example.org/me",
    )
    assert response.status_code == 302
    profile = Profile.objects.get(pk=member.pk)
    assert (profile.display_name, profile.handle, profile.pronouns, profile.country.code) == (
        "Grace H",
        "grace_h",
        "she/her",
        "GB",
    )
    assert "<strong>like</strong>" in profile.bio_html
    assert "<script" not in profile.bio_html
    assert profile.open_to_mentoring and profile.locked and profile.discoverable
    assert not profile.seeking_mentor
    assert [(link.kind, link.url) for link in profile.links.all()] == [
        ("orcid", "https://orcid.org/0000-0002-1825-0097"),
        ("website", "https://example.org/me"),
    ]
    assert {i.name for i in profile.interests.all()} == {"Outreach", "Makerspaces"}

    page = member_client.get(reverse("accounts:profile_edit"))
    assert b"Your profile has been saved." in page.content
    assert b'value="https://example.org/me"' in page.content
    assert b'value="Makerspaces"' in page.content


TEXT_LIMITS = {
    "display_name": 80,
    "pronouns": 40,
    "headline": 160,
    "bio": 5000,
    "job_title": 120,
    "organisation": 160,
    "city": 80,
    "region": 80,
    "languages": 200,
    "free_tags": 1000,
    "link_0_url": 300,
}


@pytest.mark.parametrize(("field", "limit"), TEXT_LIMITS.items())
def test_every_text_field_over_its_limit_gives_a_form_error_and_saves_nothing(member_client, member, field, limit):
    value = "https://example.org/" + "a" * limit if field == "link_0_url" else "a" * (limit + 1)
    response = post_edit(member_client, member.profile, link_0_kind="website", **{field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b"Your profile was not saved" in response.content
    assert Profile.objects.get(pk=member.pk).display_name == member.profile.display_name


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"time_zone": "Nowhere/Special"}, "time_zone", "valid choice"),
        ({"visibility": "everyone"}, "visibility", "valid choice"),
        ({"sector": "space"}, "sector", "valid choice"),
        ({"country": "XX"}, "country", "valid choice"),
        ({"display_name": "   "}, "display_name", "name others will see"),
        ({"handle": "root"}, "handle", "reserved"),
        ({"handle": "has space"}, "handle", "lower-case letters"),
        ({"bio": "nul\x00byte"}, "bio", "Null characters"),
        ({"link_0_kind": "website", "link_0_url": "http://example.org"}, "link_0_url", "https://"),
        ({"link_0_kind": "website", "link_0_url": "javascript:alert(1)"}, "link_0_url", "valid URL"),
        ({"link_0_url": "https://example.org"}, "link_0_kind", "what kind of link"),
        ({"link_0_kind": "blog"}, "link_0_url", "Enter the address"),
        ({"link_0_kind": "myspace", "link_0_url": "https://example.org"}, "link_0_kind", "valid choice"),
    ],
)
def test_invalid_profile_input_gives_a_clear_error(member_client, member, overrides, field, message):
    response = post_edit(member_client, member.profile, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])


def test_a_handle_taken_in_another_case_is_refused_but_keeping_your_own_is_fine(member_client, member):
    UserFactory(profile__handle="someone")
    assert (
        "already taken"
        in post_edit(member_client, member.profile, handle="SomeOne").context["form"].errors["handle"][0]
    )
    assert post_edit(member_client, member.profile, handle=member.profile.handle.upper()).status_code == 302


def test_clearing_a_link_row_removes_the_link(member_client, member):
    post_edit(member_client, member.profile, link_0_kind="blog", link_0_url="https://blog.example.org")
    post_edit(member_client, member.profile)
    assert not member.profile.links.exists()


def test_hidden_fields_are_stored_and_shown_only_to_the_owner(member_client, member):
    post_edit(member_client, member.profile, pronouns="they/them", hide_pronouns="on", hide_location="on")
    profile = Profile.objects.get(pk=member.pk)
    assert profile.hidden_fields == ["location", "pronouns"]
    other = UserFactory()
    assert visible_field(member, profile, "pronouns")
    assert not visible_field(other, profile, "pronouns")
    assert visible_field(other, profile, "job_title")
    page = member_client.get(reverse("accounts:profile_edit"))
    assert page.context["form"]["hide_pronouns"].value() is True


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_avatar_with_gps_exif_is_accepted_squared_and_re_encoded_without_metadata(member_client, member, fmt):
    original = image_with_gps(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    upload = SimpleUploadedFile(f"me.{fmt.lower()}", original, content_type="image/png")
    response = post_edit(member_client, member.profile, files={"avatar": upload})
    assert response.status_code == 302

    profile = Profile.objects.get(pk=member.pk)
    with profile.avatar.open("rb") as stored:
        data = stored.read()
    saved = Image.open(io.BytesIO(data))
    assert saved.size == (400, 400)
    assert not saved.getexif()
    assert b"Exif" not in data and b"SpyCam" not in data


def image_too_many_pixels() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, format="PNG")  # 49 megapixels, a few kB on disk
    return out.getvalue()


def truncated_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 300), "blue").save(out, format="PNG")
    return out.getvalue()[:200]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.png", b"just some text pretending to be a picture\n" * 20, "not an image we can read"),
        ("broken.png", truncated_png(), "not an image we can read"),
        ("huge.png", image_too_many_pixels(), "too many pixels"),
        ("empty.png", b"", "empty"),
    ],
)
def test_bad_avatar_files_are_rejected_with_a_clear_message_and_nothing_saved(
    member_client, member, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = post_edit(member_client, member.profile, files={"avatar": upload}, headline="Changed")
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["avatar"])
    profile = Profile.objects.get(pk=member.pk)
    assert not profile.avatar
    assert profile.headline == ""


def test_an_avatar_over_eight_megabytes_is_rejected(member_client, member, settings):
    settings.RR_IMAGE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.jpg", image_with_gps("JPEG"), content_type="image/jpeg")
    response = post_edit(member_client, member.profile, files={"avatar": upload})
    assert "larger than 8 MB" in response.context["form"].errors["avatar"][0]


def test_removing_the_avatar_deletes_the_file(member_client, member, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("me.png", image_with_gps("PNG"), content_type="image/png")
    post_edit(member_client, member.profile, files={"avatar": upload})
    profile = Profile.objects.get(pk=member.pk)
    storage, name = profile.avatar.storage, profile.avatar.name
    assert storage.exists(name)

    page = member_client.get(reverse("accounts:profile_edit"))
    assert b'alt="Your current profile picture"' in page.content
    assert b'for="id_remove_avatar"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(member_client, member.profile, remove_avatar="on")
    assert not Profile.objects.get(pk=member.pk).avatar
    assert not storage.exists(name)


def test_replacing_the_avatar_deletes_the_old_file(member_client, member, django_capture_on_commit_callbacks):
    post_edit(member_client, member.profile, files={"avatar": SimpleUploadedFile("a.png", image_with_gps("PNG"))})
    first = Profile.objects.get(pk=member.pk).avatar
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(member_client, member.profile, files={"avatar": SimpleUploadedFile("b.jpg", image_with_gps("JPEG"))})
    second = Profile.objects.get(pk=member.pk).avatar
    assert first.name != second.name
    assert not first.storage.exists(first.name)
    assert second.storage.exists(second.name)


def test_profile_edit_requires_login(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_profile_edit_only_accepts_get_and_post(member_client):
    assert member_client.put(reverse("accounts:profile_edit")).status_code == 405


def test_profile_edit_page_loads_with_a_bounded_number_of_queries(member_client, member, django_assert_max_num_queries):
    member.profile.interests.add(*Interest.objects.all()[:5])
    with django_assert_max_num_queries(12):
        member_client.get(reverse("accounts:profile_edit"))


def test_account_settings_links_to_password_and_email_pages(member_client):
    response = member_client.get(reverse("accounts:account"))
    assert response.context["nav"] == "settings"
    assert reverse("account_change_password").encode() in response.content
    assert reverse("account_email").encode() in response.content


@pytest.mark.parametrize("name", ["account_change_password", "account_email"])
def test_allauth_management_pages_render_in_the_site_layout(member_client, name):
    content = member_client.get(reverse(name)).content.decode()
    assert content.count("<h1") == 1
    assert 'id="main"' in content


def test_set_links_refuses_script_and_plain_http_urls_whatever_calls_it(db):
    import pytest
    from django.core.exceptions import ValidationError

    from readingroom.accounts.actions import set_links
    from readingroom.accounts.models import ProfileLink
    from readingroom.testing.factories import UserFactory

    profile = UserFactory().profile
    for url in ("javascript:alert(1)", "http://example.org", "data:text/html,x"):
        with pytest.raises(ValidationError):
            set_links(profile=profile, links=[("website", url)])
    set_links(profile=profile, links=[("orcid", "https://orcid.org/0000-0002-1825-0097")])
    assert list(ProfileLink.objects.filter(profile=profile).values_list("url", flat=True)) == [
        "https://orcid.org/0000-0002-1825-0097"
    ]
