from django.shortcuts import render

from readingroom.core.ratelimit import RateLimited


class RateLimitedMiddleware:
    """Turns RateLimited raised anywhere in a view into a friendly 429 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            response = render(request, "429.html", {"retry_after": exception.retry_after}, status=429)
            response["Retry-After"] = str(exception.retry_after)
            return response
        return None
