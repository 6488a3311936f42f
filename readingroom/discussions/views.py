"""Thin views of a group's discussions: the topic list, starting a topic, a topic's pages of
replies, replying (and quoting), editing with history, deleting, accepting an answer, moderating,
watch levels and attachments. Private things answer 404; closed doors (joining first, a locked
topic) answer with a message; writes redirect after success."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.files import file_response
from readingroom.core.ratelimit import check_rate
from readingroom.discussions import actions, queries
from readingroom.discussions import permissions as perms
from readingroom.discussions.forms import (
    BIG_NUMBER,
    AcceptForm,
    EditReplyForm,
    ModerateForm,
    ReplyForm,
    StartTopicForm,
    TopicListForm,
    WatchForm,
)
from readingroom.discussions.models import Reply, Topic
from readingroom.groups import permissions as group_rules
from readingroom.groups import queries as group_queries
from readingroom.groups.views import group_context
from readingroom.network.queries import relationship

QUOTE_MAX = 2000  # characters of the quoted reply; the composer keeps room for the answer


# --- helpers -------------------------------------------------------------------------------------


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _number(value: str | None, default: int | None = 1) -> int | None:
    """A positive whole number from the query string; anything else (junk, 0, -1, huge) is the default."""
    if not value or len(value) > 10 or not (value.isascii() and value.isdigit()):
        return default
    number = int(value)
    return number if 0 < number <= BIG_NUMBER else default


def _readable_group(request: HttpRequest, slug: str):
    group = group_queries.group_by_slug(slug)
    group_rules.check_can_read_content(request.user, group)
    return group


def _topic(request: HttpRequest, slug: str, topic_id: int) -> Topic:
    return queries.topic_by_id(request.user, group_queries.group_by_slug(slug), topic_id)


def _reply(topic: Topic, number: int) -> Reply:
    if number > BIG_NUMBER:
        raise Http404("No such reply")
    return queries.reply_by_number(topic, number)


def _location(topic: Topic, number: int) -> str:
    """The topic page that shows reply `number`, at its anchor."""
    start = queries.page_start(topic, number)
    url = topic_url(topic)
    return f"{url}?from={start}#r{number}" if start > 1 else f"{url}#r{number}"


def topic_url(topic: Topic) -> str:
    # urls.py has the same helpers, but it imports this module.
    return reverse("discussions:topic", args=[topic.group.slug, topic.pk])


def reply_url(found: Reply) -> str:
    return reverse("discussions:reply_link", args=[found.topic.group.slug, found.topic_id, found.number])


def _author_name(found) -> str:
    return found.author.profile.display_name if found.author_id else "A former member"


def _join_first(request: HttpRequest, group, text: str) -> HttpResponse:
    """The door to a public group's discussions is joining it: say so (403), with the way in."""
    context = group_context(request, group, "discussions")
    context["text"] = text
    return render(request, "discussions/join_first.html", context, status=403)


def _hidden_from(viewer, found: Reply) -> bool:
    """A reply by someone in a block with the viewer (either way) is not shown to them."""
    rel = relationship(viewer, found.author)
    return rel.blocking or rel.blocked_by


# --- the topic list ------------------------------------------------------------------------------


def _query(params: QueryDict, **changes) -> str:
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


def topic_list(request: HttpRequest, slug: str) -> HttpResponse:
    group = _readable_group(request, slug)
    form = TopicListForm(request.GET or None)
    filters, q = queries.TopicFilters(), ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.TopicFilters(
            sort=data["sort"] or "latest", tag=data["tag"], archived=data["archived"], unanswered=data["unanswered"]
        )
        q = data["q"]
    after = queries.parse_topic_cursor(request.GET.get("after"))
    context = group_context(request, group, "discussions")
    context.update(form=form, filters=filters, q=q, after=after, tags_in_use=queries.tags_in_use(group))
    if q:
        context["results"] = queries.search_in_group(request.user, group, q)
    else:
        page = queries.topic_list(request.user, group, filters, after=after)
        pinned = []
        if after is None and not filters.archived:
            pinned = [
                t
                for t in queries.pinned_topics(request.user, group)
                if (not filters.tag or filters.tag in {tag.name for tag in t.tags.all()})
                and (not filters.unanswered or (t.is_question and t.accepted_reply_id is None))
            ]
        context.update(page=page, pinned=pinned)
        if page.next_cursor:
            context["older_query"] = _query(request.GET, after=page.next_cursor)
    shown = [*context.get("results", ()), *context.get("pinned", ()), *getattr(context.get("page"), "items", ())]
    _note_unread(request.user, shown)
    context["can_start"] = perms.can_start_topic(request.user, group)
    if context["membership"]:
        context["group_watch_form"] = WatchForm(initial={"level": queries.group_watch_level(request.user, group)})
    return render(request, "discussions/list.html", context, status=400 if form.errors else 200)


def _note_unread(viewer, topics) -> None:
    """Each topic's `unread`: None when the signed-in viewer never opened it, else the replies since."""
    for found in topics:
        found.unread = queries.unread_count(found) if viewer.is_authenticated else 0


@login_required
@require_POST
def group_watch(request: HttpRequest, slug: str) -> HttpResponse:
    group = _readable_group(request, slug)
    form = WatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose every reply, mentions only, or muted.")
    else:
        try:
            actions.set_group_watch(user=request.user, group=group, level=form.cleaned_data["level"])
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _watch_message(form.cleaned_data["level"], f"{group.name}'s discussions"))
    return redirect("discussions:list", slug=group.slug)


def _watch_message(level: str, what: str) -> str:
    return {
        "all": f"You will hear of every new topic and reply in {what}.",
        "mentions": f"You will hear of {what} only when you are mentioned or answered.",
        "muted": f"{what[0].upper()}{what[1:]} are muted: you will not be notified of them.",
    }[level]


# --- starting a topic ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start_topic(request: HttpRequest, slug: str) -> HttpResponse:
    group = _readable_group(request, slug)
    if not perms.can_start_topic(request.user, group):
        return _join_first(request, group, f"Join {group.name} to start a topic in it.")
    form = StartTopicForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        check_rate("discussion", request.user.pk, limit=30, period=300)
        data = form.cleaned_data
        try:
            topic = actions.start_topic(
                author=request.user,
                group=group,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                tags=data["tags"],
                attachments=form.attachments(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            return _join_first(request, group, str(exc))
        else:
            messages.success(request, "Your topic is started.")
            return redirect(topic_url(topic))
    context = group_context(request, group, "discussions")
    context["form"] = form
    return render(request, "discussions/start.html", context, status=400 if form.errors else 200)


# --- a topic's pages -----------------------------------------------------------------------------


def _composer(request: HttpRequest, topic: Topic) -> ReplyForm:
    """A blank reply form; ?parent=N answers reply N, ?quote=N also quotes it."""
    quote = _number(request.GET.get("quote"), None)
    number = quote or _number(request.GET.get("parent"), None)
    if number is None:
        return ReplyForm()
    try:
        found = _reply(topic, number)
    except Http404:
        return ReplyForm()
    if found.deleted_at is not None or _hidden_from(request.user, found):
        return ReplyForm()
    initial = {"parent": found.number}
    if quote:
        name = _author_name(found).replace("[", "\\[").replace("]", "\\]")
        text = found.body if len(found.body) <= QUOTE_MAX else found.body[:QUOTE_MAX].rstrip() + " …"
        lines = "\n".join(f"> {line}".rstrip() for line in text.splitlines())
        initial["body"] = f"[{name} wrote in #{found.number}]({reply_url(found)}):\n{lines}\n\n"
    form = ReplyForm(initial=initial)
    form.parent_reply = found
    return form


def _topic_page(
    request: HttpRequest, topic: Topic, *, start: int, form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    read_before = queries.read_position(user, topic) if user.is_authenticated else None
    page = queries.topic_page(user, topic, start=start)
    hidden_authors = {r.author_id for r in page.replies if r.hidden_for_viewer}
    can_accept = perms.can_accept(user, topic)
    for found in page.replies:
        shown = found.deleted_at is None and not found.hidden_for_viewer
        found.viewer_can_edit = shown and perms.can_edit(user, found)
        found.viewer_can_delete = shown and perms.can_delete(user, found)
        found.viewer_can_accept = shown and can_accept and not found.is_opening
        found.parent_hidden = found.parent is not None and found.parent.author_id in hidden_authors
    may_reply = perms.can_reply(user, topic)
    if may_reply and form is None:
        form = _composer(request, topic)
    new_count = 0
    if read_before and read_before < topic.last_number:
        new_count = topic.last_number - read_before
    context = {
        "group": topic.group,
        "topic": topic,
        "page": page,
        "nav": "groups",
        "tags": [t.name for t in topic.tags.all()],
        "form": form if may_reply else None,
        "membership": group_rules.membership(user, topic.group),
        "can_moderate": perms.can_moderate(user, topic),
        "can_accept": can_accept,
        "new_count": new_count,
        "accepted": _accepted(topic, page.replies),
        "watch_form": WatchForm(initial={"level": queries.watch_level(user, topic)}) if user.is_authenticated else None,
        "page_url": topic_url(topic) + (f"?from={page.start}" if page.start > 1 else ""),
        "from_query": f"from={page.start}&" if page.start > 1 else "",
        "max_chars": settings.RR_REPLY_MAX_CHARS,
    }
    response = render(request, "discussions/topic.html", context, status=status)
    if page.replies and (read_before is None or read_before < page.replies[-1].number):
        actions.mark_read(user=user, topic=topic, number=page.replies[-1].number)
    return response


def _accepted(topic: Topic, replies: list[Reply]) -> Reply | None:
    """The accepted answer, from the page when it is on it (else its number is enough for a link)."""
    if topic.accepted_reply_id is None:
        return None
    for found in replies:
        if found.pk == topic.accepted_reply_id:
            found.name_shown = not found.hidden_for_viewer
            return found
    return topic.accepted_reply


def topic(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    return _topic_page(request, found, start=_number(request.GET.get("from")))


def first_unread(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    number = min(queries.read_position(request.user, found) + 1, found.last_number)
    return redirect(_location(found, number))


def reply_link(request: HttpRequest, slug: str, topic_id: int, number: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    return redirect(_location(found, _reply(found, number).number))


@login_required
@require_POST
def reply(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    if not perms.can_reply(request.user, found):
        if not group_rules.can_post(request.user, found.group):
            return _join_first(request, found.group, f"Join {found.group.name} to reply.")
        messages.error(request, "This topic is closed to new replies.")
        return redirect(topic_url(found))
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            try:
                parent = _reply(found, form.cleaned_data["parent"])
            except Http404:
                form.add_error(None, "The reply you are answering is not in this topic.")
        if not form.errors:
            check_rate("discussion", request.user.pk, limit=30, period=300)
            try:
                new = actions.reply(
                    author=request.user,
                    topic=found,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    attachments=form.attachments(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect(topic_url(found))
            else:
                messages.success(request, "Your reply is posted.")
                return redirect(_location(found, new.number))
    if form.cleaned_data.get("parent"):
        with contextlib.suppress(Http404):
            form.parent_reply = _reply(found, form.cleaned_data["parent"])
    return _topic_page(request, found, start=found.last_number, form=form, status=400)


def history(request: HttpRequest, slug: str, topic_id: int, number: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    target = _reply(found, number)
    hidden = _hidden_from(request.user, target)
    context = {
        "group": found.group,
        "topic": found,
        "reply": target,
        "nav": "groups",
        "hidden": hidden,
        "edits": [] if hidden or target.deleted_at else queries.edit_history(target),
    }
    return render(request, "discussions/history.html", context)


def _editable(request: HttpRequest, slug: str, topic_id: int, number: int) -> Reply:
    found = _topic(request, slug, topic_id)
    target = _reply(found, number)
    if not perms.can_edit(request.user, target):
        raise Http404("No such reply")
    return target


@login_required
@require_http_methods(["GET", "POST"])
def edit_reply(request: HttpRequest, slug: str, topic_id: int, number: int) -> HttpResponse:
    target = _editable(request, slug, topic_id, number)
    found = target.topic
    initial = {"body": target.body}
    if target.is_opening:
        initial.update(title=found.title, tags=", ".join(t.name for t in found.tags.all()))
    form = EditReplyForm(_posted(request), initial=initial, opening=target.is_opening)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_reply(
                editor=request.user,
                reply=target,
                body=data["body"],
                title=data.get("title") if target.is_opening else None,
                tags=data.get("tags") if target.is_opening else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(_location(found, target.number))
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(_location(found, target.number))
    context = {"group": found.group, "topic": found, "reply": target, "form": form, "nav": "groups"}
    return render(request, "discussions/edit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def delete_reply(request: HttpRequest, slug: str, topic_id: int, number: int) -> HttpResponse:
    target = _editable(request, slug, topic_id, number)
    found = target.topic
    if request.method == "POST":
        try:
            actions.delete_reply(actor=request.user, reply=target)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(_location(found, target.number))
        if target.is_opening:
            messages.success(request, f"The topic “{found.title}” is deleted.")
            return redirect("discussions:list", slug=found.group.slug)
        messages.success(request, "The reply is deleted.")
        return redirect(_location(found, target.number))
    context = {"group": found.group, "topic": found, "reply": target, "nav": "groups"}
    return render(request, "discussions/delete.html", context)


@login_required
@require_POST
def accept(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    form = AcceptForm(request.POST)
    if not form.is_valid() or not (form.cleaned_data["clear"] or form.cleaned_data["number"]):
        messages.error(request, "Choose a reply in this topic as the answer.")
        return redirect(topic_url(found))
    number = None if form.cleaned_data["clear"] else form.cleaned_data["number"]
    try:
        answer = _reply(found, number) if number else None
        actions.accept_answer(actor=request.user, topic=found, reply=answer)
    except Http404:
        messages.error(request, "Choose a reply in this topic as the answer.")
        return redirect(topic_url(found))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(topic_url(found))
    if answer is None:
        messages.success(request, "The question has no accepted answer now.")
        return redirect(topic_url(found))
    messages.success(request, f"You accepted {_author_name(answer)}'s reply as the answer.")
    return redirect(_location(found, answer.number))


MODERATED = {
    "pin": "The topic is pinned to the top of the list.",
    "unpin": "The topic is no longer pinned.",
    "lock": "The topic is locked: members cannot reply to it.",
    "unlock": "The topic is open to replies again.",
    "archive": "The topic is archived: it is read-only and listed in the archive.",
    "unarchive": "The topic is back among the group's open topics.",
}


@login_required
@require_POST
def moderate(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    if not perms.can_moderate(request.user, found):
        raise Http404("No such topic")
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose pin, lock or archive.")
        return redirect(topic_url(found))
    try:
        actions.set_flags(actor=request.user, topic=found, **form.flags())
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, MODERATED[form.cleaned_data["action"]])
    return redirect(topic_url(found))


@login_required
@require_POST
def watch(request: HttpRequest, slug: str, topic_id: int) -> HttpResponse:
    found = _topic(request, slug, topic_id)
    form = WatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose every reply, mentions only, or muted.")
    else:
        actions.set_watch(user=request.user, topic=found, level=form.cleaned_data["level"])
        messages.success(request, _watch_message(form.cleaned_data["level"], "this topic's replies"))
    return redirect(topic_url(found))


def attachment(request: HttpRequest, slug: str, topic_id: int, attachment_id: int, name: str) -> HttpResponse:
    """A reply's file, for whoever may read the topic, while the reply stands."""
    found = _topic(request, slug, topic_id)
    if attachment_id > BIG_NUMBER:
        raise Http404("No such file")
    stored = queries.attachment_in(request.user, found, attachment_id)
    try:
        return file_response(stored.file, content_type=stored.content_type, filename=stored.original_name)
    except FileNotFoundError as exc:
        raise Http404("No such file") from exc
