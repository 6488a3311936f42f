"""Load Reading Room's own skills framework (skills/frameworks/library-and-information.toml) as
the default. Re-running the loader later updates it by area code and keeps members' ratings."""

from django.db import migrations


def load_default(apps, schema_editor):
    from readingroom.skills import loader

    spec = loader.parse(loader.DEFAULT_FRAMEWORK_PATH.read_bytes())
    framework_model = apps.get_model("skills", "SkillFramework")
    # Leave a default an admin has already chosen alone.
    make_default = not framework_model.objects.filter(is_default=True).exclude(slug=spec.slug).exists()
    loader.save(
        spec,
        make_default=make_default,
        framework_model=framework_model,
        area_model=apps.get_model("skills", "SkillArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("skills", "0002_skillarea_retired")]

    operations = [migrations.RunPython(load_default, migrations.RunPython.noop)]
