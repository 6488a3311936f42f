"""Share links: shown once, stored as a hash, open the portfolio to anyone until they expire or
are revoked; every invalid link is the same 404."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from readingroom.portfolio import actions
from readingroom.portfolio.models import ShareLink
from readingroom.portfolio.tests.factories import PortfolioFactory, SectionItemFactory
from readingroom.portfolio.tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_a_link_is_created_and_its_token_shown_once(owner_client, owner):
    portfolio = PortfolioFactory(owner=owner)
    url = reverse("portfolio:share", args=[portfolio.pk])

    response = owner_client.post(url, {"label": "Panel", "days": "30"})

    assert response.status_code == 302
    shown = owner_client.get(url)
    new_url = shown.context["new_url"]
    assert new_url.startswith("http://testserver/p/")
    token = new_url.rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ShareLink.objects.values().get())
    assert (link.expires_at - timezone.now()).days in (29, 30) and link.label == "Panel"
    assert owner_client.get(url).context["new_url"] is None  # gone on the next visit


@pytest.mark.parametrize(
    ("days", "ok"), [("0", False), ("1", True), ("365", True), ("366", False), ("x", False), ("9" * 30, False)]
)
def test_expiry_is_one_day_to_a_year(owner_client, owner, days, ok):
    portfolio = PortfolioFactory(owner=owner)
    response = owner_client.post(reverse("portfolio:share", args=[portfolio.pk]), {"label": "", "days": days})
    assert (response.status_code == 302) is ok
    assert ShareLink.objects.exists() is ok
    if not ok:
        assert 'role="alert"' in response.content.decode()


def test_a_valid_link_shows_the_portfolio_to_anyone(client, owner):
    portfolio = PortfolioFactory(owner=owner, title="Shared portfolio")
    SectionItemFactory(portfolio=portfolio, heading="My statement")
    link, token = actions.create_share_link(portfolio=portfolio, label="x", days=7)

    response = client.get(reverse("portfolio:shared", args=[token]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Shared portfolio" in html and "My statement" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    link.refresh_from_db()
    assert link.view_count == 1 and link.last_viewed_at is not None
    pdf = client.get(reverse("portfolio:shared_pdf", args=[token]))
    assert pdf.status_code == 200 and pdf["X-Robots-Tag"] == "noindex"
    assert "My statement" in pdf_text(pdf.content)


def _expired(portfolio):
    link, token = actions.create_share_link(portfolio=portfolio, days=1)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return token


def _revoked(portfolio):
    link, token = actions.create_share_link(portfolio=portfolio, days=1)
    actions.revoke_share_link(link=link)
    return token


@pytest.mark.parametrize("make", [_expired, _revoked, lambda p: "not-a-real-token", lambda p: "x" * 5000])
def test_expired_revoked_and_unknown_links_are_the_same_404(client, owner, make):
    portfolio = PortfolioFactory(owner=owner)
    token = make(portfolio)
    for name in ("portfolio:shared", "portfolio:shared_pdf"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 404
        assert portfolio.title not in response.content.decode()


def test_a_suspended_owners_links_stop_working(client, owner):
    portfolio = PortfolioFactory(owner=owner)
    _link, token = actions.create_share_link(portfolio=portfolio, days=1)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.get(reverse("portfolio:shared", args=[token])).status_code == 404


def test_the_owner_revokes_a_link_from_the_list(owner_client, owner, client):
    portfolio = PortfolioFactory(owner=owner)
    link, token = actions.create_share_link(portfolio=portfolio, label="Panel", days=5)
    page = owner_client.get(reverse("portfolio:share", args=[portfolio.pk])).content.decode()
    assert "Panel" in page and "Revoke" in page

    owner_client.post(reverse("portfolio:revoke_link", args=[portfolio.pk, link.pk]))

    link.refresh_from_db()
    assert link.revoked_at is not None
    assert owner_client.get(reverse("portfolio:shared", args=[token])).status_code == 404


def test_others_cannot_list_create_or_revoke_links(client, owner, other):
    portfolio = PortfolioFactory(owner=owner)
    link, _token = actions.create_share_link(portfolio=portfolio, days=5)
    client.force_login(other)
    assert client.get(reverse("portfolio:share", args=[portfolio.pk])).status_code == 404
    assert client.post(reverse("portfolio:share", args=[portfolio.pk]), {"days": "3"}).status_code == 404
    assert client.post(reverse("portfolio:revoke_link", args=[portfolio.pk, link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None and ShareLink.objects.count() == 1
