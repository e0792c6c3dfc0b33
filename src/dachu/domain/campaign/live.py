"""The campaign file's optional `live:` section: the war room's alert thresholds (作战室预警阈值).

This is the one model of the thresholds: the alert rules (`dachu.domain.live.alerts`) and the snapshot read it
as it is. Every key is optional and a missing key keeps its default below; a campaign without the section
has the defaults (`Campaign.live` is never None). Minutes count shop time on the event day; rates accept
`5%` or `0.05`.

    live:
      behind_tolerance: 5%       # alert when paid GMV is more than 5% below the floor pace ...
      behind_after_minutes: 30   # ... once the first 30 minutes of the day have passed
      sellout_minutes: 30        # a product whose stock lasts under 30 minutes at the recent rate
      window_minutes: 15         # "recent": the last 15 minutes (selling rate, unpaid orders, CS waits)
      unpaid_share: 35%          # more than 35% of the recent orders still unpaid ...
      unpaid_grace_minutes: 5    # ... not counting the last 5 minutes (buyers are still paying)
      unpaid_min_orders: 20      # ... and at least 20 such orders
      cs_seconds: 45             # mean first response of customer service above 45 s ...
      cs_min_sessions: 5         # ... over at least 5 sessions
      spend_tolerance: 10%       # a channel's spend more than 10% ahead of its budget's pace
      low_stock_share: 10%       # stock guard: available below 10% of the product's campaign stock
      hold_minutes: 30           # an unpaid platform order holds its stock this long (then it is free again)
      listing_late_minutes: 5    # a channel's "set listed quantity" still pending after this: out of step
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from dachu.domain.types import Factor, Model, PositiveCount, Rate

Minutes = Annotated[int, Field(ge=0, le=1440)]
"""Minutes of the event day, 0–1440."""
WindowMinutes = Annotated[int, Field(ge=1, le=1440)]


class LiveSettings(Model):
    """Alert thresholds of the war room; the defaults are the documented rules (docs/domain.md §7–8)."""

    behind_tolerance: Rate = Decimal("0.05")
    behind_after_minutes: Minutes = 30
    sellout_minutes: WindowMinutes = 30
    window_minutes: WindowMinutes = 15
    unpaid_share: Rate = Decimal("0.35")
    unpaid_grace_minutes: Minutes = 5
    unpaid_min_orders: PositiveCount = 20
    cs_seconds: Factor = Decimal(45)
    cs_min_sessions: PositiveCount = 5
    spend_tolerance: Rate = Decimal("0.10")
    low_stock_share: Rate = Decimal("0.10")
    hold_minutes: WindowMinutes = 30
    listing_late_minutes: WindowMinutes = 5


DEFAULT_SETTINGS = LiveSettings()
"""The thresholds of a campaign without a `live:` section."""
