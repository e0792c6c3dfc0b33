"""The browser harness itself: a page with an error is caught, a clean page is not."""

from __future__ import annotations

import pytest

from tests.browser import chromium_page


@pytest.mark.browser
def test_console_errors_are_collected() -> None:
    with chromium_page() as b:
        b.page.set_content("<html><body><p id=x>ok</p><script>console.error('boom')</script></body></html>")
        assert b.page.inner_text("#x") == "ok"
        assert any("boom" in e for e in b.errors)


@pytest.mark.browser
def test_clean_page_has_no_errors() -> None:
    with chromium_page() as b:
        b.page.set_content("<html><body><p>fine</p></body></html>")
        assert b.errors == []
