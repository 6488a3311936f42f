import pytest
from django.http import Http404
from django.urls import reverse

from readingroom.accounts.models import Profile
from readingroom.core.models import Visibility
from readingroom.posts import actions
from readingroom.posts.models import Hashtag, Mention, Post, PostHashtag, PostImage, TimelineEntry
from readingroom.posts.tests.conftest import executable_constructs, parse, png_upload
from readingroom.testing.factories import BlockFactory, FollowFactory, UserFactory
from readingroom.testing.ratelimit import start_of_a_fresh_window

pytestmark = pytest.mark.django_db


def test_a_post_renders_markdown_hashtags_and_mentions_of_existing_members(member, publish):
    UserFactory(profile__handle="archivist")
    post = publish(member, "**Big** news for #Cataloguing from @Archivist and @nobody_here")
    tree = parse(post.body_html)
    assert tree.find(".//strong").text == "Big"
    links = {a.text: a.get("href") for a in tree.iter("a")}
    assert links["#Cataloguing"] == reverse("posts:hashtag", args=["cataloguing"])
    assert links["@Archivist"] == reverse("network:profile", args=["archivist"])
    assert "@nobody_here" not in links
    assert list(Hashtag.objects.values_list("name", flat=True)) == ["cataloguing"]
    assert PostHashtag.objects.filter(post=post).count() == 1
    assert list(Mention.objects.filter(post=post).values_list("user__profile__handle", flat=True)) == ["archivist"]


def test_a_post_cannot_smuggle_script_into_its_html(member, publish):
    nasty = (
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
        '<a href="javascript:alert(1)">x</a> ``` <script> ``` #tag"><script>'
    )
    post = publish(member, nasty)
    assert executable_constructs(post.body_html) == []


def test_mentions_skip_members_in_a_block_with_the_author(member, publish):
    blocker = UserFactory(profile__handle="blocker")
    BlockFactory(blocker=blocker, blocked=member)
    post = publish(member, "hello @blocker")
    assert not Mention.objects.filter(post=post).exists()


def test_a_new_post_counts_toward_the_profile_and_reaches_followers_home_timelines(member, publish):
    follower = UserFactory()
    FollowFactory(follower=follower, followee=member)
    post = publish(member, "For my followers")
    assert Profile.objects.get(user=member).posts_count == 1
    owners = set(TimelineEntry.objects.filter(post=post).values_list("owner_id", flat=True))
    assert owners == {member.pk, follower.pk}


def test_an_over_length_post_is_refused_with_a_message_and_the_text_kept(member_client, settings):
    body = "x" * (settings.RR_POST_MAX_CHARS + 1)
    response = member_client.post(reverse("posts:create"), {"body": body, "visibility": "public"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 1,000 characters" in page
    textarea = parse(page).find(".//textarea[@name='body']")
    assert textarea.text.strip() == body
    assert not Post.objects.exists()


def test_the_action_also_refuses_an_over_length_post(member, settings):
    with pytest.raises(Exception, match="at most"):
        actions.create_post(author=member, body="y" * 1001, visibility="public")


def test_an_empty_post_is_refused(member_client):
    response = member_client.post(reverse("posts:create"), {"body": "   ", "visibility": "public"})
    assert "Write something before posting." in response.content.decode()
    assert not Post.objects.exists()


def test_an_image_without_alt_text_is_refused_and_the_other_input_kept(member_client):
    response = member_client.post(
        reverse("posts:create"),
        {"body": "Look at this", "visibility": "members", "image_1": png_upload(), "alt_1": " "},
    )
    page = response.content.decode()
    assert "alt text is required" in page
    assert parse(page).find(".//textarea[@name='body']").text.strip() == "Look at this"
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_an_image_with_alt_text_is_stored_clean_and_shown_with_its_description(member_client, committing):
    with committing():
        response = member_client.post(
            reverse("posts:create"),
            {"body": "Reading room at dawn", "visibility": "public", "image_1": png_upload(), "alt_1": "Empty desks"},
        )
    assert response.status_code == 302
    image = PostImage.objects.get()
    assert image.alt_text == "Empty desks" and image.width == 40
    page = member_client.get(reverse("posts:detail", args=[image.post_id])).content.decode()
    assert any(img.get("alt") == "Empty desks" for img in parse(page).iter("img"))


def test_the_action_refuses_images_without_alt_text_or_more_than_four(member):
    with pytest.raises(Exception, match="alt text"):
        actions.create_post(author=member, body="", visibility="public", images=[(png_upload(), "")])
    five = [(png_upload(), "a picture") for _ in range(5)]
    with pytest.raises(Exception, match="at most 4 images"):
        actions.create_post(author=member, body="x", visibility="public", images=five)
    assert not Post.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(member_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<html>not an image</html>", content_type="image/png")
    response = member_client.post(
        reverse("posts:create"), {"body": "hi", "visibility": "public", "image_1": fake, "alt_1": "a thing"}
    )
    assert "not an image we can read" in response.content.decode()
    assert not Post.objects.exists()


def test_a_reply_joins_the_thread_counts_and_is_no_more_visible_than_its_parent(member, publish):
    other = UserFactory()
    FollowFactory(follower=member, followee=other)
    FollowFactory(follower=other, followee=member)
    root = publish(other, "Question?", visibility=Visibility.FOLLOWERS)
    reply = publish(member, "Answer", visibility=Visibility.PUBLIC, reply_to=root)
    deeper = publish(other, "Thanks", reply_to=reply)
    assert reply.visibility == Visibility.FOLLOWERS
    assert (reply.thread_root_id, deeper.thread_root_id) == (root.pk, root.pk)
    root.refresh_from_db()
    assert root.replies_count == 1


def test_nobody_can_reply_to_a_post_they_cannot_see(member, publish):
    stranger = UserFactory()
    hidden = publish(stranger, "Followers only", visibility=Visibility.FOLLOWERS)
    with pytest.raises(Http404):
        actions.create_post(author=member, body="Sneaky", visibility="public", reply_to=hidden)


def test_the_reply_form_posts_into_the_thread_and_returns_to_it(member_client, member, publish, committing):
    root = publish(UserFactory(), "Anyone for #metadata?")
    with committing():
        response = member_client.post(
            reverse("posts:create"), {"body": "Me!", "visibility": "public", "reply_to": root.pk}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("posts:detail", args=[root.pk])
    assert Post.objects.get(reply_to=root).author == member


def test_the_composer_defaults_to_the_members_chosen_visibility(member_client, member):
    Profile.objects.filter(user=member).update(default_post_visibility=Visibility.MEMBERS)
    page = member_client.get(reverse("posts:home")).content.decode()
    selected = parse(page).find(".//select[@name='visibility']/option[@selected]")
    assert selected.get("value") == "members"


def test_anonymous_visitors_are_sent_from_home_to_the_local_timeline(client, db):
    response = client.get(reverse("posts:home"))
    assert response.status_code == 302 and response["Location"] == reverse("posts:local")


def test_members_who_have_not_finished_onboarding_are_sent_there_first(client, db):
    newcomer = UserFactory(profile__onboarded_at=None)
    client.force_login(newcomer)
    response = client.get(reverse("posts:home"))
    assert response["Location"] == reverse("accounts:onboarding")


def test_posting_is_rate_limited(member_client, settings, committing):
    settings.RR_RATE_LIMITS_ENABLED = True
    start_of_a_fresh_window(300)
    with committing():
        for n in range(30):
            response = member_client.post(reverse("posts:create"), {"body": f"n{n}", "visibility": "public"})
            assert response.status_code == 302
    response = member_client.post(reverse("posts:create"), {"body": "one more", "visibility": "public"})
    assert response.status_code == 429 and "Retry-After" in response
