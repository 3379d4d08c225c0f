"""Forms of the review pages: picking the approved revisions to publish together."""

from django import forms

from memadmin.ids import as_row_id
from memadmin.traitgroups.models import TraitGroupRevision


class RevisionPicksField(forms.ModelMultipleChoiceField):
    """Ticked revisions; a number no database can hold is refused as not a revision number,
    before SQLite's driver would raise OverflowError on it (a 500)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if as_row_id(text) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text},
                )
        return super()._check_values(value)


class PublishManyForm(forms.Form):
    """The revisions ticked in the inbox; whether each may be published is the service's call."""

    revision = RevisionPicksField(
        queryset=TraitGroupRevision.objects.order_by("submitted_at", "pk"),
        error_messages={
            "required": "Pick at least one approved revision to publish.",
            "invalid_choice": "Revision %(value)s does not exist (any more); reload the inbox.",
            "invalid_pk_value": "“%(pk)s” is not a revision number.",
        },
    )

    def first_error(self) -> str:
        """The one field's first complaint, for the inbox's error banner."""
        return self.errors["revision"][0]
