import pytest

from readingroom.core.http import cursor_param, safe_next


@pytest.mark.parametrize(
    "next_value, expected",
    [
        ("/posts/3", "/posts/3"),
        ("https://evil.example/", "/home"),
        ("//evil.example/", "/home"),
        ("account_logout", "/home"),  # redirect() would take a bare word for a view name
        ("/a\x00b", "/home"),
        ("", "/home"),
    ],
)
def test_safe_next_only_follows_paths_on_this_site(rf, next_value, expected):
    assert safe_next(rf.post("/x", {"next": next_value}), "/home") == expected


@pytest.mark.parametrize(
    "value, expected",
    [("42", 42), ("0", None), ("-1", None), ("abc", None), ("١٢٣", None), ("99999999999999999999", None), (None, None)],
)
def test_cursor_param_accepts_only_positive_64_bit_ids(rf, value, expected):
    request = rf.get("/x", {} if value is None else {"before": value})
    assert cursor_param(request) == expected
