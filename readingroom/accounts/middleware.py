import zoneinfo

from django.utils import timezone


class MemberTimeZoneMiddleware:
    """Show times in the signed-in member's own IANA time zone (UTC for visitors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)  # cached on the user for the view that follows
            if profile is not None and profile.time_zone:
                try:
                    zone = zoneinfo.ZoneInfo(profile.time_zone)
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    zone = None
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
