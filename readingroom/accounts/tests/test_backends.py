from readingroom.accounts.backends import MemberBackend
from readingroom.testing.factories import UserFactory


def test_loads_member_and_profile_in_one_query(db, django_assert_num_queries):
    member = UserFactory()
    with django_assert_num_queries(1):
        user = MemberBackend().get_user(member.pk)
        assert user == member
        assert user.profile.handle == member.profile.handle


def test_refuses_inactive_missing_and_malformed_ids(db):
    inactive = UserFactory(is_active=False)
    backend = MemberBackend()
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("abc") is None
    assert backend.get_user(str(2**70)) is None
