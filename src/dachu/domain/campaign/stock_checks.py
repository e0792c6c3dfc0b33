"""Cross-field rules of the products' `components` (组合装): known SKUs, no bundle of bundles."""

from __future__ import annotations

from dachu.domain.campaign.model import Campaign
from dachu.errors import Problem


def check_bundles(c: Campaign) -> list[Problem]:
    """Each component of a bundle must be another product of the campaign, itself not a bundle.

    Units ≥ 1 are the model's own rule (`PositiveCount`).
    """
    out: list[Problem] = []
    by_sku = {p.sku: p for p in c.products}
    for i, p in enumerate(c.products):
        for sku in p.components or {}:
            path = ("products", i, "components", sku)
            part = by_sku.get(sku)
            if part is None:
                out.append(Problem("stock.bundle_unknown_sku", params={"_path": path, "sku": p.sku, "part": sku}))
            elif sku == p.sku or part.components:
                out.append(Problem("stock.bundle_of_bundle", params={"_path": path, "sku": p.sku, "part": sku}))
    return out
