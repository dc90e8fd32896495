"""The durable outbox: every booking request is written here before the first delivery attempt.

It lives in the same SQL database as the conversations (TRACKER_DB_URL), so SQLite and PostgreSQL both work.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

import sqlalchemy as sa

from bot.database import as_utc, engine, utc_now

PENDING, DELIVERED, FAILED, PHONE_HANDOFF = "pending", "delivered", "failed_permanently", "phone_handoff"
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

metadata = sa.MetaData()
booking_requests = sa.Table(
    "booking_requests",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("reference", sa.String(16), nullable=False, unique=True),
    sa.Column("conversation_id", sa.String(255), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("first_name", sa.String(80)),
    sa.Column("phone", sa.String(20)),
    sa.Column("phone_extension", sa.String(16)),
    sa.Column("location", sa.String(80)),
    sa.Column("contact_time", sa.String(120)),
    sa.Column("call_note", sa.String(240)),
    sa.Column("consent", sa.Boolean, nullable=False, default=False),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
    # Who holds the lease: every change of state names it, so a sender whose lease ran out changes nothing.
    sa.Column("lease_token", sa.String(36)),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
)


def new_reference() -> str:
    return "KC-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


@dataclass(frozen=True)
class BookingRequest:
    id: str
    reference: str
    conversation_id: str
    channel: str
    first_name: Optional[str]
    phone: Optional[str]
    location: Optional[str]
    contact_time: Optional[str]
    consent: bool
    status: str
    attempts: int
    last_error: Optional[str]
    created_at: datetime
    lease_token: Optional[str] = None
    phone_extension: Optional[str] = None
    call_note: Optional[str] = None

    def payload(self) -> dict:
        """What the clinic receives: the booking details only, never conversation text."""
        return {
            "request_id": self.id,
            "reference": self.reference,
            "created_at": self.created_at.astimezone(timezone.utc).isoformat(),
            "first_name": self.first_name,
            "phone": self.phone,
            "phone_extension": self.phone_extension,
            "location": self.location,
            "contact_time": self.contact_time,
            "call_note": self.call_note,
            "consent": self.consent,
            "channel": self.channel,
        }


class Outbox:
    def __init__(self, database_url: Optional[str] = None) -> None:
        self._engine = engine(database_url)
        metadata.create_all(self._engine)
        self._add_later_columns()

    def _add_later_columns(self) -> None:
        """Outboxes written before leases had owners, or before extensions and call notes were kept, gain those
        columns; their rows have no lease to honour, no extension and no note."""
        columns = {column["name"] for column in sa.inspect(self._engine).get_columns("booking_requests")}
        for name in ("lease_token", "phone_extension", "call_note"):
            if name not in columns:
                column_type = booking_requests.c[name].type.compile(self._engine.dialect)
                with self._engine.begin() as connection:
                    connection.execute(sa.text(f"ALTER TABLE booking_requests ADD COLUMN {name} {column_type}"))

    def add(
        self,
        conversation_id: str,
        channel: str,
        first_name: Optional[str],
        phone: Optional[str],
        location: Optional[str],
        contact_time: Optional[str],
        consent: bool,
        status: str = PENDING,
        lease: Optional[timedelta] = None,
        phone_extension: Optional[str] = None,
        call_note: Optional[str] = None,
    ) -> BookingRequest:
        """Writes a request; with `lease`, the writer holds it for its first attempt, so no worker takes it meanwhile."""
        now = utc_now()
        leased = lease is not None and status == PENDING
        row = {
            "id": str(uuid.uuid4()),
            "reference": new_reference(),
            "conversation_id": conversation_id,
            "channel": channel,
            "first_name": first_name,
            "phone": phone,
            "phone_extension": phone_extension,
            "location": location,
            "contact_time": contact_time,
            "call_note": call_note,
            "consent": consent,
            "status": status,
            "attempts": 1 if leased else 0,
            "created_at": now,
            "lease_token": str(uuid.uuid4()) if leased else None,
        }
        timing = {"next_attempt_at": now if status == PENDING else None, "lease_until": now + lease if leased else None}
        with self._engine.begin() as connection:
            connection.execute(booking_requests.insert().values(**row, **timing))
        return BookingRequest(last_error=None, **row)

    def get(self, request_id: str) -> BookingRequest:
        with self._engine.connect() as connection:
            row = connection.execute(booking_requests.select().where(booking_requests.c.id == request_id)).one()
        return self._from_row(row)

    def by_reference(self, reference: str) -> Optional[BookingRequest]:
        """The request a visitor was given this reference for, if any."""
        with self._engine.connect() as connection:
            row = connection.execute(
                booking_requests.select().where(booking_requests.c.reference == reference)).one_or_none()
        return self._from_row(row) if row is not None else None

    def all(self) -> List[BookingRequest]:
        with self._engine.connect() as connection:
            rows = connection.execute(booking_requests.select().order_by(booking_requests.c.created_at)).all()
        return [self._from_row(row) for row in rows]

    def oldest_pending(self) -> Optional[BookingRequest]:
        """The request that has waited longest for the intake form, for staff to see at a glance."""
        with self._engine.connect() as connection:
            row = connection.execute(
                booking_requests.select().where(booking_requests.c.status == PENDING)
                .order_by(booking_requests.c.created_at).limit(1)
            ).first()
        return self._from_row(row) if row else None

    def claim(self, request_id: str, lease: timedelta) -> Optional[str]:
        """Takes a pending request for one delivery attempt and returns the lease's token; a crashed sender's lease
        simply runs out. None when someone else holds it or it is no longer pending."""
        now = utc_now()
        token = str(uuid.uuid4())
        table = booking_requests.c
        with self._engine.begin() as connection:
            claimed = connection.execute(
                booking_requests.update()
                .where(table.id == request_id, table.status == PENDING)
                .where(sa.or_(table.lease_until.is_(None), table.lease_until < now))
                .values(lease_until=now + lease, lease_token=token, attempts=table.attempts + 1)
            ).rowcount
        return token if claimed == 1 else None

    def due(self, limit: int = 20) -> List[str]:
        now = utc_now()
        table = booking_requests.c
        with self._engine.connect() as connection:
            rows = connection.execute(
                sa.select(table.id)
                .where(table.status == PENDING, table.next_attempt_at <= now)
                .where(sa.or_(table.lease_until.is_(None), table.lease_until < now))
                .order_by(table.next_attempt_at)
                .limit(limit)
            ).all()
        return [row.id for row in rows]

    def mark_delivered(self, request_id: str, token: str) -> bool:
        return self._settle(request_id, token, status=DELIVERED, delivered_at=utc_now(), last_error=None)

    def mark_failed(self, request_id: str, token: str, error: str) -> bool:
        return self._settle(request_id, token, status=FAILED, last_error=error, next_attempt_at=None)

    def retry_now(self, request_id: str) -> bool:
        """Puts a permanently failed request back in the queue, after staff fixed what the intake form refused."""
        table = booking_requests.c
        with self._engine.begin() as connection:
            retried = connection.execute(
                booking_requests.update()
                .where(table.id == request_id, table.status == FAILED)
                .values(status=PENDING, next_attempt_at=utc_now(), lease_until=None)
            ).rowcount
        return retried == 1

    def retry_later(self, request_id: str, token: str, error: str, delay: timedelta) -> bool:
        return self._settle(request_id, token, last_error=error, next_attempt_at=utc_now() + delay)

    def _settle(self, request_id: str, token: str, **values) -> bool:
        """Ends a lease with the attempt's outcome, only if the request is still pending and the lease still ours."""
        table = booking_requests.c
        with self._engine.begin() as connection:
            settled = connection.execute(
                booking_requests.update()
                .where(table.id == request_id, table.status == PENDING, table.lease_token == token)
                .values(lease_until=None, lease_token=None, **values)
            ).rowcount
        return settled == 1

    @staticmethod
    def _from_row(row) -> BookingRequest:
        return BookingRequest(
            id=row.id,
            reference=row.reference,
            conversation_id=row.conversation_id,
            channel=row.channel,
            first_name=row.first_name,
            phone=row.phone,
            location=row.location,
            contact_time=row.contact_time,
            consent=bool(row.consent),
            status=row.status,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=as_utc(row.created_at),
            lease_token=row.lease_token,
            phone_extension=row.phone_extension,
            call_note=row.call_note,
        )
