"""The live process (`readingroom live`): WebSockets only. Pages are served over WSGI
(readingroom/wsgi.py), several times faster on these machines; this process relays live updates
(ADR 0014). Its plain HTTP answers 404, so it is never mistaken for the site."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
django_asgi_app = get_asgi_application()  # sets Django up before the consumers are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from readingroom.messaging.consumers import ConversationConsumer  # noqa: E402


async def not_here(scope, receive, send):
    """Plain HTTP on the live port: a short 404 pointing at the site."""
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
    await send(
        {
            "type": "http.response.body",
            "body": b"This is Reading Room's live-updates port; pages are served on the site's own address.\n",
        }
    )


websocket_urls = [path("ws/conversations/<int:conversation_id>/", ConversationConsumer.as_asgi())]
application = ProtocolTypeRouter(
    {
        "http": not_here,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urls))),
    }
)

__all__ = ["application", "django_asgi_app"]
