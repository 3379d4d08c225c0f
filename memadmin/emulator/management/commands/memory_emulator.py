"""`python manage.py memory_emulator`: the emulator on a loopback port, served by waitress.

waitress, not `http.server`: the latter's keep-alive responses stall ~40 ms on delayed
ACKs, while a waitress round trip on loopback takes a few milliseconds. waitress spells
every header name Capitalised-Like-This (`Etag`); the official library reads headers as
a case-sensitive dict, so `ETag` is given back its spelling from the spec.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from memadmin.emulator.app import Emulator


class Command(BaseCommand):
    help = "Serve the Memory API emulator (Basic auth, faults from EMULATOR_FAIL_NEXT etc.)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--username", default=settings.MEMORY_API_USERNAME)
        parser.add_argument("--password", default=settings.MEMORY_API_PASSWORD)
        parser.add_argument(
            "--state",
            default=None,
            help="SQLite file to keep state in (shared by processes); default: in memory",
        )
        parser.add_argument(
            "--step-seconds",
            type=float,
            default=settings.EMULATOR_STEP_SECONDS,
            help="how long an operation stays PENDING, then RUNNING",
        )
        parser.add_argument("--store-count", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--max-groups-per-store",
            type=int,
            default=50,
            help="Twilio's limit is 50; benchmarks raise it (not how Twilio behaves)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress  # imported here: only this command needs it

        try:
            emulator = Emulator(
                username=options["username"],
                password=options["password"],
                state_path=options["state"],
                step_seconds=options["step_seconds"],
                store_count=options["store_count"],
                max_groups_per_store=options["max_groups_per_store"],
            )
            emulator.faults.configure_from_environment()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        server = waitress.create_server(
            emulator,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="memadmin-emulator",
        )
        server.channel_class = _exact_header_channel()
        # The effective port, so `--port 0` tells its caller where to connect.
        self.stdout.write(
            f"Memory API emulator on http://{options['host']}:{server.effective_port} "
            f"(stores: {', '.join(emulator.store_ids)})"
        )
        self.stdout.flush()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()


# waitress's spelling of a header name → the spec's, for names whose spelling differs.
SPEC_HEADER_SPELLINGS = {b"Etag": b"ETag"}


def _exact_header_channel() -> type:
    """waitress's channel with a task that restores the spec's header spellings."""
    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    class ExactHeaderTask(WSGITask):
        def build_response_header(self) -> bytes:
            head = super().build_response_header()
            for written, spelled in SPEC_HEADER_SPELLINGS.items():
                head = head.replace(b"\r\n" + written + b": ", b"\r\n" + spelled + b": ")
            return head

    class ExactHeaderChannel(HTTPChannel):
        task_class = ExactHeaderTask

    return ExactHeaderChannel
