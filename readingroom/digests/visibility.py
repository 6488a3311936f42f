"""A per-member rule, answered for a whole batch of members in one statement.

A digest may show each member only what `Post.objects.visible_to(member)` lets them see, and only
people whose profiles `network.queries.visible_profiles_q(member)` lets them see. Those rules are
written for one viewer. Building the query with the ORM for each of 100,000 members would cost
more than the digests themselves, and running it once per member is the N+1 a batch must avoid.
So, as `core.prepared` does for pages, the rule's query is compiled once with a sentinel viewer
and sentinel ids, then replayed for many (member, ids) pairs joined by UNION ALL into one
statement. The rule itself stays written once, in its own app; this only reuses its SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from django.db import connections
from django.db.models import BigIntegerField, QuerySet, Value

from readingroom.accounts.models import User
from readingroom.core.prepared import VIEWER_SENTINEL, id_sentinels

# Buckets of ids per member: a member's ids are padded to the next size (repeating an id in
# IN (...) changes nothing), so a handful of compiled forms serve every member.
SIZES = (8, 32, 128)
# SQLite allows at most 500 SELECTs in one compound statement; 100 keeps statements modest.
BRANCHES_PER_STATEMENT = 100


class ForManyViewers:
    """`build(viewer, ids)` returns the rule's QuerySet for one viewer, narrowed to `ids` (its pk).
    It is called once per bucket size and thread, with a stand-in viewer (not staff). `fields`
    are read along with each allowed pk (e.g. a profile's name), saving a query to fetch them."""

    def __init__(
        self, build: Callable[[User, list[int]], QuerySet], *, fields: tuple[str, ...] = (), using: str = "default"
    ):
        self.build = build
        self.fields = fields
        self.using = using
        self._local = threading.local()

    def _compiled(self, size: int) -> tuple[str, list[tuple[str, object]]]:
        cache = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = {}
        if size not in cache:
            ids = id_sentinels(size)
            viewer = User(pk=VIEWER_SENTINEL)
            qs = (
                self.build(viewer, ids)
                .annotate(digest_viewer=Value(VIEWER_SENTINEL, output_field=BigIntegerField()))
                .order_by()  # a branch of a compound SELECT may not have its own ORDER BY
                .values_list("digest_viewer", "pk", *self.fields)
            )
            sql, params = qs.query.get_compiler(using=self.using).as_sql()
            position = {value: index for index, value in enumerate(ids)}
            slots: list[tuple[str, object]] = []
            for value in params:
                if value == VIEWER_SENTINEL:
                    slots.append(("viewer", 0))
                elif isinstance(value, int) and value in position:
                    slots.append(("id", position[value]))
                else:
                    slots.append(("const", value))
            cache[size] = (sql, slots)
        return cache[size]

    def allowed(self, wanted: Mapping[int, Sequence[int]]) -> dict[int, dict[int, tuple]]:
        """For each member id, those of their ids the rule lets them see, each with its `fields`."""
        result: dict[int, dict[int, tuple]] = {member_id: {} for member_id in wanted}
        branches = [
            (member_id, list(ids[start : start + SIZES[-1]]))
            for member_id, ids in wanted.items()
            for start in range(0, len(ids), SIZES[-1])
        ]
        for first in range(0, len(branches), BRANCHES_PER_STATEMENT):
            parts: list[str] = []
            params: list[object] = []
            for member_id, ids in branches[first : first + BRANCHES_PER_STATEMENT]:
                size = next(s for s in SIZES if s >= len(ids))
                sql, slots = self._compiled(size)
                padded = ids + [ids[0]] * (size - len(ids))
                parts.append(sql)
                params += [
                    member_id if kind == "viewer" else padded[value] if kind == "id" else value  # type: ignore[index]
                    for kind, value in slots
                ]
            with connections[self.using].cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                for member_id, pk, *fields in cursor.fetchall():
                    result[member_id][pk] = tuple(fields)
        return result
