"""Forms of the review pages: picking the approved revisions to publish together."""

from django import forms

from memadmin.traitgroups.models import TraitGroupRevision


class PublishManyForm(forms.Form):
    """The revisions ticked in the inbox; whether each may be published is the service's call."""

    revision = forms.ModelMultipleChoiceField(
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
