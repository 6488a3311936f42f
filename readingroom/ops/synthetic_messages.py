"""Synthetic direct messages for benchmarks: issue 5's 1M messages in one-to-one and small group
conversations among synthetic members, with participant rows carrying the read positions, unread
counts and latest-activity copies the actions keep. Bulk inserted (COPY on PostgreSQL)."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from readingroom.messaging.models import Conversation, Message, Participant
from readingroom.ops.synthetic import Progress, _body_pool, _insert_rows, _move_sequence_past, _pick, _zipf_cumulative

HEAVY_MEMBERS = 300  # the first members by id each have many conversations (the bench signs in as them)


def seed_messages(*, conversations: int = 50_000, messages: int = 1_000_000, seed: int = 8, stdout) -> None:
    from readingroom.accounts.models import User

    if Conversation.objects.filter(title="bench").exists() or Message.objects.count() >= messages:
        stdout.write("messages dataset present")
        return
    rng = random.Random(seed)
    started = time.monotonic()
    user_ids = list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk").values_list("pk", flat=True))
    if len(user_ids) < 1000:
        raise SystemExit("seed synthetic members first (at least 1,000)")
    heavy = user_ids[:HEAVY_MEMBERS]
    now = timezone.now()
    pool = _body_pool(rng, 3000)
    first_conv = (Conversation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_msg = (Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_part = (Participant.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    msg_cum = _zipf_cumulative(conversations, 0.7)
    counts = [1] * conversations
    for _ in range(messages - conversations):
        counts[_pick(msg_cum, rng)] += 1
    rng.shuffle(counts)
    progress = Progress(stdout, "messages", messages)
    conv_rows, part_rows, msg_rows, seen = [], [], [], set()
    msg_id, part_id, done = first_msg, first_part, 0
    with transaction.atomic():
        for index in range(conversations):
            cid = first_conv + index
            # Most conversations are one-to-one with one heavy member; one in ten is a small group.
            owner = heavy[index % len(heavy)]
            if rng.random() < 0.1:
                members = list({owner, *rng.sample(user_ids, rng.randint(2, 8))})
                pair = None
            else:
                other = rng.choice(user_ids)
                while other == owner or (min(owner, other), max(owner, other)) in seen:
                    other = rng.choice(user_ids)
                seen.add((min(owner, other), max(owner, other)))
                members, pair = [owner, other], f"{min(owner, other)}:{max(owner, other)}"
            moment = now - timedelta(minutes=rng.randrange(60, 60 * 24 * 300))
            first_in_conv = msg_id
            for _ in range(counts[index]):
                body = pool[rng.randrange(len(pool))]
                msg_rows.append((msg_id, cid, rng.choice(members), body, f"<p>{body}</p>\n", moment, None))
                msg_id += 1
                moment = min(moment + timedelta(minutes=rng.randint(1, 240)), now)
            last_msg = msg_id - 1
            conv_rows.append((cid, "bench" if pair is None else "", owner, pair, moment, moment, last_msg))
            for uid in members:
                read = last_msg if rng.random() < 0.7 else rng.randint(first_in_conv, last_msg)
                unread = last_msg - read
                part_rows.append((part_id, cid, uid, moment, None, moment, read, unread, False))
                part_id += 1
            if len(msg_rows) >= 20_000:
                _flush(conv_rows, part_rows, msg_rows)
                done += len(msg_rows)
                conv_rows, part_rows, msg_rows = [], [], []
                if done % 200_000 < 20_000:
                    progress.update(done)
        _flush(conv_rows, part_rows, msg_rows)
    for model in (Conversation, Participant, Message):
        _move_sequence_past(model)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Conversation, Participant, Message):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    took = time.monotonic() - started
    stdout.write(f"messages: {conversations:,} conversations, {messages:,} messages in {took:.0f}s")


def _flush(conv_rows, part_rows, msg_rows) -> None:
    # Conversations point at their last message and messages at their conversation: both
    # foreign keys are checked at commit (deferred), so the order within the transaction is free.
    _insert_rows(
        Conversation._meta.db_table,
        ("id", "title", "created_by_id", "pair_key", "created_at", "last_message_at", "last_message_id"),
        conv_rows,
    )
    _insert_rows(
        Message._meta.db_table,
        ("id", "conversation_id", "sender_id", "body", "body_html", "created_at", "deleted_at"),
        msg_rows,
    )
    _insert_rows(
        Participant._meta.db_table,
        (
            "id", "conversation_id", "user_id", "joined_at", "left_at", "last_message_at",
            "last_read_message_id", "unread_count", "muted",
        ),
        part_rows,
    )  # fmt: skip
