"""Labels and messages of the plan: table titles, column headers, notes."""

MESSAGES: dict[str, tuple[str, str]] = {
    # commands
    "cli.init.help": ("写一个带注释的活动方案示例", "write a commented example campaign file"),
    "cli.init.dir": ("写到哪个目录（默认当前目录）", "directory to write into (default: here)"),
    "cli.init.example": ("示例：double11 或 seed-2013", "example: double11 or seed-2013"),
    "cli.init.next": ("下一步：dachu plan {path}", "next: dachu plan {path}"),
    "cli.plan.help": ("从目标推出预算、流量、渠道、促销核算与每日计划", "from the goal to budget, traffic, channels, promotions and the daily plan"),
    "cli.plan.file": ("活动方案文件（YAML）", "campaign file (YAML)"),
    "cli.plan.xlsx": ("同时写出 Excel 工作簿（含公式）", "also write an Excel workbook (with live formulas)"),
    "cli.demo.help": ("演示：生成示例方案、打印计划、写出 plan.xlsx，按计划模拟订单、导入库、生成复盘报告", "demo: write the example, print the plan, write plan.xlsx, simulate the orders, import them, write the review"),
    "cli.demo.out": ("演示输出目录", "demo output directory"),
    "cli.demo.done": ("演示完成，文件在 {path}", "demo done; files are in {path}"),
    # section titles
    "plan.title": ("活动计划：{name}（{day}）", "Campaign plan: {name} ({day})"),
    "plan.sec.scenarios": ("目标场景：保底与冲刺，种子算法与扣除推广费", "Scenarios: floor and stretch, seed method and net of spend"),
    "plan.sec.products": ("商品目标（{scenario}）", "Product targets ({scenario})"),
    "plan.sec.channels": ("渠道预算与流量（{scenario}）", "Channel budget and traffic ({scenario})"),
    "plan.sec.capacity": ("备货与产能（按冲刺 × {multiplier}）", "Capacity (stretch × {multiplier})"),
    "plan.sec.sensitivity": ("敏感性：预算 / 净利润（行：转化率变动，列：点击单价变动）", "Sensitivity: budget / net profit (rows: conversion change, columns: cost-per-click change)"),
    "plan.sec.daily": ("营销计划表（每日目标）", "Daily plan (营销计划表)"),
    "plan.sec.promotions": ("推广核算", "Promotion unit economics"),
    "plan.sec.stacking": ("优惠叠加：{basket}", "Offer stacking: {basket}"),
    # scenario and method names
    "plan.scenario.floor": ("保底", "floor"),
    "plan.scenario.stretch": ("冲刺", "stretch"),
    "plan.method.seed": ("种子算法", "seed method"),
    "plan.method.net_of_spend": ("扣除推广费", "net of spend"),
    "plan.working.net_of_spend": ("保底与冲刺扣除推广费后都可达成，按扣除推广费执行", "both targets are reachable net of spend: the plan works net of spend"),
    "plan.working.seed_floor": ("保底目标扣除推广费后无法达成，保底与冲刺都按种子算法执行", "the floor is out of reach net of spend: floor and stretch both work by the seed method"),
    "plan.working.seed_stretch": ("冲刺目标扣除推广费后无法达成，保底与冲刺都按种子算法执行", "the stretch is out of reach net of spend: floor and stretch both work by the seed method"),
    "plan.role.traffic": ("引流款", "traffic driver"),
    "plan.role.hero": ("主推款", "hero"),
    "plan.role.profit": ("利润款", "profit"),
    "plan.role.clearance": ("清仓款", "clearance"),
    "plan.phase.preparation": ("前期准备", "preparation"),
    "plan.phase.warm_up": ("预热", "warm-up"),
    "plan.phase.event": ("活动当天", "event day"),
    "plan.phase.follow_up": ("后续", "follow-up"),
    "plan.phase.after": ("之后", "after"),
    # column headers
    "plan.col.scenario": ("场景", "Scenario"),
    "plan.col.method": ("算法", "Method"),
    "plan.col.target": ("目标", "Target"),
    "plan.col.orders": ("订单", "Orders"),
    "plan.col.traffic_needed": ("所需流量", "Traffic needed"),
    "plan.col.baseline": ("现有流量", "Baseline"),
    "plan.col.incremental": ("需增加流量", "Incremental"),
    "plan.col.budget": ("推广预算", "Budget"),
    "plan.col.gmv": ("销售额", "GMV"),
    "plan.col.gross_profit": ("毛利", "Gross profit"),
    "plan.col.net_profit": ("净利润", "Net profit"),
    "plan.col.note": ("说明", "Note"),
    "plan.col.sku": ("商品编码", "SKU"),
    "plan.col.name": ("名称", "Name"),
    "plan.col.role": ("角色", "Role"),
    "plan.col.unit_profit": ("单件利润", "Unit profit"),
    "plan.col.traffic": ("流量", "Traffic"),
    "plan.col.channel": ("渠道", "Channel"),
    "plan.col.kind": ("计费方式", "Kind"),
    "plan.col.committed": ("已定投放", "Booked"),
    "plan.col.units": ("需备货", "Units needed"),
    "plan.col.stock": ("现有库存", "Stock"),
    "plan.col.short": ("缺口", "Short"),
    "plan.col.date": ("日期", "Date"),
    "plan.col.phase": ("阶段", "Phase"),
    "plan.col.visitors": ("访客", "Visitors"),
    "plan.col.conversion": ("转化率", "Conversion"),
    "plan.col.aov": ("客单价", "Order value"),
    "plan.col.promotion": ("推广", "Promotion"),
    "plan.col.net_per_order": ("每单到手", "Net per order"),
    "plan.col.profit_per_order": ("每单盈亏", "Profit per order"),
    "plan.col.planned_orders": ("计划单量", "Planned orders"),
    "plan.col.total_profit": ("合计盈亏", "Total profit"),
    "plan.col.break_even_price": ("保本推广价", "Break-even price"),
    "plan.col.break_even_commission": ("保本佣金", "Break-even commission"),
    "plan.col.cost_per_visitor": ("每访客亏损", "Loss per visitor"),
    "plan.col.offer": ("优惠", "Offer"),
    "plan.col.base": ("门槛基数", "Threshold base"),
    "plan.col.discount": ("优惠金额", "Discount"),
    "plan.col.merchant_part": ("商家承担", "Merchant bears"),
    "plan.col.platform_part": ("平台承担", "Platform bears"),
    "plan.col.conv_change": ("转化率变动", "Conversion change"),
    "plan.col.list_price": ("原价", "List price"),
    "plan.col.coupon": ("优惠券", "Coupon"),
    "plan.col.promo_price": ("推广价", "Promo price"),
    "plan.col.commission": ("佣金", "Commission"),
    "plan.col.service_fee": ("服务费", "Service fee"),
    "plan.col.gift_cost": ("赠品", "Gift"),
    "plan.col.shipping_cost": ("运费", "Shipping"),
    "plan.col.unit_cost": ("成本", "Unit cost"),
    "plan.col.goal_share": ("目标份额", "Goal share"),
    "plan.col.cpc": ("每访客成本", "Cost per visitor"),
    "plan.col.assumption": ("假设", "Assumption"),
    "plan.col.value": ("数值", "Value"),
    # stacking summary
    "plan.stack.promo_total": ("活动价合计 {amount}", "promo total {amount}"),
    "plan.stack.summary": (
        "买家实付 {buyer}；商家承担 {merchant}，平台承担 {platform}；商家收到 {receives}",
        "buyer pays {buyer}; merchant bears {merchant}, platform bears {platform}; merchant receives {receives}",
    ),
    "plan.capacity.summary": (
        "准备 {orders} 单、{parcels} 个包裹（{scenario}）", "prepare for {orders} orders and {parcels} parcels ({scenario})",
    ),
    # notes and explanations
    "plan.compare": (
        "{scenario}：种子算法毛利达到目标，但推广费 {budget} 要从利润里出，净利润只有 {seed_net}；"
        "扣除推广费后需要多 {orders} 单、多 {traffic} 访客、多 {extra_budget} 预算。",
        "{scenario}: the seed method reaches the target as gross profit, but its spend of {budget} comes out of "
        "that profit, leaving {seed_net} net; net of spend needs {orders} more orders, {traffic} more visitors "
        "and {extra_budget} more budget.",
    ),
    "plan.compare_unreachable": (
        "{scenario}：种子算法毛利达到目标，但推广费 {budget} 要从利润里出，净利润只有 {seed_net}；"
        "扣除推广费后目标达不到，能达到的最高净利润 {best}。",
        "{scenario}: the seed method reaches the target as gross profit, but its spend of {budget} comes out of "
        "that profit, leaving {seed_net} net; net of spend the target is out of reach, the best reachable net "
        "profit being {best}.",
    ),
    "plan.traffic_short": (
        "目标达不到：渠道上限只能带来所需 {needed} 访客中的 {reach}（差 {short}），能达到的最高净利润 {best}",
        "the target is out of reach: the channels bring {reach} of the {needed} visitors it needs ({short} short); "
        "the best reachable net profit is {best}",
    ),
    "plan.traffic_short.fix": (
        "提高渠道 cap、增加渠道，或降低目标", "raise channel caps, add channels, or lower the target",
    ),
    "plan.net_same_for_metric": (
        "目标是 {metric}，推广费不减少目标，两种算法相同", "the goal is {metric}; spend does not reduce it, so both methods agree",
    ),
    "plan.net_unreachable_cost": (
        "扣除推广费后目标达不到：再多的访客成本高于其带来的利润，能达到的最高净利润 {best}",
        "net of spend the target is out of reach: further visitors cost more than the profit they bring; "
        "the best reachable net profit is {best}",
    ),
    "plan.net_unreachable_cost.fix": (
        "降低目标、提高利润率，或找更便宜的渠道", "lower the target, raise margins, or find cheaper channels",
    ),
    "plan.net_unreachable_cap": (
        "扣除推广费后目标达不到：渠道上限先用完，能达到的最高净利润 {best}",
        "net of spend the target is out of reach: the channels' caps run out first; the best reachable net "
        "profit is {best}",
    ),
    "plan.net_unreachable_cap.fix": (
        "提高渠道 cap 或增加渠道，或降低目标", "raise channel caps, add channels, or lower the target",
    ),
    "plan.stock_short": (
        "商品 {sku} 需备货 {units}，库存只有 {stock}", "product {sku} needs {units} units but stock is {stock}",
    ),
    "plan.wrote_xlsx": ("已写出工作簿 {path}", "wrote workbook {path}"),
}
