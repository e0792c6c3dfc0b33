"""Files bundled into reports and pages so they work offline (no CDN).

`echarts.min.js` is Apache ECharts 5.6.0 (Apache-2.0, see ECHARTS-LICENSE), taken unchanged from the npm
package `echarts@5.6.0` (dist/echarts.min.js). The review report inlines it; the war-room page serves it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

ECHARTS_VERSION = "5.6.0"


@cache
def echarts_js() -> str:
    """The minified ECharts library as text, to inline in a self-contained HTML file or serve as a file."""
    return files(__name__).joinpath("echarts.min.js").read_text(encoding="utf-8")
