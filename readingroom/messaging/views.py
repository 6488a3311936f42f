"""Thin views of direct messages: the inbox, starting a conversation, a conversation's page and
its forms, the fragment of new messages that rr/messages.js fetches, attachments, and the
who-may-message-me preference. Signed-in members only; a conversation that is not yours is 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readingroom.accounts.queries import blocked_ids
from readingroom.core.files import file_response
from readingroom.core.http import cursor_param
from readingroom.core.pagination import MAX_ID
from readingroom.core.ratelimit import check_rate
from readingroom.messaging import actions, queries
from readingroom.messaging import permissions as perms
from readingroom.messaging.forms import AddPeopleForm, MessageForm, PreferenceForm, StartForm
from readingroom.messaging.models import Conversation


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _number(value: str | None) -> int | None:
    """A message id from the query string (0 allowed); None when it is not one."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def _wants_fragment(request: HttpRequest) -> bool:
    """rr/messages.js (fetch) and htmx ask for the new message alone instead of a redirect."""
    return request.headers.get("X-Requested-With") == "fetch" or request.headers.get("HX-Request") == "true"


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    if conversation_id > MAX_ID:
        raise Http404("No such conversation")
    return queries.conversation_for(request.user, conversation_id)


def conversation_url(conversation: Conversation) -> str:
    return reverse("messaging:conversation", args=[conversation.pk])


def _display_name(user) -> str:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.display_name if profile is not None else "A former member"


def conversation_name(conversation: Conversation, others) -> str:
    """The conversation's title, or the other people in it by name."""
    if conversation.title:
        return conversation.title
    names = [_display_name(p.user) for p in others]
    if not names:
        return "Only you"
    if len(names) <= 3:
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{', '.join(names[:2])} and {len(names) - 2} others"


# --- the inbox and starting a conversation -------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    unread_only = request.GET.get("unread") == "1"
    page = queries.inbox(user, after=queries.parse_inbox_cursor(request.GET.get("after")), unread_only=unread_only)
    hidden = blocked_ids(user)
    for row in page.items:
        conversation = row.conversation
        row.name = conversation_name(conversation, conversation.others)
        latest = conversation.last_message
        row.latest_hidden = latest is not None and perms.withheld_from(latest, hidden)
    context = {"page": page, "unread_only": unread_only, "nav": "messages"}
    return render(request, "messaging/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    to = (request.GET.get("to") or "").removeprefix("@")
    initial = {"to": f"@{to}"} if to and len(to) <= 30 and to.isascii() and to.replace("_", "").isalnum() else {}
    form = StartForm(_posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        check_rate("message", request.user.pk, limit=60, period=300)
        data = form.cleaned_data
        try:
            conversation = actions.start_conversation(
                sender=request.user,
                recipients=form.recipients,
                body=data["body"],
                title=data["title"],
                attachments=form.attachments(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(conversation_url(conversation))
    context = {"form": form, "nav": "messages", "max_chars": settings.RR_MESSAGE_MAX_CHARS}
    return render(request, "messaging/start.html", context, status=400 if form.errors else 200)


# --- a conversation ------------------------------------------------------------------------------


def _live_attributes(conversation: Conversation) -> dict:
    """Where rr/messages.js opens the WebSocket: RR_LIVE_URL, else the page's host on RR_LIVE_PORT."""
    base = settings.RR_LIVE_URL
    if base:
        return {"live_url": f"{base.rstrip('/')}/conversations/{conversation.pk}/", "live_port": ""}
    return {"live_url": "", "live_port": settings.RR_LIVE_PORT}


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    form: MessageForm | None = None,
    add_form: AddPeopleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    before = cursor_param(request, "before")
    page = queries.messages_page(user, conversation, before=before)
    people = queries.participants(conversation)
    others = [p for p in people if p.user_id != user.pk]
    mine = perms.participant(user, conversation)
    read_before = mine.last_read_message_id
    newest = page.messages[-1].pk if page.messages else 0
    if page.messages:
        actions.mark_read(user=user, conversation=conversation, up_to=newest)
    may_send = perms.can_send(user, conversation)
    context = {
        "conversation": conversation,
        "name": conversation_name(conversation, others),
        "people": people,
        "others": others,
        "page": page,
        "latest_page": before is None,
        "newest": newest,
        "read_before": read_before,
        "muted": mine.muted,
        "form": (form or MessageForm()) if may_send else None,
        "add_form": (add_form or AddPeopleForm()) if conversation.is_group else None,
        "max_chars": settings.RR_MESSAGE_MAX_CHARS,
        "poll_seconds": max(1, int(settings.RR_MESSAGES_POLL_SECONDS)),
        "nav": "messages",
        **_live_attributes(conversation),
    }
    response = render(request, "messaging/conversation.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    return _conversation_page(request, _conversation(request, conversation_id))


def _fragment(request: HttpRequest, conversation: Conversation, found: list, *, more: bool = False) -> HttpResponse:
    context = {"conversation": conversation, "messages_shown": found, "read_before": MAX_ID}
    response = render(request, "messaging/_messages.html", context)
    response["Cache-Control"] = "private, no-store"
    if more:
        response["RR-More"] = "1"  # the script asks again at once
    return response


@login_required
@require_GET
def since(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Messages newer than ?after= (and the one ?changed=, e.g. just deleted): a fragment for the script."""
    found = _conversation(request, conversation_id)
    after = _number(request.GET.get("after"))
    changed_text = request.GET.get("changed") or ""
    changed = _number(changed_text) if changed_text else None
    if after is None or (changed_text and changed is None):
        return HttpResponseBadRequest("after (and changed, if given) must be message ids.", content_type="text/plain")
    shown = queries.messages_after(request.user, found, after, changed=changed)
    if shown:
        actions.mark_read(user=request.user, conversation=found, up_to=max(m.pk for m in shown))
    return _fragment(request, found, shown, more=len(shown) >= settings.RR_MESSAGES_PAGE_SIZE)


@login_required
@require_POST
def send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        check_rate("message", request.user.pk, limit=60, period=300)
        try:
            message = actions.send_message(
                sender=request.user, conversation=found, body=form.cleaned_data["body"], attachments=form.attachments()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(conversation_url(found))
        else:
            if _wants_fragment(request):
                shown = [m for m in queries.messages_after(request.user, found, message.pk - 1) if m.pk == message.pk]
                return _fragment(request, found, shown)
            return redirect(f"{conversation_url(found)}#m{message.pk}")
    return _conversation_page(request, found, form=form, status=400)


@login_required
@require_POST
def read(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    up_to = _number(request.POST.get("up_to") or "")
    actions.mark_read(user=request.user, conversation=found, up_to=up_to)
    if _wants_fragment(request):
        return HttpResponse(status=204)
    return redirect(conversation_url(found))


@login_required
@require_POST
def delete_message(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    if message_id > MAX_ID:
        raise Http404("No such message")
    message = queries.message_in(found, message_id)
    try:
        actions.delete_message(actor=request.user, message=message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your message is deleted.")
    return redirect(f"{conversation_url(found)}#m{message.pk}")


@login_required
@require_POST
def leave(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    actions.leave(user=request.user, conversation=found)
    messages.success(request, "You left the conversation." if found.is_group else "The conversation left your inbox.")
    return redirect("messaging:inbox")


@login_required
@require_POST
def mute(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    muted = request.POST.get("muted") == "1"
    actions.set_muted(user=request.user, conversation=found, muted=muted)
    messages.success(request, "Muted: new messages here will not notify you." if muted else "Unmuted.")
    return redirect(conversation_url(found))


@login_required
@require_POST
def add_people(request: HttpRequest, conversation_id: int) -> HttpResponse:
    found = _conversation(request, conversation_id)
    if not found.is_group:  # its page has no such form: say why on it
        messages.error(request, "Start a new conversation to talk with more people.")
        return redirect(conversation_url(found))
    form = AddPeopleForm(request.POST)
    if form.is_valid():
        try:
            added = actions.add_people(actor=request.user, conversation=found, users=form.people)
        except ValidationError as exc:
            form.add_error("handles", exc)
        else:
            messages.success(
                request, f"Added {added} {'person' if added == 1 else 'people'}." if added else "They are already here."
            )
            return redirect(conversation_url(found))
    return _conversation_page(request, found, add_form=form, status=400)


@login_required
@require_GET
def attachment(request: HttpRequest, conversation_id: int, attachment_id: int, name: str) -> HttpResponse:
    """A message's file, for the conversation's participants, while the message stands."""
    found = _conversation(request, conversation_id)
    if attachment_id > MAX_ID:
        raise Http404("No such file")
    stored = queries.attachment_in(request.user, found, attachment_id)
    try:
        return file_response(stored.file, content_type=stored.content_type, filename=stored.original_name)
    except FileNotFoundError as exc:
        raise Http404("No such file") from exc


# --- settings ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(_posted(request), initial={"who_may_message": perms.preference(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_preference(user=request.user, who_may_message=form.cleaned_data["who_may_message"])
        except ValidationError as exc:
            form.add_error("who_may_message", exc)
        else:
            messages.success(request, "Your messages setting is saved.")
            return redirect("messaging:preference")
    context = {"form": form, "nav": "settings"}
    return render(request, "messaging/preference.html", context, status=400 if form.errors else 200)
