"""Demo content for `make run`: something to look at and review on the first visit.

Only for local use against the embedded emulator: the command that calls this refuses
to run with DEBUG off, and nothing here runs when a real Memory API is configured.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model

from memadmin.accounts import services as accounts
from memadmin.memory_api import MemoryApiError
from memadmin.reviews import services as reviews
from memadmin.stores import selectors as store_selectors
from memadmin.stores import services as stores
from memadmin.traitgroups import services as drafts
from memadmin.traitgroups.models import TraitGroupRevision

logger = logging.getLogger(__name__)

PREFERENCES = {
    "displayName": "Preferences",
    "description": "How and when a customer likes to be contacted.",
    "traits": {
        "preferredChannel": {
            "dataType": "STRING",
            "description": "sms, email, voice or whatsapp",
            "validationRule": {"ruleType": "STRING", "pattern": "^(sms|email|voice|whatsapp)$"},
        },
        "quietHoursStart": {
            "dataType": "NUMBER",
            "description": "Hour of day (0-23) after which we do not call",
            "validationRule": {"ruleType": "NUMBER", "min": 0, "max": 23},
        },
        "marketingOptIn": {"dataType": "BOOLEAN", "description": "Consented to marketing"},
    },
}


def seed_demo_content() -> list[str]:
    """Demo users, both emulator stores synced, one revision waiting for review."""
    done = [f"users: {', '.join(accounts.seed_demo_users())}"]
    if settings.MEMORY_API_URL != "emulator":
        return done  # never write demo data into a real Twilio account
    try:
        for store in store_selectors.stores(fresh=True):
            stores.sync_store(store_id=store.id)
        done.append("stores synced")
    except MemoryApiError as exc:
        logger.warning("Demo stores not synced: %s", exc.user_message)
    if not TraitGroupRevision.objects.exists():
        operator = get_user_model().objects.get(username="operator")
        sandbox = sorted(store.id for store in store_selectors.stores())[0]
        revision = drafts.create_draft(store_id=sandbox, definition=PREFERENCES, author=operator)
        reviews.submit_for_review(revision=revision, actor=operator)
        done.append("'Preferences' waits for review in sandbox")
    return done
