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


# A few data mappings per store, as a team would have them: a CRM and a warehouse feeding
# `Contact` (dataset sources, so they name only traits the store defines), and two INGRESS
# feeds that also write the demo group `Preferences` (ingress is not checked against the
# store's groups, so these exist before that group is published, as they would in life).
SEED_DATA_MAPPINGS: list[dict[str, Any]] = [
    {
        "displayName": "crm-contacts",
        "description": "Customer contact details from the CRM",
        "mappingFrom": {"type": "DATASET_CLOUDAPP"},
        "mappings": [
            ("primary_email", "Contact", "email"),
            ("mobile_phone", "Contact", "phone"),
            ("first_name", "Contact", "firstName"),
            ("last_name", "Contact", "lastName"),
        ],
    },
    {
        "displayName": "warehouse-addresses",
        "description": "Postal addresses from the data warehouse",
        "mappingFrom": {"type": "DATASET_WAREHOUSE"},
        "mappings": [
            ("addr_street", "Contact", "street"),
            ("addr_city", "Contact", "city"),
            ("addr_region", "Contact", "state"),
            ("addr_postcode", "Contact", "postalCode"),
            ("addr_country", "Contact", "country"),
        ],
    },
    {
        "displayName": "web-signup",
        "description": "Sign-up form on the website",
        "mappingFrom": {"type": "INGRESS", "columns": ["email", "given_name", "channel", "optin"]},
        "mappings": [
            ("email", "Contact", "email"),
            ("given_name", "Contact", "firstName"),
            ("channel", "Preferences", "preferredChannel"),
            ("optin", "Preferences", "marketingOptIn"),
        ],
    },
    {
        "displayName": "support-preferences",
        "description": "Preferences captured by support agents",
        "mappingFrom": {"type": "INGRESS", "columns": ["channel", "quiet_from"]},
        "mappings": [
            ("channel", "Preferences", "preferredChannel"),
            ("quiet_from", "Preferences", "quietHoursStart"),
        ],
    },
]
# 2025-01-01T00:00:00Z: seeded mappings carry a fixed date, so the seed is deterministic.
SEED_TIMESTAMP = 1_735_689_600.0


def data_mapping_id_for(store_index: int, mapping_index: int) -> str:
    """The id of a seeded mapping: `mem_datamapping_` then 26 base-36 characters."""
    return f"mem_datamapping_{store_index:013d}{mapping_index:013d}"


def dataset_id_for(store_index: int, mapping_index: int) -> str:
    """The id of the made-up dataset a seeded dataset mapping reads."""
    return f"tdi_dataset_{store_index:013d}{mapping_index:013d}"


def seed_data_mappings(store_index: int) -> dict[str, dict[str, Any]]:
    """The seeded mappings of one store, keyed by id, in the state document's shape."""
    mappings: dict[str, dict[str, Any]] = {}
    for index, seed in enumerate(SEED_DATA_MAPPINGS):
        mapping_id = data_mapping_id_for(store_index, index)
        mapping_from = dict(seed["mappingFrom"])
        if mapping_from["type"] != "INGRESS":
            mapping_from["datasetId"] = dataset_id_for(store_index, index)
        mappings[mapping_id] = {
            "id": mapping_id,
            "displayName": seed["displayName"],
            "description": seed["description"],
            "isEnabled": True,
            "mappingTo": {
                "type": "TRAITS",
                "mappings": [
                    {"expression": expression, "traitGroup": group, "traitName": trait}
                    for expression, group, trait in seed["mappings"]
                ],
            },
            "mappingFrom": mapping_from,
            "version": 1,
            "createdAt": SEED_TIMESTAMP,
            "updatedAt": SEED_TIMESTAMP,
            "createdSeq": -len(SEED_DATA_MAPPINGS) + index,  # before anything created later
        }
    return mappings


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
            "dataMappings": seed_data_mappings(index),
        }
    return {"stores": stores, "operations": {}, "unsettled": [], "sequence": 0}
