"""Framework files: the shipped default, the checks with their messages, and re-loading."""

import io

import pytest
from django.core.management import CommandError, call_command

from readingroom.skills import actions, loader
from readingroom.skills.models import Rating, SkillArea, SkillFramework
from readingroom.skills.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

SMALL = """
slug = "small"
name = "Small framework"
version = "1"

[[areas]]
code = "one"
name = "Area one"
description = "The first."

  [[areas.sub_areas]]
  code = "one-a"
  name = "One A"

[[areas]]
code = "two"
name = "Area two"
"""


def test_the_default_framework_is_loaded_by_the_migration_as_the_default(framework):
    assert framework.is_default and framework.name == "Library and information work"
    areas = SkillArea.objects.filter(framework=framework, parent__isnull=True)
    assert 8 <= areas.count() <= 10
    for area in areas:
        assert area.description
        assert 3 <= area.children.count() <= 4
        assert all(child.description for child in area.children.all())


def test_the_default_file_is_within_every_limit():
    spec = loader.parse(loader.DEFAULT_FRAMEWORK_PATH.read_bytes())
    assert spec.slug == "library-and-information" and len(spec.areas) == 9


def test_a_small_file_loads_areas_and_sub_areas_in_order():
    framework = actions.load_framework(data=SMALL)
    assert not framework.is_default
    rows = list(SkillArea.objects.filter(framework=framework).values_list("code", "parent__code", "position"))
    assert rows == [("one", None, 0), ("one-a", "one", 1), ("two", None, 2)]


def test_reloading_updates_by_code_keeps_ratings_and_retires_missing_areas():
    framework = actions.load_framework(data=SMALL)
    one = SkillArea.objects.get(framework=framework, code="one")
    two = SkillArea.objects.get(framework=framework, code="two")
    rating = Rating.objects.create(assessment=AssessmentFactory(framework=framework), area=two, current=1, target=2)

    changed = SMALL.replace('name = "Area one"', 'name = "Area one, renamed"').replace(
        '[[areas]]\ncode = "two"\nname = "Area two"\n', '[[areas]]\ncode = "three"\nname = "Area three"\n'
    )
    again = actions.load_framework(data=changed)

    assert again.pk == framework.pk
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.name == "Area one, renamed" and not one.retired
    assert two.retired
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert SkillArea.objects.filter(framework=framework, code="three", retired=False).exists()


def test_make_default_moves_the_default(framework):
    small = actions.load_framework(data=SMALL, make_default=True)
    framework.refresh_from_db()
    assert small.is_default and not framework.is_default
    assert SkillFramework.objects.filter(is_default=True).count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("slug = ", "not valid TOML"),
        ('name = "x"\n[[areas]]\ncode="a"\nname="A"', "framework: slug is required"),
        ('slug = "bad slug"\nname = "x"\n[[areas]]\ncode="a"\nname="A"', "slug may use only"),
        ('slug = "s"\nname = "x"', "add at least one [[areas]]"),
        ('slug = "s"\nname = "x"\ncolour = "red"\n[[areas]]\ncode="a"\nname="A"', "unknown key colour"),
        ('slug = "s"\nname = "x"\n\n[[areas]]\ncode="a"\nname=""', "line 4, area 1 (a): name is required"),
        (
            'slug = "s"\nname = "x"\n[[areas]]\ncode="a"\nname="A"\n[[areas]]\ncode="a"\nname="B"',
            "line 6, area 2 (a): code 'a' is used twice",
        ),
        ('slug = "s"\nname = "x"\n[[areas]]\ncode="a"\nname=1', "name must be text"),
        (
            'slug = "s"\nname = "x"\n[[areas]]\ncode="a"\nname="A"\n[[areas.sub_areas]]\ncode="b"\nname="'
            + "n" * 121
            + '"',
            "line 6, area 1, sub-area 1 (b): name is 121 characters long; the limit is 120",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_message_naming_the_place(text, message):
    with pytest.raises(loader.FrameworkError) as caught:
        loader.parse(text)
    assert any(message in error for error in caught.value.errors), caught.value.errors
    assert not SkillFramework.objects.filter(slug="s").exists()


def test_too_many_areas_and_sub_areas_are_refused():
    areas = "".join(f'[[areas]]\ncode="a{i}"\nname="A{i}"\n' for i in range(41))
    with pytest.raises(loader.FrameworkError, match="has 41 areas; the limit is 40"):
        loader.parse(f'slug="s"\nname="x"\n{areas}')
    subs = "".join(f'[[areas.sub_areas]]\ncode="s{i}"\nname="S{i}"\n' for i in range(21))
    with pytest.raises(loader.FrameworkError, match="has 21 sub-areas; the limit is 20"):
        loader.parse(f'slug="s"\nname="x"\n[[areas]]\ncode="a"\nname="A"\n{subs}')


def test_files_that_are_too_large_or_not_utf8_are_refused():
    with pytest.raises(loader.FrameworkError, match="limit is 256 KB"):
        loader.parse(b"#" * (loader.MAX_FILE_BYTES + 1))
    with pytest.raises(loader.FrameworkError, match="not UTF-8"):
        loader.parse(b"slug = '\xff'")


def test_the_management_command_loads_a_file_and_reports_errors(tmp_path):
    good = tmp_path / "small.toml"
    good.write_text(SMALL)
    out = io.StringIO()
    call_command("load_skills_framework", str(good), "--default", stdout=out)
    assert "Loaded Small framework (the default): 2 areas." in out.getvalue()
    assert SkillFramework.objects.get(slug="small").is_default

    bad = tmp_path / "bad.toml"
    bad.write_text('slug = "s"\nname = "x"')
    with pytest.raises(CommandError, match="add at least one"):
        call_command("load_skills_framework", str(bad))
    with pytest.raises(CommandError, match="Could not read"):
        call_command("load_skills_framework", str(tmp_path / "missing.toml"))
