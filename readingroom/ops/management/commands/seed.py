"""`readingroom seed demo` and `readingroom seed synthetic --members N`."""

from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError

from readingroom.accounts.models import User
from readingroom.ops.demo import seed_demo
from readingroom.ops.synthetic import seed_synthetic

MAX_SYNTHETIC_MEMBERS = 1_000_000


def count(low: int, high: int):
    def parse(value: str) -> int:
        if not value.isdigit() or not low <= int(value) <= high:
            raise ArgumentTypeError(f"must be a whole number from {low:,} to {high:,}")
        return int(value)

    return parse


class Command(BaseCommand):
    help = "Fill the database: `demo` (a small, realistic community to explore) or `synthetic` (benchmark data)."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{demo,synthetic}")
        demo = kinds.add_parser("demo", help="demo members, posts and conversations, with known sign-ins")
        demo.add_argument("--if-empty", action="store_true", help="do nothing when the site already has members")
        synthetic = kinds.add_parser("synthetic", help="many generated members, follows and posts")
        synthetic.add_argument("--members", type=count(1, MAX_SYNTHETIC_MEMBERS), required=True)
        synthetic.add_argument("--posts", type=count(0, 100 * MAX_SYNTHETIC_MEMBERS), help="default: 10 per member")
        synthetic.add_argument("--follows-per-member", type=count(0, 5000), default=30)
        synthetic.add_argument(
            "--active-percent", type=count(0, 100), default=100, help="share of members seen recently (default 100)"
        )
        synthetic.add_argument("--seed", type=count(0, 2**31), default=42, help="random seed (same seed, same data)")

    def handle(self, *, kind, **options):
        if kind == "demo":
            self._demo(if_empty=options["if_empty"])
        elif kind == "synthetic":
            seed_synthetic(
                members=options["members"],
                posts=options["posts"],
                follows_per_member=options["follows_per_member"],
                seed=options["seed"],
                active_percent=options["active_percent"],
                stdout=self.stdout,
            )
        else:  # argparse only lets the two kinds through
            raise CommandError(f"unknown kind {kind!r}")

    def _demo(self, *, if_empty: bool) -> None:
        if if_empty and User.objects.exists():
            self.stdout.write("The site already has members; keeping its data and skipping the demo seed.")
            return
        seed_demo(self.stdout)
