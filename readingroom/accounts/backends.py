"""The authentication backend: allauth's (email or handle sign-in) with a cheaper per-request load."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend

from readingroom.accounts.models import User
from readingroom.core.prepared import PreparedQuery

# Every signed-in request loads the member, and nearly every page then reads their profile
# (time zone, handle, avatar): one prepared query for both instead of two ORM queries built anew.
_MEMBER_WITH_PROFILE = PreparedQuery(lambda _viewer, ids: User.objects.select_related("profile").filter(pk__in=ids))


class MemberBackend(AuthenticationBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        if not -(2**63) < pk < 2**63:
            return None
        found = _MEMBER_WITH_PROFILE.fetch(key="member", viewer_pk=None, ids=[pk])
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
