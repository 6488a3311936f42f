import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
application = get_wsgi_application()

# Import every view (the API's schemas take most of a second) when a worker starts, so that
# no member's request pays for it: Django would otherwise build the URL map on first use.
from django.urls import get_resolver  # noqa: E402

get_resolver().reverse_dict  # noqa: B018
