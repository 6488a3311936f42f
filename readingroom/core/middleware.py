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


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


class RejectNulMiddleware:
    """Answers 400 when the path or the query string holds a NUL character.

    NUL has no use in text; SQLite stores it but PostgreSQL refuses it (a 500 deep inside a
    query), so URL parts, which reach queries without a form, are turned away at the door.
    Form fields are left to the forms: Django's CharField rejects NUL with an error beside
    the field and keeps the rest of what the member typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(v for _, values in request.GET.lists() for v in values):
            return render(request, "400.html", {"reason": "The request contained a NUL character."}, status=400)
        return self.get_response(request)
