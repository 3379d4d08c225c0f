"""A local, stateful emulator of the parts of Twilio's Memory API that memadmin uses.

The core (everything except `embedded` and the management command) is a plain WSGI
application that never imports Django, so it can run in process behind
`httpx.WSGITransport` or standalone behind waitress, and so it encodes the contract
independently of `memadmin.memory_api`: each checks the other.
"""

from memadmin.emulator.app import Emulator

__all__ = ["Emulator"]
