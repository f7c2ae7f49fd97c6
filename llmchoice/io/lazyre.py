"""Regular expressions compiled when first used.

``re.compile`` runs the pure-Python regex compiler: 0.03-0.3 ms a pattern, paid at
every start for each pattern a module compiles at import. Patterns that a run may never
need (YAML's scalar forms when every file read is plain JSON, number shapes, the
clipping of long quotes in error messages) are made with :func:`lazy` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function returning ``re.compile(pattern, flags)``, compiled on its first call."""
    made: list[re.Pattern[str]] = []

    def compiled() -> re.Pattern[str]:
        if not made:
            made.append(re.compile(pattern, flags))
        return made[0]

    return compiled
