"""The analytics layer has no import circle: no module reaches itself, at module or function level."""

from __future__ import annotations

import grimp


def test_no_module_of_analytics_imports_itself_round_a_circle() -> None:
    graph = grimp.build_graph("dachu")
    modules = sorted(m for m in graph.modules if m.startswith("dachu.analytics"))
    circles = [
        [a, *chain]
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b.startswith("dachu.analytics") and (chain := graph.find_shortest_chain(importer=b, imported=a))
    ]
    assert circles == []
