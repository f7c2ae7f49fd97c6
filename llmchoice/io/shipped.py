"""Files shipped beside the code: the rule sets and cost assumptions of ``rules/``."""

from __future__ import annotations

from pathlib import Path


def shipped_file(name: str) -> Path:
    """A file of ``rules/``: inside the installed package (the wheel puts the folder at
    ``llmchoice/_rules``), or in the checkout for an editable install.

    A plain path next to this module rather than ``importlib.resources``: the package is
    always installed as files, and importing ``importlib.resources`` costs every command
    about 3 ms (it imports ``tempfile``).
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_rules" / name
    if packaged.is_file():
        return packaged
    return package.parent / "rules" / name
