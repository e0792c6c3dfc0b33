"""Benchmark: the whole plan for 500 products × 10 channels (optimiser included).

Prints JSON lines. Baseline in the same process: the seed method alone on the same campaign (one
optimiser call), so the ratio shows what net of spend, both scenarios and the sensitivity grid cost.
Target: the whole plan under 2 s.
"""

from __future__ import annotations

import json
import random
import sys
import time

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.budget import seed_method
from dachu.domain.plan.plan import make_plan


def campaign_text(products: int, channels: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = [
        "campaign: {name: bench, event_day: 2026-11-11}",
        "goal: {metric: profit, floor: 2000000, stretch: 2600000, resource_multiplier: 2}",
        "store: {baseline_daily_uv: 200000, baseline_conversion: 0.03, event_conversion: 0.05}",
        "products:",
    ]
    shares = [rng.randint(1, 100) for _ in range(products)]
    total = sum(shares)
    fen_shares = [s * 10**6 // total for s in shares]
    fen_shares[0] += 10**6 - sum(fen_shares)
    for i, share in enumerate(fen_shares):
        price = rng.randint(30, 300)
        cost = price * rng.randint(20, 45) // 100
        lines.append(f"  - {{sku: P{i:04d}, name: p{i}, role: hero, list_price: {price * 2}, promo_price: {price},"
                     f" unit_cost: {cost}, shipping_cost: 5, goal_share: {share / 10**6:.6f}}}")
    lines.append("channels:")
    for j in range(channels):
        cpc = 0.2 + 0.08 * j
        lines.append(f"  - {{name: c{j}, kind: cpc, cpc: {cpc:.2f}, cap: {400000 + 50000 * j},"
                     f" rising: [{{from_visitors: 150000, factor: 1.3}}, {{from_visitors: 300000, factor: 1.6}}]}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    products = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    channels = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    campaign = parse_campaign(campaign_text(products, channels), "bench.yaml")
    start = time.perf_counter()
    seed_method(campaign, "floor", campaign.goal.floor)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    plan = make_plan(campaign)
    seconds = time.perf_counter() - start
    net = plan.scenario("floor", "net_of_spend")
    for metric, value, unit in (
        ("products", products, "count"),
        ("channels", channels, "count"),
        ("seed_method_seconds", round(baseline, 4), "s"),
        ("whole_plan_seconds", round(seconds, 4), "s"),
        ("whole_plan_over_seed_method", round(seconds / baseline, 2), "ratio"),
        ("whole_plan_over_2s_target", round(seconds / 2, 3), "ratio"),
        ("floor_net_reachable", int(net.reachable), "bool"),
    ):
        print(json.dumps({"bench": "plan", "metric": metric, "value": value, "unit": unit}))


if __name__ == "__main__":
    main()
