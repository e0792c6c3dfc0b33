"""Cross-field rules of the campaign file's `remind:` section (催付设置), and what they need of the campaign.

Called by `dachu.domain.campaign.checks.check_campaign`; each `Problem` carries its key path in `_path`.
"""

from __future__ import annotations

import re

from dachu.domain.campaign.model import Campaign
from dachu.domain.campaign.remind import VARIABLES, RemindSettings, Window, activity_skus, variables_of
from dachu.errors import Problem


def _p(key: str, path: tuple[str | int, ...], **params: object) -> Problem:
    return Problem(key, params={"_path": ("remind", *path), **params})


def _templates(s: RemindSettings) -> list[Problem]:
    out: list[Problem] = []
    for name, template in s.templates.items():
        path = ("templates", name, "text")
        try:
            used = variables_of(template.text)
        except ValueError:
            out.append(_p("remind.template_braces", path, name=name))
            continue
        unknown = [v for v in used if v not in VARIABLES]
        if unknown:
            out.append(_p("remind.unknown_variable", path, name=name, variable=unknown[0],
                          known=", ".join(VARIABLES)))
        if template.effective_class == "marketing" and s.opt_out_text not in template.text:
            out.append(_p("remind.no_opt_out", path, name=name, opt_out=s.opt_out_text))
    return out


def _items(c: Campaign, s: RemindSettings) -> list[Problem]:
    out: list[Problem] = []
    names = s.all_templates()
    activities = activity_skus(c)
    for i, item in enumerate(s.items):
        if item.sku is None and not item.skus and item.activity is None:
            out.append(_p("remind.item_matches_nothing", ("items", i)))
        if item.sku is not None and c.product(item.sku) is None:
            out.append(_p("remind.unknown_sku", ("items", i, "sku"), sku=item.sku))
        out.extend(_p("remind.unknown_sku", ("items", i, "skus", j), sku=sku)
                   for j, sku in enumerate(item.skus) if c.product(sku) is None)
        if item.activity is not None and item.activity not in activities:
            out.append(_p("remind.unknown_activity", ("items", i, "activity"), activity=item.activity,
                          known=", ".join(activities) or "—"))
        if item.template is not None and item.template not in names:
            out.append(_p("remind.unknown_template", ("items", i, "template"), name=item.template,
                          known=", ".join(names)))
    for key in ("skus", "exclude_skus"):
        out.extend(_p("remind.unknown_sku", (key, j), sku=sku)
                   for j, sku in enumerate(getattr(s, key)) if c.product(sku) is None)
    return out


def check_remind(c: Campaign) -> list[Problem]:
    """Cross-field problems of the `remind:` section (`_path` in params, as every campaign check).

    Refused: a template with a bad brace or an unknown variable, a marketing template (or any mentioning the
    offer) without the opt-out text, an item naming an unknown template, sku or activity (or nothing), a
    signature not in 【】, a window that ends before it starts, a minimum amount above the maximum.
    """
    s = c.remind
    out = [*_templates(s), *_items(c, s)]
    if s.signature is not None and not re.fullmatch(r"【[^【】]+】", s.signature):
        out.append(_p("remind.signature_brackets", ("signature",), signature=s.signature))
    for key in ("marketing_window", "notice_window"):
        window: Window = getattr(s, key)
        if window.end <= window.start:
            out.append(_p("remind.window_order", (key,), window=window.text()))
    if s.min_amount is not None and s.max_amount is not None and s.min_amount > s.max_amount:
        out.append(_p("remind.amount_range", ("min_amount",), low=s.min_amount, high=s.max_amount))
    return out
