import pytest

from readingroom.core import settings_nav

SETTINGS_PAGES = [
    ("/settings/profile/", "Profile"),
    ("/settings/account/", "Account"),
    ("/settings/follow-requests/", "Follow requests"),
    ("/settings/blocked-and-muted/", "Blocked and muted"),
    ("/settings/notifications/", "Notifications"),
    ("/settings/digest/", "Digest email"),
    ("/settings/tokens/", "API tokens"),
]


@pytest.mark.parametrize(("path", "current"), SETTINGS_PAGES)
def test_every_settings_page_links_every_section_and_marks_its_own(member_client, path, current):
    response = member_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index('<nav class="settings-nav"') : html.index("</nav>", html.index('<nav class="settings-nav"'))]
    for section in settings_nav.sections():
        assert f">{section.label}</a>" in nav
    assert f'aria-current="page">{current}</a>' in nav
    assert nav.count('aria-current="page"') == 1
