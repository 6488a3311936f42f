import pytest
from django.urls import reverse

from readingroom.accounts.models import Follow, FollowRequest, Mute, Profile
from readingroom.core.models import Visibility
from readingroom.network import actions
from readingroom.testing.factories import InterestFactory, PostFactory, UserFactory
from readingroom.testing.ratelimit import start_of_a_fresh_window

pytestmark = pytest.mark.django_db


def member(handle, **profile):
    return UserFactory(profile__handle=handle, **{f"profile__{k}": v for k, v in profile.items()})


def profile_url(handle):
    return reverse("network:profile", args=[handle])


# --- profile page -----------------------------------------------------------------------------


def test_profile_page_shows_identity_counts_posts_and_links(client):
    ada = member(
        "ada",
        display_name="Ada Lovelace",
        pronouns="she/her",
        headline="Metadata librarian",
        job_title="Cataloguer",
        organisation="Analytical Library",
        sector="academic",
        city="London",
        country="GB",
        time_zone="Pacific/Auckland",
        languages="English, Māori",
        open_to_mentoring=True,
    )
    ada.profile.interests.set([InterestFactory(slug="maps", name="Maps")])
    ada.profile.links.create(kind="orcid", url="https://orcid.org/0000-0001")
    PostFactory(author=ada, body="Hello catalogue")

    response = client.get(profile_url("ada"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for text in [
        "Ada Lovelace",
        "she/her",
        "Metadata librarian",
        "Cataloguer",
        "Analytical Library",
        "Academic library",
        "London",
        "United Kingdom",
        "Pacific/Auckland",
        "Māori",
        "Maps",
        "Open to mentoring",
        "Hello catalogue",
    ]:
        assert text in html, text
    assert 'rel="me noopener"' in html
    assert "Log in to follow" in html


def test_profile_fields_the_member_hides_are_shown_to_the_owner_only(client):
    ada = member("ada", pronouns="she/her", organisation="Hidden Org", hidden_fields=["pronouns", "organisation"])
    other = member("other")
    client.force_login(other)
    html = client.get(profile_url("ada")).content.decode()
    assert "she/her" not in html and "Hidden Org" not in html
    client.force_login(ada)
    html = client.get(profile_url("ada")).content.decode()
    assert "she/her" in html and "Hidden Org" in html


def test_handles_are_case_insensitive_and_redirect_to_the_canonical_address(client):
    member("ada")
    response = client.get("/@AdA?before=5")
    assert response.status_code == 301
    assert response["Location"] == "/@ada?before=5"


def test_unknown_handles_answer_404(client):
    assert client.get("/@nobody").status_code == 404


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.FOLLOWERS])
def test_restricted_profiles_answer_404_to_anonymous_visitors(client, visibility):
    member("ada", visibility=visibility)
    assert client.get(profile_url("ada")).status_code == 404
    assert client.get(reverse("network:followers", args=["ada"])).status_code == 404


def test_followers_only_profiles_answer_404_to_non_followers_and_200_to_followers(client):
    ada = member("ada", visibility=Visibility.FOLLOWERS)
    stranger, fan = member("stranger"), member("fan")
    actions.follow(follower=fan, followee=ada)
    client.force_login(stranger)
    assert client.get(profile_url("ada")).status_code == 404
    assert client.get(reverse("network:following", args=["ada"])).status_code == 404
    client.force_login(fan)
    assert client.get(profile_url("ada")).status_code == 200
    assert client.get(reverse("network:following", args=["ada"])).status_code == 200


def test_a_block_hides_each_profile_from_the_other(client):
    ann, bea = member("ann"), member("bea")
    actions.block(blocker=ann, blocked=bea)
    client.force_login(ann)
    assert client.get(profile_url("bea")).status_code == 404
    client.force_login(bea)
    assert client.get(profile_url("ann")).status_code == 404
    assert client.get(reverse("network:followers", args=["ann"])).status_code == 404


def test_suspended_members_profiles_answer_404(client):
    gone = member("gone")
    gone.is_active = False
    gone.save()
    assert client.get(profile_url("gone")).status_code == 404


# --- relationship buttons -----------------------------------------------------------------------


def test_follow_button_follows_and_redirects_back_without_javascript(client):
    ann, bea = member("ann"), member("bea")
    client.force_login(ann)
    response = client.post(reverse("network:follow", args=["bea"]))
    assert response.status_code == 302
    assert response["Location"] == profile_url("bea")
    assert Follow.objects.filter(follower=ann, followee=bea).exists()
    assert "Unfollow" in client.get(profile_url("bea")).content.decode()


def test_follow_with_htmx_returns_the_buttons_partial_with_a_status_line(client):
    ann, bea = member("ann"), member("bea", display_name="Bea")
    client.force_login(ann)
    response = client.post(reverse("network:follow", args=["bea"]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="rel-{bea.pk}"' in html
    assert "Unfollow" in html
    assert 'hx-swap-oob="innerHTML"' in html and "You now follow Bea." in html
    assert "<html" not in html


def test_follow_redirects_only_to_local_next_urls(client):
    member("ann")
    member("bea")
    client.force_login(Profile.objects.get(handle="ann").user)
    response = client.post(reverse("network:follow", args=["bea"]), {"next": "https://evil.example/"})
    assert response["Location"] == profile_url("bea")
    response = client.post(reverse("network:unfollow", args=["bea"]), {"next": "/people/?q=x"})
    assert response["Location"] == "/people/?q=x"


def test_following_a_locked_account_shows_the_request_as_pending(client):
    ann, bea = member("ann"), member("bea", locked=True)
    client.force_login(ann)
    client.post(reverse("network:follow", args=["bea"]))
    assert FollowRequest.objects.filter(requester=ann, target=bea).exists()
    assert "Follow request sent" in client.get(profile_url("bea")).content.decode()


def test_following_across_a_block_answers_404(client):
    ann, bea = member("ann"), member("bea")
    actions.block(blocker=bea, blocked=ann)
    client.force_login(ann)
    assert client.post(reverse("network:follow", args=["bea"])).status_code == 404
    assert not Follow.objects.exists()


def test_relationship_actions_need_post_and_a_signed_in_member(client):
    member("bea")
    assert client.get(reverse("network:follow", args=["bea"])).status_code in (302, 405)
    response = client.post(reverse("network:follow", args=["bea"]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Follow.objects.exists()


def test_following_is_rate_limited(client, settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    start_of_a_fresh_window(3600)
    ann = member("ann")
    member("bea")
    client.force_login(ann)
    for _ in range(100):
        client.post(reverse("network:follow", args=["bea"]))
    response = client.post(reverse("network:follow", args=["bea"]))
    assert response.status_code == 429
    assert "Retry-After" in response


def test_block_sends_the_blocker_to_the_blocked_list_where_it_can_be_undone(client):
    ann = member("ann")
    member("bea", display_name="Bea")
    client.force_login(ann)
    response = client.post(reverse("network:block", args=["bea"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:blocks_mutes")
    assert "@bea" in response.content.decode()
    client.post(reverse("network:unblock", args=["bea"]))
    assert client.get(profile_url("bea")).status_code == 200


def test_mute_and_unmute_from_the_profile(client):
    ann, bea = member("ann"), member("bea")
    client.force_login(ann)
    client.post(reverse("network:mute", args=["bea"]))
    assert Mute.objects.filter(muter=ann, muted=bea).exists()
    assert "Unmute" in client.get(profile_url("bea")).content.decode()
    client.post(reverse("network:unmute", args=["bea"]))
    assert not Mute.objects.exists()


def test_follow_requests_page_approves_and_declines(client):
    owner = member("owner", locked=True)
    ann, bea = member("ann"), member("bea")
    actions.follow(follower=ann, followee=owner)
    actions.follow(follower=bea, followee=owner)
    client.force_login(owner)
    html = client.get(reverse("network:requests")).content.decode()
    assert "@ann" in html and "@bea" in html
    ann_request, bea_request = FollowRequest.objects.get(requester=ann), FollowRequest.objects.get(requester=bea)
    client.post(reverse("network:approve_request", args=[ann_request.id]))
    client.post(reverse("network:decline_request", args=[bea_request.id]))
    assert Follow.objects.filter(follower=ann, followee=owner).exists()
    assert not Follow.objects.filter(follower=bea).exists()
    assert not FollowRequest.objects.exists()


def test_nobody_can_answer_someone_elses_follow_request(client):
    owner, ann, intruder = member("owner", locked=True), member("ann"), member("intruder")
    actions.follow(follower=ann, followee=owner)
    client.force_login(intruder)
    request_id = FollowRequest.objects.get().id
    assert client.post(reverse("network:approve_request", args=[request_id])).status_code == 404
    assert FollowRequest.objects.exists()


def test_owner_can_remove_a_follower_from_their_followers_list(client):
    owner, fan = member("owner"), member("fan")
    actions.follow(follower=fan, followee=owner)
    client.force_login(owner)
    assert "Remove follower" in client.get(reverse("network:followers", args=["owner"])).content.decode()
    client.post(reverse("network:remove_follower", args=["fan"]))
    assert not Follow.objects.exists()


# --- lists, directory, onboarding ------------------------------------------------------------


def test_followers_page_query_count_does_not_grow_with_followers(client, django_assert_max_num_queries):
    star, viewer = member("star"), member("viewer")
    for n in range(3):
        actions.follow(follower=member(f"fan{n}"), followee=star)
    client.force_login(viewer)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("network:followers", args=["star"]))
    for n in range(3, 20):
        actions.follow(follower=member(f"fan{n}"), followee=star)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("network:followers", args=["star"]))
    assert response.content.decode().count("person-card") == 20


def test_directory_page_filters_without_javascript_and_keeps_the_input(client):
    viewer = member("viewer")
    member("archivist", sector="archive", display_name="Arch Ivist")
    member("museum", sector="museum", display_name="Mu Seum")
    client.force_login(viewer)
    response = client.get(reverse("network:directory"), {"sector": "archive", "q": "ivist"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Arch Ivist" in html and "Mu Seum" not in html
    assert 'value="ivist"' in html
    assert '<option value="archive" selected>' in html


def test_directory_reports_bad_filter_values_instead_of_failing(client):
    client.force_login(member("viewer"))
    response = client.get(reverse("network:directory"), {"sector": "nonsense", "q": "x" * 500, "after": "abc"})
    assert response.status_code == 200
    assert "Please choose one of the options" in response.content.decode()


def test_directory_htmx_refresh_returns_only_the_results(client):
    client.force_login(member("viewer"))
    response = client.get(
        reverse("network:directory"), {"q": "viewer"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="directory-results"
    )
    html = response.content.decode()
    assert 'id="directory-results"' in html and "<html" not in html
    assert 'id="directory-status" hx-swap-oob="innerHTML"' in html


def test_directory_page_query_count_does_not_grow_with_members(client, django_assert_max_num_queries):
    viewer = member("viewer")
    topic = InterestFactory()
    client.force_login(viewer)
    for n in range(2):
        member(f"m{n}").profile.interests.add(topic)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("network:directory"))
    for n in range(2, 24):
        member(f"m{n}").profile.interests.add(topic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("network:directory"))
    assert response.content.decode().count("person-card") == 24


def test_directory_needs_a_signed_in_member(client):
    assert client.get(reverse("network:directory")).status_code == 302


def test_onboarding_people_suggests_and_finish_completes_onboarding(client):
    topic = InterestFactory(name="Zines")
    viewer = member("viewer", onboarded_at=None)
    viewer.profile.interests.add(topic)
    member("zinester").profile.interests.add(topic)
    client.force_login(viewer)
    html = client.get(reverse("network:onboarding_people")).content.decode()
    assert "@zinester" in html and "Shares your interest in Zines" in html
    assert "Step 3 of 3" in html
    response = client.post(reverse("network:onboarding_people"))
    assert response["Location"] == reverse("posts:home")
    viewer.profile.refresh_from_db()
    assert viewer.profile.onboarded_at is not None


def test_pages_answer_with_the_right_nav_and_one_heading(client):
    viewer = member("viewer")
    client.force_login(viewer)
    for name, args in [
        ("network:directory", []),
        ("network:requests", []),
        ("network:blocks_mutes", []),
        ("network:onboarding_people", []),
        ("network:profile", ["viewer"]),
        ("network:followers", ["viewer"]),
        ("network:following", ["viewer"]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert html.count("<h1") == 1, name
        assert "style=" not in html and "<script>" not in html, name


def test_out_of_range_cursors_start_from_the_beginning_instead_of_failing(client):
    viewer = member("viewer")
    client.force_login(viewer)
    huge = "9" * 19
    for url in ["/people/", "/@viewer/followers", "/@viewer", reverse("network:blocks_mutes")]:
        assert client.get(url, {"after": huge, "before": huge, "blocks_after": huge}).status_code == 200, url


def test_acting_on_a_profile_one_may_not_see_does_not_reveal_its_display_name(client):
    member("secret", display_name="Secret Sam", visibility=Visibility.FOLLOWERS, locked=True)
    client.force_login(member("snoop"))
    for name in ["network:mute", "network:follow", "network:unfollow", "network:unmute"]:
        html = client.post(reverse(name, args=["secret"]), HTTP_HX_REQUEST="true").content.decode()
        assert "Secret Sam" not in html and "@secret" in html, name
    client.post(reverse("network:block", args=["secret"]))
    assert "Secret Sam" not in client.get(reverse("network:blocks_mutes")).content.decode()


def test_a_followers_only_profile_can_be_followed_and_then_seen(client):
    member("quiet", visibility=Visibility.FOLLOWERS)
    client.force_login(member("fan"))
    assert client.get(profile_url("quiet")).status_code == 404
    client.post(reverse("network:follow", args=["quiet"]))
    assert client.get(profile_url("quiet")).status_code == 200


def test_block_with_htmx_redirects_the_page_to_the_blocked_list(client):
    member("bea")
    client.force_login(member("ann"))
    response = client.post(reverse("network:block", args=["bea"]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("network:blocks_mutes")


def test_anonymous_visitors_see_public_profiles_and_their_lists(client):
    star = member("star")
    actions.follow(follower=member("fan"), followee=star)
    for url in [profile_url("star"), reverse("network:followers", args=["star"])]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1
    assert "@fan" in client.get(reverse("network:followers", args=["star"])).content.decode()
