from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Connects allauth's sign-up flow to our own actions; holds no domain logic itself."""

    def is_open_for_signup(self, request):
        return settings.RR_SIGNUP_OPEN
