"""The state a fresh emulator starts from: ACTIVE stores, each with its `Contact` group.

Store ids are deterministic so that settings, fixtures and documentation can name
them; they are valid TTIDs (`^mem_store_[0-7][0-9a-z]{25}$`).
"""

from typing import Any

STORE_NAMES = ("sandbox", "production")
STORE_DESCRIPTIONS = {
    "sandbox": "A testing ground for development, training and experimentation",
    "production": "Live customer profiles",
}

# "Out-of-the-box trait groups such as Contact exist in every store by default";
# its traits are those of the spec's examples, email and phone promoted to identifiers.
CONTACT_DESCRIPTION = "Contact details of a customer, present in every store by default."
CONTACT_TRAITS: dict[str, dict[str, Any]] = {
    "email": {
        "dataType": "STRING",
        "description": "The customer's primary email address",
        "idTypePromotion": "email",
    },
    "phone": {
        "dataType": "STRING",
        "description": "The customer's phone number, in E.164 format",
        "idTypePromotion": "phone",
    },
    "firstName": {"dataType": "STRING", "description": "The customer's given name"},
    "lastName": {"dataType": "STRING", "description": "The customer's family name"},
    "street": {"dataType": "STRING", "description": "Street address, including number"},
    "city": {"dataType": "STRING", "description": "City of the postal address"},
    "state": {"dataType": "STRING", "description": "State, province or region"},
    "postalCode": {"dataType": "STRING", "description": "Postal or ZIP code"},
    "country": {"dataType": "STRING", "description": "Country, as an ISO 3166-1 alpha-2 code"},
}

# Twilio's error dictionary: "protected trait or trait group: cannot be edited or deleted".
# The out-of-the-box groups and the data type of each built-in trait they are born with.
PROTECTED_TRAIT_GROUPS: dict[str, dict[str, str]] = {
    "Contact": {name: trait["dataType"] for name, trait in CONTACT_TRAITS.items()}
}

IDENTIFIER_CONFIGS: list[dict[str, Any]] = [
    {
        "idType": "email",
        "matchingAlgo": "exact",
        "normalization": "email",
        "enforceUnique": True,
        "limit": 100,
        "limitPolicy": "fifo",
    },
    {
        "idType": "phone",
        "matchingAlgo": "exact",
        "normalization": "phone",
        "enforceUnique": True,
        "limit": 100,
        "limitPolicy": "fifo",
    },
]


def store_id_for(index: int) -> str:
    """The id of the index-th seeded store: `mem_store_` then 26 base-36 characters."""
    return f"mem_store_{index:026d}"


def store_name_for(index: int) -> str:
    """`sandbox`, `production`, then `store-3`, `store-4`, … for larger seeds."""
    return STORE_NAMES[index] if index < len(STORE_NAMES) else f"store-{index + 1}"


def seed_document(store_count: int) -> dict[str, Any]:
    """A complete state document; see `state.py` for its shape."""
    stores: dict[str, Any] = {}
    for index in range(store_count):
        store_id = store_id_for(index)
        name = store_name_for(index)
        stores[store_id] = {
            "store": {
                "id": store_id,
                "displayName": name,
                "description": STORE_DESCRIPTIONS.get(name, f"Seeded store {name}"),
                "status": "ACTIVE",
                "intelligenceServiceId": f"intelligence_service_{index:026d}",
                "version": 1,
            },
            "identityResolution": {
                "identifierConfigs": [dict(config) for config in IDENTIFIER_CONFIGS],
                "matchingRules": ["email", "phone"],
                "version": 1,
            },
            "traitGroups": {
                "Contact": {
                    "displayName": "Contact",
                    "description": CONTACT_DESCRIPTION,
                    "traits": {name: dict(trait) for name, trait in CONTACT_TRAITS.items()},
                    "version": 1,
                    "createdSeq": 0,
                }
            },
        }
    return {"stores": stores, "operations": {}, "unsettled": [], "sequence": 0}
