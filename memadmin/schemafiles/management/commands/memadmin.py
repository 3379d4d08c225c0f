"""`manage.py memadmin export|plan|propose|status`: schemas as code from a terminal or CI.

Exit codes, for pipelines: 0 fine; 1 invalid files, a refusal or an error; `plan
--detailed-exitcode` gives 2 when there are changes; `status` gives 3 while a review still
waits (in review, approved, publishing) and 1 once one stopped (changes requested,
withdrawn, failed).
"""

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from memadmin.memory_api import MemoryApiError
from memadmin.schemafiles import exporting, fileformat, planning, proposals
from memadmin.traitgroups.models import TraitGroupRevision

EXIT_INVALID = 1
EXIT_CHANGES = 2
EXIT_WAITING = 3
STATUS_POLL_SECONDS = 5
VIA = "the command line"


class Command(BaseCommand):
    help = "Export a store's trait groups to files, plan them against live, propose them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="Write the live trait groups into DIR.")
        export.add_argument("store", help="Store id or name")
        export.add_argument("directory", type=Path)
        export.add_argument("--format", choices=tuple(fileformat.SUFFIXES), default="yaml")
        plan = actions.add_parser("plan", help="What the files in DIR would change in STORE.")
        plan.add_argument("store")
        plan.add_argument("directory", type=Path)
        plan.add_argument(
            "--detailed-exitcode", action="store_true", help="Exit 2 when there are changes."
        )
        propose = actions.add_parser("propose", help="Put each changed group up for review.")
        propose.add_argument("store")
        propose.add_argument("directory", type=Path)
        propose.add_argument("--message", "-m", default="", help="A comment on each review.")
        propose.add_argument("--as", dest="username", required=True, help="memadmin user")
        propose.add_argument("--base-url", default="", help="e.g. https://memadmin.example.com")
        status = actions.add_parser("status", help="Where the reviews stand.")
        status.add_argument("reviews", nargs="+", type=int, metavar="REVIEW")
        status.add_argument("--wait", type=int, default=0, metavar="SECONDS")
        status.add_argument("--base-url", default="")
        for sub in (export, plan, propose, status):
            sub.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args, action, **options):
        self.as_json = options["json"]
        try:
            getattr(self, f"_{action}")(**options)
        except planning.UnknownStore as exc:
            raise CommandError(str(exc)) from None
        except MemoryApiError as exc:
            raise CommandError(exc.user_message) from None

    def _emit(self, document: dict, text: str) -> None:
        self.stdout.write(json.dumps(document, indent=2) if self.as_json else text)

    def _export(self, *, store, directory, format, **options):
        store = planning.resolve_store(store)
        files = exporting.store_files(store=store, file_format=format)
        written = exporting.write_files(directory, files)
        self._emit(
            {"store": store.id, "files": [str(path) for path in written]},
            f"Wrote {len(written)} trait group file(s) of {store.display_name} to {directory}.",
        )

    def _plan_of(self, store_name: str, directory: Path) -> planning.Plan:
        store = planning.resolve_store(store_name)
        files, problems = fileformat.read_directory(directory)
        return planning.plan_store(store=store, files=files, extra_problems=problems)

    def _plan(self, *, store, directory, detailed_exitcode, **options):
        plan = self._plan_of(store, directory)
        self._emit(plan.as_json(), plan_in_words(plan))
        if not plan.ok:
            raise CommandError(
                f"{len(plan.problems)} problem(s) in the files.", returncode=EXIT_INVALID
            )
        if detailed_exitcode and plan.changes:
            raise CommandError(
                f"{len(plan.changes)} group(s) would change.", returncode=EXIT_CHANGES
            )

    def _propose(self, *, store, directory, message, username, base_url, **options):
        try:
            actor = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active memadmin user is named {username!r}.") from None
        plan = self._plan_of(store, directory)
        try:
            made = proposals.propose(plan=plan, actor=actor, via=VIA, message=message)
        except PermissionDenied as exc:
            raise CommandError(f"{username}: {exc}") from None
        except proposals.FilesInvalid as exc:
            self._emit(plan.as_json(), plan_in_words(plan))
            raise CommandError(str(exc), returncode=EXIT_INVALID) from None
        base_url = base_url.rstrip("/")
        lines = [f"{len(made)} group(s) proposed for review in {plan.store.display_name}."]
        for proposal in made:
            if proposal.error:
                lines.append(f"  ! {proposal.name} ({proposal.file}): {proposal.error}")
            else:
                note = " (already waiting in review)" if proposal.already_open else ""
                lines.append(f"  {proposal.name}: {base_url}{proposal.review_path}{note}")
        self._emit(
            {"store": plan.store.id, "proposals": [p.as_json(base_url) for p in made]},
            "\n".join(lines),
        )
        if any(proposal.error for proposal in made):
            raise CommandError("Some groups could not be proposed.", returncode=EXIT_INVALID)

    def _status(self, *, reviews, wait, base_url, **options):
        deadline = time.monotonic() + wait
        while True:
            states = _states(reviews)
            waiting = any(s.phase == proposals.WAITING for s in states)
            if not waiting or time.monotonic() >= deadline:
                break
            time.sleep(STATUS_POLL_SECONDS)
        base_url = base_url.rstrip("/")
        lines = [
            f"Review {s.revision.pk} ({s.revision.display_name}): "
            f"{s.revision.get_state_display()}, {s.approvals}/{s.required} approvals"
            + (f", operation {s.operation_status}" if s.operation_status else "")
            for s in states
        ]
        self._emit({"reviews": [s.as_json(base_url) for s in states]}, "\n".join(lines))
        if any(s.phase == proposals.STOPPED for s in states):
            raise CommandError("A review stopped: it needs a person.", returncode=EXIT_INVALID)
        if waiting:
            raise CommandError("Still waiting for review or publishing.", returncode=EXIT_WAITING)


def _states(ids: list[int]) -> list[proposals.ReviewState]:
    revisions = {r.pk: r for r in TraitGroupRevision.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in revisions]
    if missing:
        raise CommandError(f"No review {', '.join(map(str, missing))}.")
    return [proposals.review_state(revisions[pk]) for pk in ids]


def plan_in_words(plan: planning.Plan) -> str:
    """The plan as a person reads it in a terminal or a CI log."""
    store = plan.store
    if not plan.ok:
        lines = [f"The files cannot be planned against {store.display_name} ({store.id}):"]
        return "\n".join(lines + [f"  {problem}" for problem in plan.problems])
    counts = {action: 0 for action in (planning.CREATE, planning.UPDATE, planning.UNCHANGED)}
    for group in plan.groups:
        counts[group.action] += 1
    lines = [
        f"Plan for {store.display_name} ({store.id}): {counts['create']} to create, "
        f"{counts['update']} to update, {counts['unchanged']} unchanged."
    ]
    for group in plan.changes:
        lines += _group_in_words(group)
    if plan.untouched:
        lines.append(
            "Live groups no file describes (left alone): " + ", ".join(plan.untouched) + "."
        )
    return "\n".join(lines)


def _group_in_words(group: planning.GroupPlan) -> list[str]:
    if group.action == planning.CREATE:
        head = f"+ {group.name} ({group.file}): new group"
    else:
        head = f"~ {group.name} ({group.file}), live version {group.live_version}"
    lines = [head]
    if group.diff.description:
        lines.append(
            f"    description: {group.diff.description[0]!r} → {group.diff.description[1]!r}"
        )
    for change in group.diff.traits:
        if change.kind == "added":
            lines.append(f"    + trait {change.name} ({change.new.get('dataType')})")
        elif change.kind == "removed":
            lines.append(f"    - trait {change.name}")
        else:
            fields = "; ".join(f"{f.path} {f.before!r} → {f.after!r}" for f in change.fields)
            lines.append(f"    ~ trait {change.name}: {fields}")
    lines += [f"    ! breaking: {reason}" for reason in group.diff.breaking]
    lines += [f"    warning: {warning}" for warning in group.warnings]
    if group.risk is None:
        lines.append("    risk tier: not computed")
    else:
        reasons = "; ".join(reason.text for reason in group.risk.deciding)
        lines.append(f"    risk tier: {group.risk.tier.label} ({reasons})")
    return lines
