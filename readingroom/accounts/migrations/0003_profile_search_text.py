"""Profile.search_text: the words people search matches, filled in for existing members."""

from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from readingroom.accounts.actions import profile_search_text

    Profile = apps.get_model("accounts", "Profile")
    for profile in Profile.objects.prefetch_related("interests").iterator(chunk_size=2000):
        names = sorted(interest.name for interest in profile.interests.all())
        profile.search_text = profile_search_text(profile, names)
        profile.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_interest_vocabulary")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
