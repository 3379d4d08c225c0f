"""The form builder: a draft as plain data (state), what its page shows (context),
its pages (views) and its htmx endpoints (endpoints)."""
