"""The Operations page's filter form."""

from django import forms

from memadmin.operations.models import Operation


class OperationFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Operation.Status.choices]
    )
    store = forms.CharField(required=False, max_length=40, label="Store")
    trait_group = forms.CharField(required=False, max_length=64, label="Trait group")
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        """The selector's keyword arguments, from whatever was valid."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "store_id": (data.get("store") or "").strip(),
            "trait_group": (data.get("trait_group") or "").strip(),
        }
