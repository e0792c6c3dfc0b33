"""Customer-service staffing and rota (`dachu staff`): messages, labels and help texts."""

MESSAGES: dict[str, tuple[str, str]] = {
    # campaign-file checks of the service: section
    "staff.shrinkage_whole": ("损耗率 {value} 必须小于 1", "shrinkage {value} must be below 1"),
    "staff.shrinkage_whole.fix": (
        "写成 0.3 表示 30% 的时间不在接待",
        "write 0.3 for 30% of paid time off chats",
    ),
    "staff.target_whole": ("服务目标 {value} 必须小于 100%", "service target {value} must be below 100%"),
    "staff.target_whole.fix": (
        "常用 0.8：80% 的首次回复在目标秒数内",
        "0.8 is usual: 80% of first replies within the target",
    ),
    "staff.no_agents": ("客服团队人数为 0", "the service team has no agents"),
    "staff.no_agents.fix": (
        "在 service.agents 写 presale / aftersale 人数",
        "give presale / aftersale counts under service.agents",
    ),
    "staff.unknown_agent": ("没有客服 {agent}", "there is no agent {agent}"),
    "staff.unknown_agent.fix": (
        "客服编号按团队生成：售前 P01…、售后 S01…、临时 T01…（例如 {example}）",
        "agent ids come from the team: pre-sale P01…, after-sale S01…, temporary T01… (e.g. {example})",
    ),
    "staff.no_service": (
        "活动方案 {source} 没有 service: 客服设置",
        "campaign file {source} has no service: section",
    ),
    "staff.no_service.fix": (
        "加上 service: {{inquiry_rate: 0.05, handle_seconds: 180, agents: {{presale: 20, aftersale: 15}}}}",
        "add service: {{inquiry_rate: 0.05, handle_seconds: 180, agents: {{presale: 20, aftersale: 15}}}}",
    ),
    "staff.bad_month": ("月份 {value} 格式不对", "month {value} is not valid"),
    "staff.bad_month.fix": ("写成 2026-11", "write it as 2026-11"),
    "staff.contract_days_range": (
        "合同天数 {value} 不在 1 到 {top} 之间（{month} 共 {days} 天，减去每月休息 {days_off} 天）",
        "contract days {value} are not between 1 and {top} ({month} has {days} days, less {days_off} days off)",
    ),
    "staff.contract_days_range.fix": (
        "写临时客服当月按合同上班的天数，如 contract_days: 12，或按人写 {{default: 12, T03: 8}}",
        "give the days a temporary agent works in the month, e.g. contract_days: 12, or per agent "
        "{{default: 12, T03: 8}}",
    ),
    "staff.contract_not_temporary": (
        "{agent} 不是临时客服，合同天数只给临时客服",
        "{agent} is not a temporary agent: contract days are for temporary agents only",
    ),
    "staff.contract_not_temporary.fix": (
        "键写 default 或临时客服编号（如 {example}）；正式客服按 days_off 休息",
        "use default or a temporary agent's id (e.g. {example}) as the key; the regular team rests by days_off",
    ),
    "staff.contract_no_temporary": (
        "写了合同天数，但团队没有临时客服",
        "contract days are given but the team has no temporary agents",
    ),
    "staff.contract_no_temporary.fix": (
        "在 service.agents 写 temporary 人数，或删去 contract_days",
        "give a temporary count under service.agents, or remove contract_days",
    ),
    # the staffing table
    "staff.title": (
        "活动当天客服人数（{date}，访客 {visitors}）",
        "Event-day customer service ({date}, {visitors} visitors)",
    ),
    "staff.col.hour": ("时段", "Hour"),
    "staff.col.visitors": ("访客", "Visitors"),
    "staff.col.inquiries": ("咨询量", "Inquiries"),
    "staff.col.erlangs": ("话务量(Erl)", "Erlangs"),
    "staff.col.servers": ("并发席位", "Servers"),
    "staff.col.agents": ("接待客服", "Agents"),
    "staff.col.scheduled": ("含损耗排班", "Scheduled"),
    "staff.col.service_level": ("达标率", "Service level"),
    "staff.col.asa": ("平均等待(秒)", "Avg wait (s)"),
    "staff.col.online": ("在线时段", "Online"),
    "staff.offline": ("自动回复", "auto-reply"),
    "staff.assumptions": (
        "咨询率 {rate}，接待时长 {handle} 秒，每人同时 {chats} 个会话，"
        "目标 {share} 首次回复在 {seconds} 秒内，损耗 {shrinkage}",
        "inquiry rate {rate}, handle time {handle} s, {chats} chats at once, target {share} of first replies "
        "within {seconds} s, shrinkage {shrinkage}",
    ),
    "staff.arrangement": (
        "当天安排：{presale} 名售前转售后（售前用自动回复和自助服务），当天售后共 {on_day} 人；"
        "白班高峰需 {day} 人、晚班高峰需 {night} 人，共需 {headcount} 人",
        "On the day: {presale} pre-sale agents move to after-sale (pre-sale on auto-reply and self-service), "
        "{on_day} agents on after-sale; the day shift peak needs {day}, the night shift peak {night}: "
        "{headcount} agents in all",
    ),
    "staff.hire": (
        "需招临时客服 {count} 人（现有团队 {team} 人）",
        "hire {count} temporary agents (current team {team})",
    ),
    "staff.no_hire": ("现有团队 {team} 人够用", "the current team of {team} is enough"),
    "staff.offline_note": (
        "0–9 点不在在线时段（自动回复），最忙时需 {peak} 人：如要人工接待请另排零点班",
        "hours 0–9 are outside online service (auto-reply); the busiest would need {peak} agents: add a "
        "midnight shift to answer them in person",
    ),
    "staff.midnight_offer": (
        "零点最忙：排零点班 00:00–02:00，需 {peak} 人（零点班的人当天可上半天班或晚班，不上白班）；"
        "连零点班一起排满共需 {headcount} 人，另需招 {hire} 人，排不上的时段由自动回复接待",
        "midnight is the busiest hour: a midnight shift 00:00–02:00 needs {peak} agents (who may work the "
        "half-day or the night shift that day, not the day shift); covering it too takes {headcount} agents, "
        "{hire} more to hire; what the team cannot cover stays on auto-reply",
    ),
    "staff.unstable": (
        "{hours} 点：全队 {team} 人也少于话务量，队列会无限增长（不稳定）",
        "hours {hours}: even the whole team of {team} is fewer than the traffic in Erlangs — the queue grows "
        "without bound (unstable)",
    ),
    # rota
    "staff.rota.title": ("{month} 客服排班表", "Customer-service rota {month}"),
    "staff.rota.col.agent": ("客服", "Agent"),
    "staff.rota.col.hours": ("工时", "Hours"),
    "staff.rota.col.off": ("休息天数", "Days off"),
    "staff.rota.shift.day": ("白", "D"),
    "staff.rota.shift.half": ("半", "H"),
    "staff.rota.shift.night": ("晚", "N"),
    "staff.rota.shift.midnight": ("零", "M"),
    "staff.rota.shift.midnight_half": ("零半", "MH"),
    "staff.rota.shift.midnight_night": ("零晚", "MN"),
    "staff.rota.shift.off": ("休", "-"),
    "staff.rota.legend": (
        "白 = 白班 09:00–17:30，半 = 半天班 10:00–15:30，晚 = 晚班 17:00–23:30，休 = 休息",
        "D = day 09:00–17:30, H = half-day 10:00–15:30, N = night 17:00–23:30, - = off",
    ),
    "staff.rota.legend_midnight": (
        "零 = 零点班 00:00–02:00，零半 = 零点班 + 半天班，零晚 = 零点班 + 晚班（仅在零点最忙的日子）",
        "M = midnight 00:00–02:00, MH = midnight + half-day, MN = midnight + night (only on days whose busiest "
        "hour is midnight)",
    ),
    "staff.rota.midnight_short": (
        "零点班：{days} 共有 {short} 个半小时·人次排不上人，这些仍由自动回复接待；多招 {hire} 名客服可补齐",
        "midnight shift: {short} agent-half-hours on {days} stay on auto-reply (the team cannot cover them); "
        "{hire} more agents would cover them",
    ),
    "staff.rota.midnight_covered": (
        "零点班：{days} 00:00–02:00 已排满",
        "midnight shift: 00:00–02:00 on {days} is fully staffed",
    ),
    "staff.rota.summary": (
        "状态：{status}；工时最多与最少相差 {spread} 小时；求解 {seconds} 秒",
        "status: {status}; monthly hours differ by {spread} h at most; solved in {seconds} s",
    ),
    "staff.rota.status.optimal": ("最优", "optimal"),
    "staff.rota.status.feasible": ("可行（未证明最优）", "feasible (not proven optimal)"),
    "staff.rota.status.infeasible": ("无解", "no rota"),
    "staff.rota.status.unknown": ("时限内未找到", "none found in the time limit"),
    "staff.rota.coverage.title": ("每小时在岗人数 / 需求", "Agents on duty / needed per hour"),
    "staff.rota.col.date": ("日期", "Date"),
    "staff.rota.infeasible": ("{month} 排不出满足全部规则的班表", "no rota for {month} satisfies every rule"),
    "staff.rota.infeasible.fix": ("见下方冲突的规则", "see the colliding rules below"),
    "staff.rota.unknown": ("{month} 在时限内没找到班表", "no rota for {month} found within the time limit"),
    "staff.rota.unknown.fix": ("加大 --seconds 再试", "try again with a larger --seconds"),
    "staff.conflict.event_leave": (
        "客服 {agents} 在 {date} 请假，与“活动当天全员上班”冲突",
        "leave requests of agents {agents} on {date} collide with 'everyone works on the event day'",
    ),
    "staff.conflict.headcount": (
        "{date}：覆盖需求同时需要 {need} 人（白班 {day} + 晚班 {night}，{hour} 点最多需 {peak} 人），"
        "但 {team} 人中只有 {available} 人能上班（{on_leave} 人请假）",
        "{date}: coverage needs {need} agents ({day} by day + {night} at night; {peak} at {hour}h) but only "
        "{available} of {team} agents can work ({on_leave} on leave)",
    ),
    "staff.conflict.agent_days": (
        "本月覆盖需求至少 {need} 人天，{team} 人每人休 {days_off} 天后只有 {available} 人天",
        "the month's coverage needs at least {need} agent-days, but {team} agents with {days_off} days off "
        "each give only {available}",
    ),
    "staff.conflict.rules": (
        "这些规则不能同时满足：{rules}",
        "these rules cannot all hold together: {rules}",
    ),
    "staff.rule.coverage": ("{detail} 的每小时覆盖需求", "hourly coverage need on {detail}"),
    "staff.rule.night_day": ("晚班次日不上白班", "no day shift after a night shift"),
    "staff.rule.free_stretch": ("每人连休两天", "each agent's two whole days off in a row"),
    "staff.rule.days_off": ("每月休 {detail} 天", "{detail} days off a month"),
    "staff.rule.event_day": ("活动当天全员上班", "everyone works on the event day"),
    "staff.rule.leave": ("{detail} 的请假", "leave requests of {detail}"),
    # help texts
    "staff.help": (
        "客服人数：按小时用 Erlang C 算需要多少客服",
        "customer-service staffing per hour by Erlang C",
    ),
    "staff.help.file": ("活动方案文件（YAML）", "the campaign file (YAML)"),
    "staff.rota.help": (
        "一个月的客服排班表（OR-Tools CP-SAT）",
        "a month's customer-service rota (OR-Tools CP-SAT)",
    ),
    "staff.rota.help.month": (
        "月份，如 2026-11（默认活动当月）",
        "month such as 2026-11 (default: the event's month)",
    ),
    "staff.rota.help.xlsx": ("另存为 Excel 文件", "also write the rota to this Excel file"),
    "staff.rota.help.seconds": ("求解时限（秒）", "solver time limit in seconds"),
    "staff.rota.help.night_before": (
        "上月最后一天上晚班的客服编号（可重复），本月 1 日不排白班",
        "an agent who worked the night shift on the previous month's last day (repeatable): no day shift "
        "on day 1",
    ),
    "staff.rota.help.previous": (
        "上月排班表 JSON（dachu staff rota --format json 的输出），从中读出最后一天的晚班",
        "the previous month's rota JSON (from dachu staff rota --format json): its last day's night shift "
        "counts",
    ),
    "staff.previous_bad": ("上月排班文件 {path} 读不懂", "cannot read the previous rota {path}"),
    "staff.previous_bad.fix": (
        "用 dachu staff rota 上月方案 --format json > 文件 生成它",
        "write it with dachu staff rota LAST_MONTH_FILE --format json > FILE",
    ),
    "staff.previous_wrong_month": (
        "上月排班文件 {path} 的最后一天是 {last}，不是 {want}",
        "the previous rota {path} ends on {last}, not on {want}",
    ),
    "staff.previous_wrong_month.fix": (
        "换成紧接在本月之前那个月的排班表",
        "give the rota of the month just before this one",
    ),
    "staff.rota.sheet.rota": ("排班表", "Rota"),
    "staff.rota.sheet.coverage": ("覆盖", "Coverage"),
}
