"""Forms of the stores pages: the stores and the groups to promote."""

from django import forms


class PromotionForm(forms.Form):
    """Source and target store, plus (when posting) the names of the groups to copy."""

    source = forms.ChoiceField(label="From store")
    target = forms.ChoiceField(label="To store")
    q = forms.CharField(label="Search by name", required=False, max_length=64)

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(s.id, f"{s.display_name} ({s.id})") for s in stores]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("target"):
            raise forms.ValidationError("Pick two different stores.")
        return cleaned
