"""Background work: `run_dry_run` samples profiles for one dry run, resuming at its cursor."""

from django.tasks import task


@task()
def run_dry_run_task(dry_run_id: int) -> str:
    """Runs or resumes one dry run; returns its state afterwards (or why it skipped)."""
    from memadmin.dryrun.sampling import run_dry_run

    run = run_dry_run(dry_run_id)
    return run.state if run is not None else "skipped"
