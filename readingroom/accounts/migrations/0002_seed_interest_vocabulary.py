"""Seeds the library, archive and museum interests vocabulary offered during onboarding."""

from django.db import migrations
from django.utils.text import slugify

VOCABULARY = [
    "Accessibility",
    "Advocacy",
    "Archives and records",
    "Cataloguing and metadata",
    "Children's and youth services",
    "Collection development",
    "Community engagement",
    "Conservation",
    "Copyright",
    "Critical librarianship",
    "Data and digital scholarship",
    "Digital preservation",
    "Exhibitions",
    "Health information",
    "Information literacy",
    "Knowledge management",
    "Law librarianship",
    "Leadership and management",
    "Library systems",
    "Museum education",
    "Open access",
    "Outreach",
    "Readers' advisory",
    "Reference",
    "Research data management",
    "School libraries",
    "Scholarly communication",
    "Special collections",
    "Teaching and instruction",
    "User experience",
    "Digital humanities",
    "Local and family history",
    "Oral history",
    "Equity, diversity and inclusion",
]


def seed(apps, schema_editor):
    Interest = apps.get_model("accounts", "Interest")
    for name in VOCABULARY:
        Interest.objects.update_or_create(slug=slugify(name), defaults={"name": name, "in_vocabulary": True})


def unseed(apps, schema_editor):
    # Terms stay (members may hold them); they only leave the offered vocabulary.
    Interest = apps.get_model("accounts", "Interest")
    Interest.objects.filter(slug__in=[slugify(n) for n in VOCABULARY]).update(in_vocabulary=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
