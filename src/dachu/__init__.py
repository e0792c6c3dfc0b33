"""dachu (大促): plan, run and review an online store's mega-sale.

The public API is what this module exports; `tests/test_public_api.py` pins it.
"""

from dachu.errors import CampaignFileError, DachuError, Problem

__version__ = "0.1.0"

__all__ = ["CampaignFileError", "DachuError", "Problem", "__version__"]
