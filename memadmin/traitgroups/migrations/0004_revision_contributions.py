import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def authors_contributed(apps, schema_editor):
    """Every existing revision's author is its first contributor."""
    Revision = apps.get_model("traitgroups", "TraitGroupRevision")
    Contribution = apps.get_model("traitgroups", "RevisionContribution")
    Contribution.objects.bulk_create(
        Contribution(revision_id=pk, user_id=author_id, kind="authored")
        for pk, author_id in Revision.objects.values_list("pk", "author_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("traitgroups", "0003_backfill_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RevisionContribution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("authored", "wrote it"),
                            ("saved", "saved changes"),
                            ("imported", "imported JSON"),
                            ("rebased", "rebased it"),
                        ],
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contributions",
                        to="traitgroups.traitgrouprevision",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("revision", "user", "kind"), name="revision_contribution_once"
                    )
                ],
            },
        ),
        migrations.RunPython(authors_contributed, migrations.RunPython.noop),
    ]
