"""The synthetic customers of each seeded store: derived from (store, index), never stored.

A store of 5,000 profiles costs nothing until one is read: a profile's id and values
come from a random generator seeded by the store id and the profile's index, so the
same profile always holds the same values and no list of them lives in the state.

Most values fit the out-of-the-box and demo definitions; some would break a plausibly
tightened rule, so that a data dry run has something to find: phone numbers not in
E.164, e-mails in mixed case, numbers out of range, long names, over-long arrays.
Only the values of traits the store currently defines are ever shown (see `profiles`).
"""

import random
from typing import Any

# "thousands in a sandbox store, hundreds in production"; Twilio allows 10,000 a store.
POPULATION_BY_STORE_NAME = {"sandbox": 5000, "production": 600}
DEFAULT_POPULATION = 200
MAX_PROFILES_PER_STORE = 10_000

FIRST_NAMES = ("Alyssa", "Ben", "Chioma", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines")
LAST_NAMES = ("Mock", "Okafor", "Novak", "Silva", "Tanaka", "Weber", "Nguyen", "Haddad")
# A long name breaks a tightened `maxLength` (say 20).
LONG_LAST_NAME = "Montgomery-Fairweather-Castellanos"
CITIES = (("San Francisco", "CA", "94107"), ("Austin", "TX", "73301"), ("Denver", "CO", "80202"))
CHANNELS = ("sms", "email", "voice", "whatsapp")
TOPICS = ("billing", "travel", "sports", "music", "cooking", "gardening", "finance", "gaming")


def population_size(store_name: str) -> int:
    """How many seeded profiles a store starts with, by its display name."""
    return POPULATION_BY_STORE_NAME.get(store_name, DEFAULT_POPULATION)


def seeded_profile_id(store_number: int, index: int) -> str:
    """`mem_profile_0` + store number (3) + index (22): a valid TTID, 0-prefixed."""
    return f"mem_profile_0{store_number:03d}{index:022d}"


def created_profile_id(store_number: int, sequence: int) -> str:
    """Profiles created through the API: 1-prefixed, so they never meet a seeded id."""
    return f"mem_profile_1{store_number:03d}{sequence:022d}"


def seeded_index(profile_id: str, store_number: int) -> int | None:
    """The index of a seeded profile id of this store, or None."""
    prefix = f"mem_profile_0{store_number:03d}"
    digits = profile_id.removeprefix(prefix)
    if digits == profile_id or len(digits) != 22 or not digits.isdigit():
        return None
    return int(digits)


def seeded_timestamp(index: int) -> str:
    """When the index-th profile's traits were last written: one a minute from 2025."""
    hours, minutes = divmod(index, 60)
    days, hours = divmod(hours, 24)
    return f"2025-{1 + days // 28 % 12:02d}-{1 + days % 28:02d}T{hours:02d}:{minutes:02d}:00Z"


def seeded_traits(store_id: str, index: int) -> dict[str, dict[str, Any]]:
    """Every value the index-th profile of `store_id` holds, by group and trait name."""
    rng = random.Random(f"{store_id}/{index}")
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if rng.random() < 0.03:
        last = LONG_LAST_NAME
    city, state, postal_code = rng.choice(CITIES)
    local = f"{first}.{last}{index}".lower()
    email = f"{local}@example.com"
    if rng.random() < 0.08:  # breaks a lower-case-only e-mail pattern
        email = f"{first}.{last}{index}@Example.com"
    number = f"{index % 10_000:04d}"
    phone = f"+1317555{number}"
    roll = rng.random()
    if roll < 0.04:  # not E.164
        phone = f"(317) 555-{number}"
    elif roll < 0.06:
        phone = f"317.555.{number}"
    country = "US" if rng.random() >= 0.05 else rng.choice(("usa", "United States"))
    if rng.random() < 0.1:
        postal_code = f"{postal_code}-{rng.randrange(10_000):04d}"
    contact = {
        "email": email,
        "phone": phone,
        "firstName": first,
        "lastName": last,
        "street": f"{rng.randrange(1, 999)} Main St",
        "city": city,
        "state": state,
        "postalCode": postal_code,
        "country": country,
    }
    quiet_hour = rng.randrange(18, 24)
    if rng.random() < 0.03:  # outside 0-23, from an older import
        quiet_hour = rng.choice((-1, 24, 30))
    preferences = {
        "preferredChannel": rng.choices(CHANNELS, weights=(45, 35, 12, 8))[0],
        "quietHoursStart": quiet_hour,
        "marketingOptIn": rng.random() < 0.4,
    }
    points = rng.randrange(0, 5000)
    if rng.random() < 0.02:  # a runaway balance or a negative correction
        points = rng.choice((-50, 250_000))
    loyalty = {"tier": rng.choice(("bronze", "silver", "gold")), "points": points}
    topic_count = rng.randrange(0, 5) if rng.random() >= 0.05 else rng.randrange(12, 30)
    interests = {"topics": [rng.choice(TOPICS) for _ in range(topic_count)]}
    return {
        "Contact": contact,
        "Preferences": preferences,
        "Loyalty": loyalty,
        "Interests": interests,
    }
