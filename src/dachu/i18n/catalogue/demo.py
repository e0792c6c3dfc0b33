"""Strings of `dachu demo` (the whole cycle on the example)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "demo.opt.orders": ("模拟的活动订单数（另加一半去年订单）", "campaign orders to simulate (plus half as many from the year before)"),
    "demo.opt.seed": ("模拟的随机种子（同一种子结果相同）", "simulation seed (the same seed gives the same files)"),
    "demo.step.plan": ("第 1 步：计划", "Step 1: the plan"),
    "demo.step.simulate": ("第 2 步：按计划模拟 {orders:,} 笔订单，写成淘宝/天猫的导出文件", "Step 2: simulate {orders:,} orders from the plan as Taobao/Tmall export files"),
    "demo.step.import": ("第 3 步：把导出文件导入库 {store}", "Step 3: import the export files into the store {store}"),
    "demo.step.summary": ("第 4 步：库里有什么", "Step 4: what the store holds"),
    "demo.step.review": ("第 5 步：复盘（对照保底与冲刺计划）", "Step 5: the review (against the floor and stretch plan)"),
    "demo.headline.actual": ("实际", "actual"),
    "demo.headline.floor": ("保底计划", "floor plan"),
    "demo.headline.stretch": ("冲刺计划", "stretch plan"),
    "demo.headline.previous": ("去年同期", "a year before"),
    "demo.simulating": ("模拟中", "simulating"),
    "demo.importing": ("导入 {file}", "importing {file}"),
    "demo.rows.title": ("库中各表行数", "Rows per table in the store"),
    "demo.rows.table": ("表", "table"),
    "demo.rows.rows": ("行数", "rows"),
    "demo.rejected": ("{count} 行被拒收，查看：dachu import --rejected --store {store}", "{count} rows rejected; see them with: dachu import --rejected --store {store}"),
    "demo.none_rejected": ("没有被拒收的行。", "No rows rejected."),
}
