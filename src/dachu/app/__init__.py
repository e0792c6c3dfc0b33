"""The facade (门面): the one door the faces (`dachu.cli`, `dachu.web`) go through.

`Workspace` opens a campaign file and the store beside it; the modules here hold one area's verbs each
(`plan`, `prepare`, `data`, `review`, `live`). A face imports `dachu.app` and nothing below it.
"""

from dachu.app.campaign import EXAMPLES, example_text, read_campaign
from dachu.app.workspace import Workspace

__all__ = ["EXAMPLES", "Workspace", "example_text", "read_campaign"]
