"""Creating, revoking and checking API tokens; limiting how fast each one may call.

A token reads `mma_<prefix>_<secret>`. Only the SHA-256 of the whole token is stored (it
carries 256 random bits, so a slow hash would add nothing); the prefix finds the row and
names the token in lists and audit records, the secret itself is shown once.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from memadmin.accounts.roles import roles_of
from memadmin.api.models import ApiToken, TokenHolder
from memadmin.audit import services as audit

SCHEME = "mma"
MAX_LABEL_LENGTH = 64
# Twilio-sized bursts are fine; recording every use of a polling pipeline is not.
USE_AUDITED_EVERY = timedelta(hours=1)
LAST_USED_EVERY = timedelta(minutes=1)


class TokenRefused(Exception):
    """A token that does not open the API; the message says why, without echoing it."""


class RateLimited(Exception):
    """The token made too many calls this minute; `retry_after` is in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many requests for this token; retry in {retry_after} s.")
        self.retry_after = retry_after


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, user, label: str, role: str) -> tuple[ApiToken, str]:
    """A new token of `user` acting as `role` (one of theirs); returns it and its secret."""
    label = (label or "").strip()
    if not label or len(label) > MAX_LABEL_LENGTH:
        raise ValueError(f"Name the token in 1 to {MAX_LABEL_LENGTH} characters.")
    if role not in roles_of(user):
        raise PermissionDenied(f"You do not hold the {role} role, so no token of yours can.")
    prefix = secrets.token_hex(4)
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, label=label, role=role, prefix=prefix, secret_hash=_digest(raw)
        )
        audit.record(
            action="api.token_created",
            actor=user,
            target=token,
            detail=f"{token} acting as {role}.",
        )
    return token, raw


def revoke_token(*, token: ApiToken, actor) -> ApiToken:
    """Stops a token from opening the API, for good. Only its owner revokes it."""
    if token.user_id != actor.pk:
        raise PermissionDenied("Only the owner of a token can revoke it.")
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
        if updated:
            audit.record(action="api.token_revoked", actor=actor, target=token, detail=str(token))
    return token


def authenticate(raw: str, *, request: HttpRequest) -> TokenHolder:
    """The user a token acts for, narrowed to its role; raises TokenRefused."""
    scheme, _, rest = raw.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or not prefix or not secret:
        raise TokenRefused("That is not a memadmin API token.")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(raw.strip())):
        raise TokenRefused("Unknown API token.")
    if not token.is_active or not token.user.is_active:
        # Audited once a minute: a forgotten pipeline retrying must not flood the log.
        if cache.add(f"api:token-refused:{token.pk}", True, 60):
            audit.record(
                action="api.token_refused",
                actor=token.user,
                request=request,
                target=token,
                outcome="failure",
                detail=f"{token} was used after it was revoked.",
            )
        raise TokenRefused("This API token was revoked.")
    holder = TokenHolder.objects.get(pk=token.user_id)
    holder.token = token
    _note_use(token, request)
    return holder


def _note_use(token: ApiToken, request: HttpRequest) -> None:
    """Keeps `last_used_at` roughly current and audits the token's use once an hour."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    seconds = int(USE_AUDITED_EVERY.total_seconds())
    if cache.add(f"api:token-audited:{token.pk}", True, seconds):
        audit.record(
            action="api.token_used",
            actor=token.user,
            request=request,
            target=token,
            detail=f"{token}: {request.method} {request.path}",
        )


def check_rate(token: ApiToken) -> None:
    """Counts one call of `token` in this minute's window; raises RateLimited past the limit."""
    now = time.time()
    key = f"api:rate:{token.pk}:{int(now // 60)}"
    cache.add(key, 0, 120)
    try:
        calls = cache.incr(key)
    except ValueError:  # evicted between add and incr: this call starts the window again
        cache.set(key, 1, 120)
        calls = 1
    if calls > settings.API_RATE_LIMIT_PER_MINUTE:
        raise RateLimited(retry_after=max(1, 60 - int(now % 60)))
