"""The audit log's filter form: every field optional, every field labelled."""

from django import forms

from memadmin.audit.models import Outcome
from memadmin.ids import MAX_ROW_ID

FILTER_NAMES = (
    "search",
    "actor",
    "action",
    "store_id",
    "trait_group",
    "revision",
    "outcome",
    "since",
    "until",
)


class EventFilterForm(forms.Form):
    search = forms.CharField(label="Search", required=False, max_length=200)
    actor = forms.CharField(label="Actor", required=False, max_length=150)
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=100,
        help_text="e.g. traitgroup.submitted, or auth.* for a family",
    )
    store_id = forms.CharField(label="Store", required=False, max_length=100)
    trait_group = forms.CharField(label="Trait group", required=False, max_length=100)
    revision = forms.IntegerField(
        label="Revision", required=False, min_value=1, max_value=MAX_ROW_ID
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any"), *Outcome.choices]
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date comes before the start date.")
        return cleaned

    def filters(self) -> dict:
        """The valid, non-empty filters, ready for selectors.events(); invalid ones are dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
