"""Audit events cannot be changed or removed: not by the ORM, not by raw SQL."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from memadmin.audit import chain, services
from memadmin.audit.models import AppendOnlyError, AuditEvent
from memadmin.audit.triggers import trigger_definitions

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite trigger test; this run uses another database"
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL trigger test; this run uses SQLite (set DATABASE_URL=postgres://...)",
)


def test_the_model_refuses_to_save_an_existing_event(append):
    event = append()
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_model_refuses_to_delete(append):
    event = append()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()


def test_events_cannot_be_created_around_record(db):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.create(action="forged", prev_hash="0" * 64)


def _raw_update_and_delete_are_refused(event):
    for sql in (
        "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


@on_sqlite
def test_raw_sql_update_and_delete_fail_on_sqlite(append):
    _raw_update_and_delete_are_refused(append())


@pytest.mark.postgres
@on_postgresql
def test_raw_sql_update_and_delete_fail_on_postgresql(append):
    _raw_update_and_delete_are_refused(append())


@pytest.mark.postgres
@on_postgresql
def test_truncate_fails_on_postgresql(transactional_db):
    event = services.record(action="traitgroup.created")  # committed, so TRUNCATE may run
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_flush_refuses_to_empty_the_audit_log_and_keeps_the_triggers(transactional_db):
    event = services.record(action="traitgroup.created")
    before = trigger_definitions(connection)
    with pytest.raises(CommandError, match="audit log is append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert trigger_definitions(connection) == before
    assert len(before) >= 2


@on_sqlite
def test_insert_or_replace_cannot_rewrite_an_event_on_sqlite(append):
    event = append("traitgroup.created")
    columns = ", ".join(f'"{name}"' for name in ("id", *chain.HASHED_FIELDS, "hash"))
    values = [event.pk, *(getattr(event, name) for name in chain.HASHED_FIELDS), event.hash]
    values[chain.HASHED_FIELDS.index("action") + 1] = "forged.action"
    values[chain.HASHED_FIELDS.index("time") + 1] = event.time.isoformat()
    values = [json.dumps(v) if isinstance(v, dict) else v for v in values]
    placeholders = ", ".join(["%s"] * len(values))
    for verb in ("INSERT OR REPLACE", "REPLACE"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"{verb} INTO audit_auditevent ({columns}) VALUES ({placeholders})",
                values,
            )
    assert AuditEvent.objects.get(pk=event.pk).action == "traitgroup.created"


def test_a_second_event_claiming_the_same_predecessor_fails_loudly(append):
    first = append()
    append()  # already claims first.hash as its predecessor
    fork = AuditEvent(action="fork", time=first.time, prev_hash=first.hash)
    fork.hash = chain.event_hash(fork)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()
