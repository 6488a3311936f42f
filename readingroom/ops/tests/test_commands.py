"""The `readingroom` command line: usage, serve's server command, and seed's argument checks."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from readingroom.ops import cli
from readingroom.ops.management.commands import serve


def test_readingroom_without_a_command_lists_the_reading_room_commands(capsys):
    cli.main([])
    usage = capsys.readouterr().out
    for command in ("serve", "worker", "seed", "backup", "restore"):
        assert f"  {command} " in usage


class Exec(Exception):
    """Stands in for os.execvp, which would replace the test process."""


@pytest.fixture
def exec_calls(monkeypatch, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    calls = []

    def fake_execvp(file, argv):
        calls.append((file, argv, os.environ.get("RR_DEBUG")))
        raise Exec

    monkeypatch.setattr(serve.os, "execvp", fake_execvp)
    monkeypatch.setenv("RR_DEBUG", "1")
    return calls


def test_serve_runs_granian_as_a_wsgi_server_with_two_single_threaded_workers_per_core_by_default(exec_calls, settings):
    with pytest.raises(Exec):
        call_command("serve")
    file, argv, debug = exec_calls[0]
    assert file.endswith("granian")
    assert argv[1:] == [
        "--interface", "wsgi", "readingroom.wsgi:application",
        "--host", "127.0.0.1", "--port", "8000", "--workers", str(2 * os.cpu_count()),
        "--blocking-threads", "1", "--no-ws",
    ]  # fmt: skip
    assert debug == "0"
    assert (settings.STATIC_ROOT / "rr").is_dir()  # static files collected for WhiteNoise


def test_serve_passes_host_port_and_workers_through(exec_calls):
    with pytest.raises(Exec):
        call_command("serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "4", "--no-collectstatic")  # noqa: S104
    argv = exec_calls[0][1]
    assert argv[argv.index("--host") + 1] == "0.0.0.0"  # noqa: S104
    assert argv[argv.index("--port") + 1] == "9000"
    assert argv[argv.index("--workers") + 1] == "4"


@pytest.mark.parametrize(
    "args", [["--port", "0"], ["--port", "http"], ["--workers", "0"], ["--workers", "999"], ["--threads", "0"]]
)
def test_serve_rejects_out_of_range_options_before_starting(exec_calls, args):
    with pytest.raises(CommandError):
        call_command("serve", *args)
    assert exec_calls == []


def test_seed_needs_to_be_told_which_kind():
    with pytest.raises(CommandError, match="demo,synthetic"):
        call_command("seed")


@pytest.mark.parametrize("members", ["0", "-5", "ten", "1000001"])
def test_seed_synthetic_rejects_a_member_count_out_of_bounds(members):
    with pytest.raises(CommandError, match="whole number"):
        call_command("seed", "synthetic", "--members", members)


def test_seed_demo_if_empty_keeps_a_site_that_already_has_members(member, capsys):
    call_command("seed", "demo", "--if-empty")
    assert "keeping its data" in capsys.readouterr().out


def test_worker_refuses_to_start_when_tasks_do_not_go_through_the_database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="nothing for a worker"):
        call_command("worker")
