"""The `senders:` section's read-time rule: an SMTP login never goes in clear to another machine."""

from __future__ import annotations

import pytest

from dachu.app import example_text
from dachu.domain.campaign.file import parse_campaign
from dachu.errors import CampaignFileError


def campaign(email: str) -> str:
    return example_text("double11", "zh") + f"\nsenders:\n  email: {email}\n"


def test_a_login_without_starttls_to_another_host_is_refused_naming_the_key() -> None:
    with pytest.raises(CampaignFileError) as refused:
        parse_campaign(campaign("{host: smtp.example.com, from_address: a@example.com, username: u, "
                                "password_env: P, starttls: false}"))
    assert "senders.email.starttls" in refused.value.render("en") and "in clear" in refused.value.render("en")


@pytest.mark.parametrize("email", [
    "{host: smtp.example.com, from_address: a@example.com, username: u, password_env: P}",  # starttls by default
    "{host: 127.0.0.1, from_address: a@example.com, username: u, password_env: P, starttls: false}",  # loopback
    "{host: smtp.example.com, from_address: a@example.com, starttls: false}",  # no login to leak
])
def test_tls_loopback_or_no_login_is_fine(email: str) -> None:
    assert parse_campaign(campaign(email)).senders.email is not None
