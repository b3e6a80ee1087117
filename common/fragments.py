"""Keys for cached template fragments (`{% cache %}`)."""

import hashlib


def version_of(shown: object) -> str:
    """A digest of exactly what a cached fragment shows, for its key: when anything shown
    changes the key does, so nothing needs invalidating. `shown` holds plain values (ids,
    codes, texts, dates), whose `repr` is stable."""
    return hashlib.sha256(repr(shown).encode()).hexdigest()
