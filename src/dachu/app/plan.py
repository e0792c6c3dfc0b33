"""The plan at the door: what the faces render of a plan, and the types they name.

The plan itself is `Workspace.plan()` (made once per workspace, from the campaign file read by
`read_campaign`); this module hands the faces the plan's types and its money formatting, so no face
reaches into `dachu.domain`.
"""

from __future__ import annotations

from dachu.domain.money import fen
from dachu.domain.plan.budget import Scenario
from dachu.domain.plan.plan import ChannelTarget, Plan, Working

__all__ = ["ChannelTarget", "Plan", "Scenario", "Working", "fen"]
