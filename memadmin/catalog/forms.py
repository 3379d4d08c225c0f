"""The trait catalog's filter form: every field optional, every field labelled."""

from django import forms

from memadmin.catalog.models import DataMapping
from memadmin.catalog.selectors import CatalogFilters
from memadmin.traitgroups.constraints import DATA_TYPES


class CatalogFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Trait, group, description or mapping name",
    )
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any"), *((t, t) for t in DATA_TYPES)]
    )
    written = forms.ChoiceField(
        label="Written by",
        required=False,
        choices=[
            ("", "Anything"),
            ("mapped", "At least one data mapping"),
            ("unmapped", "No data mapping"),
        ],
    )
    source = forms.ChoiceField(
        label="Mapping source", required=False, choices=[("", "Any"), *DataMapping.Source.choices]
    )
    promoted = forms.BooleanField(label="Identifier promotions only", required=False)
    protected = forms.BooleanField(label="Protected traits only", required=False)

    field_order = ("q", "store", "group", "type", "written", "source", "promoted", "protected")

    def __init__(self, *args, stores: list[tuple[str, str]], groups: list[str], **kwargs):
        """`stores` (id, label) to pick from (none on a one-store page); `groups` by name."""
        super().__init__(*args, **kwargs)
        if stores:
            self.fields["store"] = forms.ChoiceField(
                label="Store", required=False, choices=[("", "All stores"), *stores]
            )
        self.fields["group"] = forms.ChoiceField(
            label="Trait group",
            required=False,
            choices=[("", "All groups"), *((group, group) for group in groups)],
        )
        self.order_fields(self.field_order)
        for name in ("store", "group", "type", "written", "source"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = (
                    "That is not one of the choices; it was left out."
                )

    def filters(self) -> CatalogFilters:
        """The valid filters; invalid ones are dropped (the page says which)."""
        if not self.is_bound:
            return CatalogFilters()
        self.is_valid()
        data = self.cleaned_data
        return CatalogFilters(
            text=(data.get("q") or "").strip(),
            store_id=data.get("store") or "",
            group=data.get("group") or "",
            data_type=data.get("type") or "",
            source=data.get("source") or "",
            written=data.get("written") or "",
            promoted_only=bool(data.get("promoted")),
            protected_only=bool(data.get("protected")),
        )
