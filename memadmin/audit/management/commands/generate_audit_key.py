"""`python manage.py generate_audit_key`: a new Ed25519 key pair for signing checkpoints.

The private key is printed once, to this terminal only, for you to put in the environment
as AUDIT_SIGNING_KEY; memadmin never stores it. Give the public key to your auditors.
"""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand

from memadmin.audit import checkpoints


class Command(BaseCommand):
    help = "Prints a new AUDIT_SIGNING_KEY and its public key."

    def handle(self, **options):
        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        public = key.public_key()
        self.stdout.write(f"AUDIT_SIGNING_KEY={base64.b64encode(seed).decode()}")
        self.stdout.write(f"public key (for auditors): {checkpoints.public_key_text(public)}")
        self.stdout.write(f"key id: {checkpoints.key_id(public)}")
