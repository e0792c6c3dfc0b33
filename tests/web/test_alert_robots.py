"""The war room's alerts to the team-chat robots: each new alert once to each robot, signed as each signs
(the loopback peer checks DingTalk's and Feishu's signatures and WeCom's key), Chinese then English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dachu.app import example_text
from dachu.app.campaign import read_campaign
from dachu.app.live import alert_robots
from dachu.domain.live.alerts import Alert
from dachu.i18n import t
from dachu.ops.alerts import AlertDispatcher
from tests.peers import chat
from tests.peers.chat import ChatPeer


@pytest.fixture
def peer() -> Iterator[ChatPeer]:
    started = ChatPeer()
    yield started
    started.stop()


def test_new_alerts_go_once_to_every_robot_the_campaign_names(tmp_path: Path, peer: ChatPeer) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(
        example_text("double11", "zh")
        + "\nsenders:\n"
        + "  dingtalk: {url_env: T_DING_URL, secret_env: T_DING_SECRET}\n"
        + "  feishu: {url_env: T_FEISHU_URL, secret_env: T_FEISHU_SECRET}\n"
        + "  wecom: {url_env: T_WECOM_URL}\n",
        encoding="utf-8",
    )
    env = {
        "T_DING_URL": f"{peer.base}/dingtalk/robot/send?access_token={chat.TOKEN}",
        "T_DING_SECRET": chat.SECRET,
        "T_FEISHU_URL": f"{peer.base}/feishu/open-apis/bot/v2/hook/{chat.TOKEN}",
        "T_FEISHU_SECRET": chat.SECRET,
        "T_WECOM_URL": f"{peer.base}/wecom/cgi-bin/webhook/send?key={chat.TOKEN}",
    }
    robots = alert_robots(read_campaign(campaign), env, tmp_path)
    assert sorted(r.channel for r in robots) == ["dingtalk", "feishu", "wecom"]
    box = AlertDispatcher(None, robots=robots)
    behind = Alert("behind_floor", "behind_floor", (("actual", "1,000.00"), ("expected", "2,000.00")))
    box.update([behind])
    box.update([behind])  # still holds: not sent again
    box.close()
    assert box.sent == 3 and box.failed == 0
    texts = list(peer.received)
    assert len(texts) == 3
    params = dict(behind.params)
    zh, en = t("warroom.alert.behind_floor", "zh", **params), t("warroom.alert.behind_floor", "en", **params)
    assert texts == [f"【大促作战室】{zh}\n{en}"] * 3  # the same words on every robot, Chinese then English


def test_a_robot_that_refuses_is_counted_as_failed_never_raised(tmp_path: Path, peer: ChatPeer) -> None:
    from dachu.ops.senders.robots import DingTalkRobot

    wrong = DingTalkRobot(f"{peer.base}/dingtalk/robot/send?access_token=wrong", chat.SECRET, timeout_seconds=3)
    box = AlertDispatcher(None, robots=[wrong])
    box.update([Alert("behind_floor", "behind_floor", (("actual", "1.00"), ("expected", "2.00")))])
    box.close()
    assert (box.sent, box.failed) == (0, 1) and peer.received == []
