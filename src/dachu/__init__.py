"""dachu (大促): plan, run and review an online store's mega-sale.

The public API is what this module exports; `tests/test_public_api.py` pins it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dachu.errors import CampaignFileError, DachuError, IngestError, InputError, PlanError, Problem

if TYPE_CHECKING:
    from dachu.app import Workspace

__version__ = "0.1.0"

__all__ = [
    "CampaignFileError", "DachuError", "IngestError", "InputError", "PlanError", "Problem", "Workspace", "__version__",
]


def __getattr__(name: str) -> object:
    """`dachu.Workspace`, loaded on first use: `import dachu.domain…` stays free of the facade's imports."""
    if name == "Workspace":
        from dachu.app import Workspace

        return Workspace
    raise AttributeError(f"module 'dachu' has no attribute {name!r}")
