from datetime import timedelta

from django.utils import timezone

from readingroom.posts.timeline import note_member_seen

SEEN_RESOLUTION = timedelta(minutes=5)


class ActivityMiddleware:
    """Records when a member was last seen (at most every 5 minutes: one UPDATE).

    Fan-out skips members absent for more than RR_ACTIVE_DAYS; when one returns, their home
    timeline is rebuilt here, once, before the request is served.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            last = user.last_seen_at
            if last is None or now - last > SEEN_RESOLUTION:
                note_member_seen(user=user, now=now)
        return self.get_response(request)
