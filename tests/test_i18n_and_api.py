"""The catalogue is complete in both languages (the public API is pinned in tests/test_public_api.py)."""

import string

from dachu.i18n import CATALOGUE, pick_lang


def _fields(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (zh, en) in CATALOGUE.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key


def test_language_choice_order():
    assert pick_lang("en", {"DACHU_LANG": "zh"}) == "en"
    assert pick_lang(None, {"DACHU_LANG": "zh_CN"}) == "zh"
    assert pick_lang(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert pick_lang(None, {"LANG": "C.UTF-8"}) == "en"

