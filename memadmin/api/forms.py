from django import forms

from memadmin.api.tokens import MAX_LABEL_LENGTH


class NewTokenForm(forms.Form):
    """A token's name and the role it acts with: one of the person's own roles."""

    label = forms.CharField(
        label="Name",
        max_length=MAX_LABEL_LENGTH,
        help_text="Say where it is used, e.g. “CI for schemas repo”.",
    )
    role = forms.ChoiceField(label="Acts as", help_text="It can do what this role can, no more.")

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, role) for role in roles]
