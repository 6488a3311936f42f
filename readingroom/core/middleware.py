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
    """Answers 400 when the path, query string or a form field holds a NUL character.

    NUL has no use in text, SQLite stores it but PostgreSQL refuses it (a 500 deep inside a
    query), so it is turned away at the door, once, for every route. File contents are not
    inspected: uploads live in request.FILES, not request.POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        suspicious = "\x00" in request.path or _has_nul(request.GET.values())
        if not suspicious and request.method == "POST":
            suspicious = _has_nul(v for values in request.POST.lists() for v in values[1])
        if suspicious:
            return render(request, "400.html", {"reason": "The request contained a NUL character."}, status=400)
        return self.get_response(request)
