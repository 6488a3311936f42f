from django.contrib import admin

from readingroom.api.models import PersonalAccessToken


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Read-only: staff can see and revoke tokens (set revoked_at) but never learn a secret."""

    list_display = ("name", "user", "scope", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("user", "name", "scope", "prefix", "token_hash", "created_at", "last_used_at")
    raw_id_fields = ("user",)

    def has_add_permission(self, request):
        return False
