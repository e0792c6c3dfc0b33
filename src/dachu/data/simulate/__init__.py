"""Simulate a whole campaign (模拟大促) from the campaign file and its plan, streaming to any size.

`build_setup(plan, Options(...))` fixes the frame; `generate(setup)` yields bounded `Batch`es;
`run_simulation` writes them in the platforms' export formats (`dachu.data.exports`).
"""

from dachu.data.simulate.batch import Batch
from dachu.data.simulate.generate import generate
from dachu.data.simulate.setup import Options, Setup, build_setup

__all__ = ["Batch", "Options", "Setup", "build_setup", "generate"]
