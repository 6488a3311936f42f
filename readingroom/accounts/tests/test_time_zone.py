from django.utils import timezone

from readingroom.testing.factories import UserFactory


def test_pages_show_times_in_the_members_own_time_zone(client, db):
    member = UserFactory(profile__time_zone="Australia/Sydney")
    client.force_login(member)
    seen = {}

    def capture(request):
        seen["zone"] = timezone.get_current_timezone_name()

    from readingroom.accounts.middleware import MemberTimeZoneMiddleware

    request = client.get("/local").wsgi_request
    MemberTimeZoneMiddleware(capture)(request)
    assert seen["zone"] == "Australia/Sydney"


def test_visitors_see_utc(rf):
    from django.contrib.auth.models import AnonymousUser

    from readingroom.accounts.middleware import MemberTimeZoneMiddleware

    request = rf.get("/local")
    request.user = AnonymousUser()
    seen = {}
    MemberTimeZoneMiddleware(lambda r: seen.setdefault("zone", timezone.get_current_timezone_name()))(request)
    assert seen["zone"] == "UTC"
