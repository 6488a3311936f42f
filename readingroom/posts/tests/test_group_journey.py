"""A private cohort group end to end through the pages: create, invite by link, join, post, read."""

import re

import pytest
from django.urls import reverse

from readingroom.groups.models import Group, Membership
from readingroom.posts.models import Post, TimelineEntry
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_private_cohort_group_journey(client, django_capture_on_commit_callbacks):
    owner, joiner, outsider = UserFactory(), UserFactory(), UserFactory()
    client.force_login(owner)
    response = client.post(
        reverse("groups:create"),
        {
            "name": "Cohort 2027",
            "privacy": "private",
            "summary": "Next year's MLIS cohort",
            "conduct": "Be kind.",
            "tags": "cohort, mlis",
            "sector": "education",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = Group.objects.get(name="Cohort 2027")
    assert Membership.objects.filter(group=group, user=owner, role="owner").exists()
    for name in ("posts:group",):
        assert client.get(reverse(name, args=[group.slug])).status_code == 200
    for name in ("about", "members", "requests", "invitations", "bans", "resources", "edit", "delete"):
        r = client.get(reverse(f"groups:{name}", args=[group.slug]))
        assert r.status_code == 200, name
    assert client.get(reverse("groups:directory")).status_code == 200
    response = client.post(reverse("groups:invitations", args=[group.slug]), {"days": "7", "max_uses": "5"})
    link = re.search(r'value="(http[^"]+/groups/invite/[^"]+)"', response.content.decode()).group(1)
    path = link.split("testserver", 1)[1]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("posts:create"),
            {
                "body": "Welcome, cohort! zqxgrouppost",
                "visibility": "public",
                "group": group.pk,
                "next": reverse("posts:group", args=[group.slug]),
            },
        )
    post = Post.objects.get(body__contains="zqxgrouppost")
    assert post.group_id == group.pk and post.visibility == "members"

    client.force_login(outsider)
    assert "zqxgrouppost" not in client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 404
    assert client.get(reverse("posts:group", args=[group.slug])).status_code == 302

    client.force_login(joiner)
    assert client.get(path).status_code == 200
    assert client.post(path, {}).status_code == 400  # the code of conduct must be accepted
    response = client.post(path, {"accept_conduct": "on"})
    assert response.status_code == 302
    assert Membership.objects.filter(group=group, user=joiner).exists()
    page = client.get(reverse("posts:group", args=[group.slug])).content.decode()
    assert "zqxgrouppost" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("posts:create"), {"body": "Thanks! zqxreply", "visibility": "public", "reply_to": post.pk})
    reply = Post.objects.get(body__contains="zqxreply")
    assert reply.group_id == group.pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("posts:create"), {"body": "Second zqxsecond", "visibility": "public", "group": group.pk})
    second = Post.objects.get(body__contains="zqxsecond")
    assert TimelineEntry.objects.filter(owner=owner, post=second).exists()
    client.force_login(outsider)
    assert (
        "zqxsecond"
        not in client.get(reverse("search:search"), {"q": "zqxsecond"})
        .content.decode()
        .partition('id="search-results"')[2]
    )
