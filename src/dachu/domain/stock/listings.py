"""Channel listings (渠道库存): one real stock, a listed quantity per sales channel. Pure.

A SKU's available units (可售) are shared by every channel that sells it (Tmall, JD, Douyin, the own shop).
Each channel lists a part: `listings(available, shares, ratio)` lists `available × ratio` (the 90–95% rule,
`warehouse.stock.listed_ratio`: the rest is the reserve against counting errors) split by the channels'
shares, each rounded down and the units left over given by the largest remainder — so the listed
quantities never add up to more than is available, whatever the shares.

When available falls, a channel may list more than its part: `to_lower(current, target)` names those
channels and the quantity each must be set to (the "set listed quantity" actions the war room sends
through the outbox). A channel listing less is left alone until a count or a delivery raises the stock:
lowering is urgent (an oversell), raising is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

from dachu.domain.automation.actions import Channel, SendMessage
from dachu.domain.campaign.warehouse import StockSettings

LISTING_RULE = "stock.rule.listing"


def listings(available: int, shares: Mapping[str, Decimal], ratio: Decimal = Decimal(1)) -> dict[str, int]:
    """Units each channel lists: `available` × `ratio` split by `shares`, never more than `available` in all.

    Shares need not add up to 1 (they are normalised); a channel with share 0 lists 0; no channels, or no
    positive share, list nothing. `ratio` is clamped to 0–1.
    """
    total_share = sum((s for s in shares.values() if s > 0), Decimal(0))
    if available <= 0 or total_share <= 0:
        return {name: 0 for name in shares}
    ratio = min(Decimal(1), max(Decimal(0), ratio))
    to_list = int((Decimal(available) * ratio).to_integral_value(rounding=ROUND_FLOOR))
    exact = {name: Decimal(to_list) * max(s, Decimal(0)) / total_share for name, s in shares.items()}
    out = {name: int(v.to_integral_value(rounding=ROUND_FLOOR)) for name, v in exact.items()}
    left = to_list - sum(out.values())
    # largest remainder first; ties by name, so the split is the same every time
    for name in sorted(exact, key=lambda n: (-(exact[n] - out[n]), n))[:left]:
        if exact[name] > 0:
            out[name] += 1
    return out


def to_lower(current: Mapping[str, int], target: Mapping[str, int]) -> dict[str, int]:
    """The channels listing more than their target, each with the quantity to set (its target)."""
    return {name: target.get(name, 0) for name, units in sorted(current.items()) if units > target.get(name, 0)}


def listing_actions(
    settings: StockSettings,
    available: Mapping[str, int],
    listed: Mapping[tuple[str, str], int],
    sent: Mapping[tuple[str, str], int],
    now: dt.datetime,
) -> list[SendMessage]:
    """The "set listed quantity" actions due at `now` (kind `listing`, recipient the channel's name).

    `available`: each SKU's available units (the ledger's); `listed`: what each (channel, SKU) lists now —
    the last action planned for it, not failed; `sent`: how many actions each (channel, SKU) has had, which
    numbers the next one's key (`listing:<channel>:<sku>:<n>`: planning again before it is written is
    harmless, and a failed one is followed by a new one). A (channel, SKU) with no listing yet gets its
    part (the first sync); after that only a channel listing more than its part is set lower
    (`to_lower`). Nothing when the settings name no channels.
    """
    if not settings.channels:
        return []
    channel: Channel = "webhook" if settings.listing_sender == "webhook" else "listing_file"
    out: list[SendMessage] = []
    for sku in sorted(available):
        target = listings(available[sku], settings.channels, settings.listed_ratio)
        current = {name: listed[(name, sku)] for name in target if (name, sku) in listed}
        due = {name: target[name] for name in target if name not in current}
        due.update(to_lower(current, target))
        for name, quantity in sorted(due.items()):
            n = sent.get((name, sku), 0) + 1
            out.append(SendMessage(
                key=f"listing:{name}:{sku}:{n}", kind="listing", recipient=name, channel=channel,
                template="set_listed", variables=(("channel", name), ("sku", sku), ("quantity", str(quantity))),
                not_before=now, expires_at=None, message_class="notice", reason=LISTING_RULE,
            ))
    return out
