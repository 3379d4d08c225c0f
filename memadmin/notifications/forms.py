"""Forms for notification preferences and destinations."""

import secrets
from urllib.parse import urlsplit

from django import forms

from memadmin.notifications import channels
from memadmin.notifications.events import CHOOSABLE
from memadmin.notifications.models import Destination

KIND_CHOICES = [(kind.value, kind.label) for kind in CHOOSABLE]


class PreferencesForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        label="E-mail me when",
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    digest = forms.BooleanField(
        label="Bundle them into one e-mail per hour",
        required=False,
        help_text="Instead of one e-mail per event.",
    )

    @property
    def muted(self) -> list[str]:
        chosen = set(self.cleaned_data["emailed"])
        return [kind.value for kind in CHOOSABLE if kind.value not in chosen]


class DestinationForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="For people: e.g. “#schema-reviews on Slack”.")
    channel = forms.ChoiceField(label="Kind", choices=Destination.Channel.choices)
    url = forms.CharField(
        label="URL",
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=(
            "An Apprise URL (slack://…, discord://…, a Teams Workflows https://… URL) or, "
            "for a signed JSON webhook, its https:// address. It holds secrets: once saved "
            "it is shown masked only."
        ),
    )
    kinds = forms.MultipleChoiceField(
        label="Events",
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event.",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Destination.objects.filter(name=name).exists():
            raise forms.ValidationError("A destination of that name exists already.")
        return name

    def clean(self):
        cleaned = super().clean()
        url = (cleaned.get("url") or "").strip()
        channel = cleaned.get("channel")
        if not url or not channel:
            return cleaned
        # Errors say what is wrong with the URL without repeating it.
        if channel == Destination.Channel.WEBHOOK:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.add_error("url", "A webhook needs an http:// or https:// address.")
        elif not channels.recognised(url):
            self.add_error(
                "url", "Apprise does not recognise this URL; see appriseit.com for the forms."
            )
        cleaned["url"] = url
        return cleaned

    def new_signing_secret(self) -> str:
        """A webhook's signing key, shown once after saving; other kinds need none."""
        if self.cleaned_data["channel"] == Destination.Channel.WEBHOOK:
            return secrets.token_urlsafe(32)
        return ""
