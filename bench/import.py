"""Benchmark: import a large Taobao 订单报表 (GBK) into the store, against pandas reading the same file.

    python bench/import.py [--orders 1000000] [--repeat 1] [--memory-sizes 250000,500000] [--keep DIR]

Generates a 45-column GBK export (ids as ="…", phones with ', amounts with 元) and runs each contender in
its own subprocess, so peak memory is the process's own ru_maxrss (tracemalloc misses DuckDB's memory):
- dachu: `dachu.data.importers.import_files` into a fresh store file (transcode, parse, check, quarantine,
  upsert orders and contacts, log), the whole `dachu import`;
- floor: what DuckDB alone needs to land the same text in a table (iconv, then `read_csv` of every column
  as text into a table of the store's kind) — no clean-up, no checks, one table: no import on DuckDB
  beats it, so `floor_speed_ratio_vs_pandas` is the ceiling of `speed_ratio_vs_pandas` on this machine;
- pandas: `pandas.read_csv(path, encoding="gbk")` — only reading, no cleaning or storing.
With `--repeat N` the contenders run alternately N times and the fastest run of each counts (the machine
may be shared). `--memory-sizes` imports smaller exports too, to show peak memory does not follow the file.
Prints JSON lines {"bench", "metric", "value", "unit"}; the headline is the ratio pandas_s / dachu_s;
`*_cpu_seconds` (user + system, all threads and child processes) says how much work each did.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,买家实际支付金额,"
    "买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址,运送方式,联系电话,联系手机,订单创建时间,订单付款时间,"
    "宝贝标题,宝贝种类,物流单号,物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,"
    "发票抬头,是否手机订单,分阶段订单信息,特权订金订单id,是否上传合同照片,是否上传小票,是否代付,定金排名,修改后的sku,"
    "修改后的收货地址,异常信息,天猫卡券抵扣,集分宝抵扣,是否是O2O交易,退款金额"
)
STATUSES = ["交易成功"] * 6 + [
    "等待买家付款",
    "买家已付款，等待卖家发货",
    "卖家已发货，等待买家确认",
    "交易关闭",
]
PLACES = ["浙江省 杭州市 西湖区", "广东省 深圳市 南山区", "北京 北京市 朝阳区", "四川省 成都市 武侯区"]


def generate(path: Path, orders: int, seed: int = 11) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="gbk", newline="") as fh:
        fh.write(HEADER + "\r\n")
        rows = []
        for n in range(orders):
            price = rnd.choice((29, 58, 87, 129, 199))
            status = rnd.choice(STATUSES)
            paid = status != "等待买家付款"
            minute = rnd.randrange(0, 60 * 24)
            created = f"2026-11-11 {minute // 60:02d}:{minute % 60:02d}:{rnd.randrange(60):02d}"
            paid_at = created if paid else ""
            rows.append(
                f'="{2026111100000000000 + n}",测试买家{n % 50000:05d},,{price}.00元,0.00元,0,{price}.00元,0,'
                f"{price if paid else 0}.00元,0,{status},,测试收货人{n % 997:03d},"
                f"{rnd.choice(PLACES)} 测试路{n % 500}号,"
                f'快递,,\'13800000000,{created},{paid_at},野菊蜜 500g,1,,,,{1 + n % 3},="12345",测试店铺,'
                f"{'买家不想买了' if status == '交易关闭' else ''},0,0,,手机订单,,,否,否,否,,,,,0,0,否,0.00"
            )
            if len(rows) == 20_000:
                fh.write("\r\n".join(rows) + "\r\n")
                rows = []
        if rows:
            fh.write("\r\n".join(rows) + "\r\n")


def run_dachu(path: Path) -> dict[str, float]:
    from dachu.data.importers import import_files
    from dachu.data.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.duckdb") as store:
        started = time.perf_counter()
        result = import_files(store, [path])[0]
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": result.rows_read,
        "inserted": result.inserted,
        "rejected": result.rejected,
    }


def run_floor(path: Path) -> dict[str, float]:
    """What DuckDB alone needs to land the file's text in a table: iconv, then `read_csv` into a table.

    No clean-up, no checks, no typed values, no second table: a floor no import on DuckDB can beat.
    """
    import duckdb

    from dachu.data.importers import duckcsv

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        utf8 = Path(tmp) / "utf8.csv"
        assert duckcsv.transcode_iconv(path, "gb18030", utf8)
        con = duckdb.connect(str(Path(tmp) / "floor.duckdb"))
        con.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{utf8}', all_varchar = true, header = true)")
        rows = con.execute("SELECT count(*) FROM orders").fetchone()
        con.close()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": int(rows[0]) if rows else 0}


def run_pandas(path: Path) -> dict[str, float]:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, encoding="gbk")
    return {"seconds": time.perf_counter() - started, "rows": len(frame)}


CONTENDERS = {"dachu": run_dachu, "floor": run_floor, "pandas": run_pandas}


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(name: str, path: Path) -> None:
    before = _cpu()
    out = CONTENDERS[name](path)
    out["cpu_seconds"] = _cpu() - before
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps(out))


def run_child(name: str, path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", name, str(path)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def export(folder: Path, orders: int) -> Path:
    path = folder / f"ExportOrderList_{orders}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate(path, orders)
        emit(f"generate_seconds_{orders}", time.perf_counter() - started, "s")
    return path


def emit(metric: str, value: float, unit: str) -> None:
    print(
        json.dumps({"bench": "import", "metric": metric, "value": round(value, 3), "unit": unit}), flush=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each contender; the fastest counts")
    parser.add_argument(
        "--memory-sizes", default="", help="comma-separated smaller order counts to compare peak memory with"
    )
    parser.add_argument("--keep", type=Path, help="directory to keep the generated export in")
    parser.add_argument("--child", nargs=2, metavar=("CONTENDER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        path = export(folder, args.orders)
        emit("file_size", path.stat().st_size / 2**20, "MiB")
        results: dict[str, dict[str, float]] = {}
        for _ in range(max(1, args.repeat)):
            for name in CONTENDERS:  # alternately, so both meet the same load
                run = run_child(name, path)
                if name not in results or run["seconds"] < results[name]["seconds"]:
                    results[name] = run
        for name, best in results.items():
            emit(f"{name}_seconds", best["seconds"], "s")
            emit(f"{name}_cpu_seconds", best["cpu_seconds"], "s")
            emit(f"{name}_rows_per_second", best["rows"] / best["seconds"], "rows/s")
            emit(f"{name}_peak_rss", best["peak_rss_mib"], "MiB")
        assert results["dachu"]["rows"] == results["pandas"]["rows"] == results["floor"]["rows"] == args.orders
        emit("speed_ratio_vs_pandas", results["pandas"]["seconds"] / results["dachu"]["seconds"], "x")
        emit("floor_speed_ratio_vs_pandas", results["pandas"]["seconds"] / results["floor"]["seconds"], "x")
        emit("dachu_over_floor", results["dachu"]["seconds"] / results["floor"]["seconds"], "x")
        emit("cpu_ratio_vs_pandas", results["pandas"]["cpu_seconds"] / results["dachu"]["cpu_seconds"], "x")
        emit(
            "memory_ratio_vs_pandas",
            results["dachu"]["peak_rss_mib"] / results["pandas"]["peak_rss_mib"],
            "x",
        )
        for orders in sorted(int(n) for n in args.memory_sizes.split(",") if n.strip()):
            small = run_child("dachu", export(folder, orders))
            emit(f"dachu_peak_rss_{orders}", small["peak_rss_mib"], "MiB")
            emit(
                f"dachu_peak_rss_ratio_{args.orders}_vs_{orders}",
                results["dachu"]["peak_rss_mib"] / small["peak_rss_mib"],
                "x",
            )


if __name__ == "__main__":
    main()
