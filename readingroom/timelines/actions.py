def note_member_seen(*, user, now):
    raise NotImplementedError
