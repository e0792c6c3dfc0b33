"""Fake buyers (虚构买家): obviously fake names, phones, addresses and accounts, looked up by buyer id.

Nothing here can be mistaken for a real person:
- names start with 测试 (Chinese) or `TEST ` (English), drawn by Faker from a seeded vocabulary;
- Chinese mobile numbers start with 1000 (no operator assigns 100x; real mobiles are 13x–19x);
  US phones are in 555-0100…0199, the range reserved for fiction;
- streets are 测试路 / Test Street; e-mail addresses are at example.com (reserved, RFC 2606);
- buyer accounts are `TEST_tb…`.

A buyer's data depend only on the buyer id and the seed, so the same buyer has the same name in every
order, batch and file, and nothing per buyer is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from faker import Faker

VOCABULARY = 512
"""Names drawn once per simulation; buyers share them by id."""

ZH_PLACES = (
    ("浙江省", "杭州市", "西湖区"),
    ("浙江省", "宁波市", "鄞州区"),
    ("广东省", "广州市", "天河区"),
    ("广东省", "深圳市", "南山区"),
    ("江苏省", "南京市", "鼓楼区"),
    ("江苏省", "苏州市", "姑苏区"),
    ("上海", "上海市", "浦东新区"),
    ("北京", "北京市", "海淀区"),
    ("四川省", "成都市", "武侯区"),
    ("湖北省", "武汉市", "洪山区"),
    ("山东省", "济南市", "历下区"),
    ("福建省", "厦门市", "思明区"),
    ("陕西省", "西安市", "雁塔区"),
    ("河南省", "郑州市", "金水区"),
    ("湖南省", "长沙市", "岳麓区"),
)
"""Province, city, district: public place names (not personal data); the street is always 测试路."""

US_PLACES = (
    ("Springfield", "IL", "Illinois", "62701"),
    ("Portland", "OR", "Oregon", "97201"),
    ("Austin", "TX", "Texas", "73301"),
    ("Madison", "WI", "Wisconsin", "53703"),
    ("Denver", "CO", "Colorado", "80202"),
    ("Columbus", "OH", "Ohio", "43004"),
)

Strs = npt.NDArray[np.object_]


def _gbk_safe(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class People:
    """The fake-name vocabularies of one simulation."""

    zh_names: Strs
    en_names: Strs

    @classmethod
    def make(cls, seed: int) -> People:
        """Vocabularies drawn by Faker with `seed` (names that GBK cannot encode are skipped)."""
        zh = Faker("zh_CN")
        zh.seed_instance(seed)
        en = Faker("en_US")
        en.seed_instance(seed)
        zh_names: list[str] = []
        while len(zh_names) < VOCABULARY:
            name = "测试" + zh.name()
            if _gbk_safe(name):
                zh_names.append(name)
        en_names = ["TEST " + en.name() for _ in range(VOCABULARY)]
        return cls(np.array(zh_names, dtype=object), np.array(en_names, dtype=object))

    def zh_name(self, buyer: npt.NDArray[np.int64]) -> Strs:
        """Receiver names (收货人姓名), 测试…."""
        return self.zh_names[(buyer * 7 + 3) % len(self.zh_names)]

    def en_name(self, buyer: npt.NDArray[np.int64]) -> Strs:
        """Billing/shipping names, TEST …."""
        return self.en_names[(buyer * 7 + 3) % len(self.en_names)]


def account(buyer: npt.NDArray[np.int64]) -> list[str]:
    """Buyer accounts (买家会员名 / 下单帐号)."""
    return [f"TEST_tb{b:08d}" for b in buyer.tolist()]


def alipay(buyer: npt.NDArray[np.int64]) -> list[str]:
    """Alipay accounts / e-mails, all at example.com."""
    return [f"test{b:08d}@example.com" for b in buyer.tolist()]


def zh_mobile(buyer: npt.NDArray[np.int64]) -> list[str]:
    """11-digit mobiles starting 1000 (an unassigned prefix)."""
    return [f"1000{b % 10_000_000:07d}" for b in buyer.tolist()]


def us_phone(buyer: npt.NDArray[np.int64]) -> list[str]:
    """US phones in the fictional 555-0100…0199 range."""
    return [f"+1 202-555-{100 + b % 100:04d}" for b in buyer.tolist()]


def zh_place(buyer: npt.NDArray[np.int64]) -> list[tuple[str, str, str]]:
    """Province, city, district of each buyer."""
    return [ZH_PLACES[(b * 31 + 11) % len(ZH_PLACES)] for b in buyer.tolist()]


def zh_street(buyer: npt.NDArray[np.int64]) -> list[str]:
    """The street part: 测试路 and a house number."""
    return [f"测试路{b % 997 + 1}号" for b in buyer.tolist()]


def zh_address(buyer: npt.NDArray[np.int64]) -> list[str]:
    """The full address as Taobao exports it: province, city, district and street, space-separated."""
    return [
        f"{p} {c} {d} 测试路{b % 997 + 1}号"
        for (p, c, d), b in zip(zh_place(buyer), buyer.tolist(), strict=True)
    ]


def us_place(buyer: npt.NDArray[np.int64]) -> list[tuple[str, str, str, str]]:
    """City, province code, province name, zip of each buyer."""
    return [US_PLACES[(b * 31 + 11) % len(US_PLACES)] for b in buyer.tolist()]


def us_street(buyer: npt.NDArray[np.int64]) -> list[str]:
    """A house number on Test Street."""
    return [f"{b % 997 + 1} Test Street" for b in buyer.tolist()]
