from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from readingroom.accounts import actions


class AccountAdapter(DefaultAccountAdapter):
    """Connects allauth's sign-up flow to our own actions; holds no domain logic itself.

    The profile itself is created by SignupForm.custom_signup (with the chosen handle).
    """

    def is_open_for_signup(self, request):
        return settings.RR_SIGNUP_OPEN

    def clean_email(self, email: str) -> str:
        # Forms allow 320 characters; the user and email-address columns hold 254.
        if len(email) > 254:
            raise ValidationError("An email address is at most 254 characters.")
        return super().clean_email(email)

    def login(self, request, user):
        # Members created outside sign-up (createsuperuser, the admin) get a profile on first login.
        actions.ensure_profile(user=user)
        return super().login(request, user)
