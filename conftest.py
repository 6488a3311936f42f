import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright beside Django's live server


@pytest.fixture(autouse=True)
def _own_redis_database(settings):
    """On the Redis leg each pytest-xdist worker gets its own Redis database, so one worker's
    cache.clear() never wipes another's rate-limit counters."""
    cache_settings = settings.CACHES["default"]
    if cache_settings["BACKEND"].endswith("RedisCache"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw-1").removeprefix("gw")
        base = cache_settings["LOCATION"].rsplit("/", 1)[0]
        settings.CACHES = {"default": {**cache_settings, "LOCATION": f"{base}/{int(worker) + 3}"}}


@pytest.fixture(autouse=True)
def _test_settings(_own_redis_database, settings, tmp_path):
    # Tasks run immediately in tests unless a test starts the real worker itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RR_PRIVATE_ROOT = tmp_path / "private"
    # No reading-count flush (pln.reading) inside another test's query count; pln's tests set their own.
    settings.RR_READING_FLUSH_SECONDS = 10**9
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RR_RATE_LIMITS_ENABLED = False
    # Hashing with PBKDF2's full iterations dominates test time; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def member(db):
    from readingroom.testing.factories import UserFactory

    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


pytest_plugins = ["readingroom.testing.browser", "readingroom.testing.smtp"]
