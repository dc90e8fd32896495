"""The staff console's web app: every page needs a login, every form a CSRF token, and every look at health data
leaves an audit entry."""
from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Tuple
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic
from sanic.request import RequestParameters
from sanic.response import HTTPResponse, html, raw, redirect

from bot.booking.outbox import FAILED, Outbox
from bot.clinic.profile import clinic_profile
from bot.console import charts, conversations, insights, nlu_inbox
from bot.console.accounts import ADMIN, StaffAccounts
from bot.console.audit import AuditTrail
from bot.console.csv_export import write_csv
from bot.console.redaction import Redactor, public_details
from bot.console.settings import ConsoleSettings
from bot.console.transcripts import load_events, names_given, transcript
from bot.console.web_sessions import WebSessions, csrf_ok
from bot.database import engine as database_engine, utc_now

SESSION_COOKIE = "klarity_console"
LOGIN_CSRF_COOKIE = "klarity_console_login"
PUBLIC_PATHS = ("/login", "/static/", "/favicon.ico")
FLAG_LABELS = {"crisis": "Crisis", "emergency": "Emergency", "sensitive": "Sensitive mention",
               "booking_requested": "Booking requested",
               "fallback": "Fallback", "opted_out": "Opted out", "human_requested": "Asked for a person"}
FLAGS = tuple(FLAG_LABELS)
# The longest target the audit trail's column holds: a labelled message is cut to fit.
AUDIT_TARGET_LENGTH = 255
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Pages hold health information: no browser or proxy keeps a copy.
    "Cache-Control": "no-store",
}
logger = logging.getLogger("staff-console")
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                        autoescape=select_autoescape(default=True, default_for_string=True))
TEMPLATES.filters["utc"] = lambda moment: moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _date(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def conversation_filter(request: Request) -> conversations.ConversationFilter:
    """The list's filters from the query string; anything malformed is ignored rather than an error."""
    args = request.args
    channel = args.get("channel") if args.get("channel") in ("web", "sms") else None
    return conversations.ConversationFilter(
        query=(args.get("q") or "")[:200],
        flags=frozenset(flag for flag in args.getlist("flag", []) if flag in FLAGS),
        channel=channel,
        since=_date(args.get("since")),
        until=_date(args.get("until")),
    )


def client_address(request: Request) -> str:
    """Whom a login attempt came from: behind a proxy, Sanic's PROXIES_COUNT or FORWARDED_SECRET names the client."""
    return request.remote_addr or request.ip or "unknown"


def create_app(settings: ConsoleSettings) -> Sanic:
    app = Sanic("klarity_console")
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    engine = database_engine(settings.database_url)
    accounts, sessions, audit = StaffAccounts(engine), WebSessions(engine, idle=settings.idle), AuditTrail(engine)
    outbox = Outbox(settings.database_url)
    conversations.create_tables(engine)
    public = public_details(clinic_profile())

    @lru_cache(maxsize=1024)
    def redactor(names: Tuple[str, ...]) -> Redactor:
        """Most conversations gave no name, so one redactor serves them all; building one costs about a millisecond."""
        return Redactor(names=names, keep=public)

    labels = nlu_inbox.NluLabels(engine, redactor(()).redact)

    app.static("/static", str(Path(__file__).with_name("static")))

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
        staff = getattr(request.ctx, "staff", None)
        body = TEMPLATES.get_template(template).render(
            staff=staff, idle_seconds=int(settings.idle.total_seconds()), flag_labels=FLAG_LABELS, **context)
        return html(body, status=status)

    def set_cookie(request: Request, response: HTTPResponse, name: str, value: str,
                   max_age: Optional[int] = None) -> None:
        response.cookies[name] = value
        cookie = response.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/"
        # Secure whenever the page came over HTTPS (directly or, with Sanic's proxy settings, via a proxy).
        cookie["secure"] = settings.secure_cookies or request.scheme == "https"
        if max_age is not None:
            cookie["max-age"] = max_age

    def forbidden(request: Request, message: str) -> HTTPResponse:
        return page(request, "message.html", status=403, title="Not allowed", message=message)

    @app.middleware("request")
    async def require_login(request: Request) -> Optional[HTTPResponse]:
        if request.path.startswith(PUBLIC_PATHS):
            return None
        token = request.cookies.get(SESSION_COOKIE)
        staff = sessions.resume(token)
        if staff is None:
            reason = "expired" if token else "login"
            response = redirect(f"/login?{urlencode({'next': request.path, 'reason': reason})}")
            if token:
                set_cookie(request, response, SESSION_COOKIE, "", max_age=0)
            return response
        request.ctx.staff = staff
        request.ctx.token = token
        if request.method == "POST" and not csrf_ok(staff, request.form.get("csrf_token")):
            return forbidden(request, "This form has expired. Go back, reload the page and try again.")
        return None

    @app.middleware("response")
    async def security_headers(_request: Request, response: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)

    @app.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        # One token per browser, so a second tab (or the favicon request) does not invalidate the first form.
        login_csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        notice = {"expired": "You were logged out after a period without activity. Please log in again.",
                  "logout": "You have logged out."}.get(request.args.get("reason", ""))
        response = page(request, "login.html", csrf_token=login_csrf, next=_safe_next(request.args.get("next")),
                        notice=notice, no_accounts=not accounts.list())
        set_cookie(request, response, LOGIN_CSRF_COOKIE, login_csrf)
        return response

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        expected = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
        submitted = request.form.get("csrf_token") or ""
        if not expected or not secrets.compare_digest(expected, submitted):
            return forbidden(request, "This login form has expired. Reload the page and try again.")
        username = (request.form.get("username") or "")[:64]
        client = client_address(request)
        result = accounts.authenticate(username, (request.form.get("password") or "")[:1024], client=client)
        if not result.ok:
            audit.record(username or "(blank)", "login_failed", detail=f"{result.reason} from {client}")
            message = ("Too many failed attempts from here. Try again in 15 minutes, or ask an admin to unlock "
                       "the account." if result.reason == "locked" else "Wrong username or password.")
            response = page(request, "login.html", status=401, csrf_token=expected, error=message,
                            next=_safe_next(request.form.get("next")), username=username)
            return response
        token, _ = sessions.start(result.user)
        audit.record(result.user.username, "login")
        response = redirect(_safe_next(request.form.get("next")))
        set_cookie(request, response, SESSION_COOKIE, token)
        return response

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        sessions.end(request.ctx.token)
        audit.record(request.ctx.staff.username, "logout")
        response = redirect("/login?reason=logout")
        set_cookie(request, response, SESSION_COOKIE, "", max_age=0)
        return response

    @app.get("/")
    async def home(_request: Request) -> HTTPResponse:
        return redirect("/conversations")

    @app.get("/conversations")
    async def conversation_list(request: Request) -> HTTPResponse:
        conversations.refresh(engine)
        chosen = conversation_filter(request)
        number = _page_number(request.args)
        found = conversations.list_conversations(engine, chosen, page=number)
        previews = {row.sender_id: redactor(row.names).redact(row.first_message or "") for row in found.rows}
        query = [(key, value) for key, values in request.args.items() if key != "page" for value in values]
        return page(request, "conversations.html", found=found, filter=chosen, previews=previews, page_number=number,
                    query_string=urlencode(query), flags=FLAGS)

    @app.get("/conversations/export.csv")
    async def conversation_export(request: Request) -> None:
        conversations.refresh(engine)
        rows = ((row.sender_id, row.started_at.isoformat(timespec="seconds"), row.channel, row.turns,
                 " ".join(flag for flag in FLAGS if flag in row.flags),
                 redactor(row.names).redact(row.first_message or ""))
                for row in conversations.all_matching(engine, conversation_filter(request)))
        audit.record(request.ctx.staff.username, "export", target="conversations",
                     detail=f"filter {request.query_string or 'none'}")
        await send_csv(request, "conversations.csv",
                       ("conversation", "started_utc", "channel", "turns", "flags", "first_message"), rows)

    @app.get("/conversations/<sender_id:str>")
    async def conversation_view(request: Request, sender_id: str) -> HTTPResponse:
        events = load_events(engine, sender_id)
        if not events:
            return page(request, "message.html", status=404, title="Not found",
                        message="There is no conversation with that id. It may have been deleted by retention.")
        audit.record(request.ctx.staff.username, "view", target=sender_id)
        conversations.refresh(engine)
        hidden = redactor(tuple(names_given(events)))
        return page(request, "transcript.html", sender_id=sender_id, lines=transcript(events, hidden.redact),
                    revealed=False, summary=conversations.summary(engine, sender_id))

    @app.post("/conversations/<sender_id:str>/reveal")
    async def conversation_reveal(request: Request, sender_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        if staff.role != ADMIN:
            audit.record(staff.username, "reveal", target=sender_id, detail="refused: not an admin")
            return forbidden(request, "Only an admin can reveal a transcript.")
        reason = " ".join((request.form.get("reason") or "").split())[:500]
        if len(reason) < 5:
            return forbidden(request, "Give the reason for revealing this transcript (at least a few words).")
        events = load_events(engine, sender_id)
        audit.record(staff.username, "reveal", target=sender_id, detail=reason)
        return page(request, "transcript.html", sender_id=sender_id, lines=transcript(events, str), revealed=True,
                    summary=conversations.summary(engine, sender_id), reason=reason)

    @app.get("/bookings")
    async def booking_list(request: Request) -> HTTPResponse:
        requests = sorted(outbox.all(), key=lambda item: item.created_at, reverse=True)
        shown = [replace(item, phone=_masked_phone(item.phone), first_name="[name]" if item.first_name else None)
                 for item in requests]
        audit.record(request.ctx.staff.username, "view", target="booking requests")
        oldest = outbox.oldest_pending()
        waiting = waiting_time(utc_now() - oldest.created_at) if oldest else None
        return page(request, "bookings.html", requests=shown, failed=FAILED, oldest=oldest, waiting=waiting)

    @app.post("/bookings/<request_id:str>/retry")
    async def booking_retry(request: Request, request_id: str) -> HTTPResponse:
        staff = request.ctx.staff
        if staff.role != ADMIN:
            return forbidden(request, "Only an admin can retry a booking request.")
        retried = outbox.retry_now(request_id)
        audit.record(staff.username, "retry", target=request_id, detail="queued" if retried else "not failed")
        return redirect("/bookings")

    @app.get("/insights")
    async def insights_page(request: Request) -> HTTPResponse:
        since, until = _period(request)
        conversations.refresh(engine)
        found = insights.insights(engine, since, until)
        return page(request, "insights.html", found=found, since=since, until=until,
                    daily_chart=charts.daily_chart(found.conversations_per_day, "Conversations per day"),
                    intent_chart=charts.bar_chart(found.top_intents, "Top intents"))

    @app.get("/insights/unanswered.csv")
    async def unanswered_export(request: Request) -> None:
        since, until = _period(request)
        conversations.refresh(engine)
        rows = ((question.at.isoformat(), question.intent or "", f"{question.confidence or 0:.2f}",
                 redactor(question.names).redact(question.text or ""))
                for question in insights.unanswered_questions(engine, since, until))
        audit.record(request.ctx.staff.username, "export", target="unanswered questions", detail=f"{since} to {until}")
        await send_csv(request, "unanswered-questions.csv", ("at_utc", "intent", "confidence", "text"), rows)

    @app.get("/inbox")
    async def inbox_page(request: Request) -> HTTPResponse:
        since, until = _period(request)
        conversations.refresh(engine)
        found = nlu_inbox.inbox(engine, labels, since, until, redactor, page=_page_number(request.args))
        return page(request, "inbox.html", tab="review", inbox=found, page_number=found.groups.number, since=since,
                    until=until, labelled=found.labelled, intents=nlu_inbox.domain_intents())

    @app.get("/inbox/labelled")
    async def labelled_page(request: Request) -> HTTPResponse:
        since, until = _period(request)
        found = nlu_inbox.page_of(labels.all(), _page_number(request.args))
        return page(request, "inbox.html", tab="labelled", labels=found, page_number=found.number, since=since,
                    until=until, labelled=found.total, intents=nlu_inbox.domain_intents())

    @app.post("/inbox/label")
    async def label_group(request: Request) -> HTTPResponse:
        form, staff = request.form, request.ctx.staff
        kind = form.get("kind") or ""
        name = form.get("topic") if kind == nlu_inbox.NEW_TOPIC else form.get("intent")
        try:
            label, replaced = labels.label(form.get("text") or "", kind, name, staff.username,
                                           nlu_inbox.domain_intents())
        except nlu_inbox.LabelError as error:
            return page(request, "message.html", status=400, title="Not labelled", message=str(error))
        detail = label.describe() + (f" (was {replaced.describe()})" if replaced else "")
        audit.record(staff.username, "label", target=label.text[:AUDIT_TARGET_LENGTH], detail=detail)
        return redirect(_inbox_url(request.form))

    @app.post("/inbox/unlabel")
    async def unlabel_group(request: Request) -> HTTPResponse:
        removed = labels.remove((request.form.get("group") or "")[:64])
        if removed is not None:
            audit.record(request.ctx.staff.username, "label", target=removed.text[:AUDIT_TARGET_LENGTH],
                         detail=f"undone (was {removed.describe()})")
        return redirect(_inbox_url(request.form))

    @app.get("/inbox/export.yml")
    async def inbox_export(request: Request) -> HTTPResponse:
        every = labels.all()
        exported = [label for label in every if label.kind != nlu_inbox.DISMISSED]
        audit.record(request.ctx.staff.username, "export", target="nlu training data",
                     detail=f"{len(exported)} labelled examples")
        return raw(nlu_inbox.training_data(every, nlu_inbox.domain_intents()).encode(),
                   content_type="application/yaml; charset=utf-8",
                   headers={"Content-Disposition": 'attachment; filename="nlu_inbox.yml"'})

    @app.get("/audit")
    async def audit_page(request: Request) -> HTTPResponse:
        if request.ctx.staff.role != ADMIN:
            return forbidden(request, "Only an admin can read the audit trail.")
        number = _page_number(request.args)
        entries = audit.recent(limit=100, offset=(number - 1) * 100)
        return page(request, "audit.html", entries=entries, page_number=number)

    @app.exception(Exception)
    async def failure(request: Request, error: Exception) -> HTTPResponse:
        status = getattr(error, "status_code", 500)
        if status == 404:
            return page(request, "message.html", status=404, title="Not found", message="There is no such page.")
        if status >= 500:
            logger.exception("console request failed", exc_info=error)
        return page(request, "message.html", status=status, title="Something went wrong",
                    message="The console could not do that. Try again; if it keeps happening, tell the admin.")

    return app


async def send_csv(request: Request, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Streams the file, so a large export starts at once and is never held in memory whole."""
    response = await request.respond(content_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    for line in write_csv(rows, header):
        await response.send(line.encode())
    await response.eof()


def _safe_next(target: Optional[str]) -> str:
    """Only a path on this console, never another site, so the login form cannot be used to redirect anywhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return quote(target, safe="/-_.~")
    return "/conversations"


def _page_number(values: RequestParameters) -> int:
    """The page= number of the query string or form, 1 when it is missing or not a positive number."""
    try:
        return max(1, int(values.get("page") or 1))
    except ValueError:
        return 1


def _inbox_url(form: RequestParameters) -> str:
    """Where a label form goes back to: the tab, period and page it was sent from."""
    path = "/inbox/labelled" if form.get("tab") == "labelled" else "/inbox"
    query = {"since": _date(form.get("since")), "until": _date(form.get("until")), "page": _page_number(form)}
    return f"{path}?{urlencode({key: value for key, value in query.items() if value})}"


def _period(request: Request) -> Tuple[date, date]:
    """The insights period from ?since=&until=, by default the 30 days up to today (UTC)."""
    until = _date(request.args.get("until")) or datetime.now(timezone.utc).date()
    return _date(request.args.get("since")) or until - timedelta(days=29), until


def waiting_time(age: timedelta) -> str:
    """An age as staff say it: "4 minutes", "3 hours 10 minutes", "2 days 5 hours"."""
    minutes = int(age.total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")] if days else [(hours, "hour"), (minutes, "minute")]
    words = [f"{count} {unit}{'s' if count != 1 else ''}" for count, unit in parts if count][:2]
    return " ".join(words) or "under a minute"


def _masked_phone(phone: Optional[str]) -> Optional[str]:
    return f"•••• {phone[-2:]}" if phone else None
