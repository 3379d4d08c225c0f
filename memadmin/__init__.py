"""memadmin: a web admin dashboard for Twilio Conversation Memory trait groups."""

__version__ = "0.1.0"
