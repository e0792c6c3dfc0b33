"""Cross-field rules of the campaign file's `notify:` section (通知设置).

Called by `dachu.domain.campaign.checks.check_campaign`; each `Problem` carries its key path in `_path`.
The opt-out text is the `remind:` section's (one for every message to a buyer).
"""

from __future__ import annotations

from dachu.domain.campaign.model import Campaign
from dachu.domain.campaign.notify import LOGISTICS_VARIABLES, WAVE_VARIABLES
from dachu.domain.campaign.remind import Template, variables_of
from dachu.errors import Problem


def _p(key: str, path: tuple[str | int, ...], **params: object) -> Problem:
    return Problem(key, params={"_path": ("notify", *path), **params})


def _template(name: str, template: Template, known: tuple[str, ...], opt_out: str,
              path: tuple[str | int, ...]) -> list[Problem]:
    try:
        used = variables_of(template.text)
    except ValueError:
        return [_p("remind.template_braces", path, name=name)]
    out: list[Problem] = []
    unknown = [v for v in used if v not in known]
    if unknown:
        out.append(_p("remind.unknown_variable", path, name=name, variable=unknown[0], known=", ".join(known)))
    if template.effective_class == "marketing" and opt_out not in template.text and "opt_out" not in used:
        out.append(_p("notify.no_opt_out", path, name=name, opt_out=opt_out))
    return out


def check_notify(c: Campaign) -> list[Problem]:
    """Cross-field problems of the `notify:` section (`_path` in params, as every campaign check).

    Refused: a wave's or a logistics template's text with a bad brace or an unknown variable, a marketing
    text (every wave unless `class: notice`, any mentioning the offer) without the opt-out text or
    `{opt_out}`, two waves of one name.
    """
    s, opt_out = c.notify, c.remind.opt_out_text
    out: list[Problem] = []
    seen: set[str] = set()
    for i, wave in enumerate(s.waves):
        if wave.name in seen:
            out.append(_p("notify.duplicate_wave", ("waves", i, "name"), name=wave.name))
        seen.add(wave.name)
        out.extend(_template(wave.name, wave.template(), WAVE_VARIABLES, opt_out, ("waves", i, "text")))
    for kind, template in s.logistics.templates.items():
        out.extend(_template(kind, template, LOGISTICS_VARIABLES, opt_out, ("logistics", "templates", kind, "text")))
    return out
