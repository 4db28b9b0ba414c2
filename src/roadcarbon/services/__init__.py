"""Use-cases of the platform: take a session and plain arguments, return domain objects or dicts.

No HTTP types, no printing: the API, the CLI and the web dashboard are thin clients
of these functions (documented in ``docs/platform.md``).
"""
