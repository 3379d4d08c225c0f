"""Forms of the history pages: two versions to compare, a moment, groups to restore."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

# A whole store, at most: Twilio allows 50 trait groups per memory store.
MAX_RESTORED_AT_ONCE = 50


class CompareForm(forms.Form):
    """Two versions of one group; which ones the page offers is given by `versions`."""

    a = forms.TypedChoiceField(coerce=int, label="From version")
    b = forms.TypedChoiceField(coerce=int, label="To version")

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(v.pk), _label(v)) for v in versions]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
        self.fields["a"].error_messages["invalid_choice"] = "Pick a version of this group."
        self.fields["b"].error_messages["invalid_choice"] = "Pick a version of this group."


def _label(version) -> str:
    what = "deleted" if version.is_deletion else f"version {version.version or '?'}"
    return f"{what}, {timezone.localtime(version.seen_at):%Y-%m-%d %H:%M}"


class MomentForm(forms.Form):
    """A date and a time (the end of the day when no time is given), in memadmin's zone."""

    # A browser drops an impossible date (2026-13-45) from a date input and sends it empty,
    # so both cases say what a date looks like rather than "This field is required."
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Date",
        error_messages={
            "invalid": "Enter a date like 2026-03-01.",
            "required": "Enter a date like 2026-03-01.",
        },
    )
    time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 1}),
        label="Time",
        help_text="Leave empty for the end of the day.",
        error_messages={"invalid": "Enter a time like 14:30, or leave it empty."},
    )

    def moment(self) -> datetime:
        picked = self.cleaned_data["time"] or time(23, 59, 59, 999999)
        naive = datetime.combine(self.cleaned_data["date"], picked)
        return timezone.make_aware(naive)

    def first_error(self) -> str:
        for field, errors in self.errors.items():
            label = self.fields[field].label if field in self.fields else ""
            return f"{label}: {errors[0]}" if label else errors[0]
        return ""


class RestoreManyForm(MomentForm):
    """The groups of a store to restore as they were at the moment picked."""

    group = forms.MultipleChoiceField(
        error_messages={"required": "Pick at least one group to restore."}
    )

    def __init__(self, *args, names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(name, name) for name in names]
        self.fields["group"].error_messages["invalid_choice"] = (
            "%(value)s cannot be restored from that moment."
        )

    def clean_group(self):
        picked = self.cleaned_data["group"]
        if len(picked) > MAX_RESTORED_AT_ONCE:
            raise forms.ValidationError(
                f"Restore at most {MAX_RESTORED_AT_ONCE} groups at once; {len(picked)} were picked."
            )
        return picked
