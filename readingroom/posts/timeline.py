"""Stored home timelines: fan-out on write, merge on follow, unmerge on unfollow or block,
rebuild for returning members. Reads return post IDs only; posts.queries hydrates them.

API (implementation in progress):
- add_to_own_timeline(post)            inline, in the create_post transaction
- enqueue_fan_out(post)                on commit: the worker inserts into followers' timelines
- merge_author(owner=, author=)        after a follow: the author's recent posts join owner's home
- unmerge_author(owner=, author=)      after unfollow, block: remove the author's posts from owner's home
- rebuild_home_timeline(owner=)        from scratch, for a member returning after RR_ACTIVE_DAYS
- note_member_seen(user=, now=)        called by ActivityMiddleware
- home_timeline_post_ids(owner=, before=None, limit=21) -> list[int], newest first
"""
