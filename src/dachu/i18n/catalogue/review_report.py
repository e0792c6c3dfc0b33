"""The review report's own words (复盘报告): section titles, card labels, units, workbook headers.

The section titles `review.section.<id>` are the sections of `dachu.analytics.review_model.SECTIONS`;
everything else the HTML and XLSX renderers print is prefixed `review_report.`.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # the sections, in SECTIONS order (reminders: review_remind.py)
    "review.section.headline": ("核心指标", "Headline"),
    "review.section.hourly": ("分时走势", "Hour by hour"),
    "review.section.funnel": ("转化漏斗", "Funnel"),
    "review.section.channels": ("推广渠道", "Channels"),
    "review.section.products": ("商品", "Products"),
    "review.section.service": ("客服", "Customer service"),
    "review.section.logistics": ("物流发货", "Logistics"),
    "review.section.after_sale": ("售后", "After sale"),
    "review.section.customers": ("客户", "Customers"),
    "review.section.calibration": ("明年计划校准", "Calibration for next year"),
    # page furniture
    "review_report.title": ("{campaign} 大促复盘", "{campaign}: review"),
    "review_report.event_day": ("活动日 {day}", "Event day {day}"),
    "review_report.contents": ("目录", "Contents"),
    "review_report.source": ("数据来源", "Measured from"),
    "review_report.print_hint": (
        "打印为 PDF：浏览器菜单“打印”→ 目标选“另存为 PDF”，纸张 A4，勾选“背景图形”。",
        "To save as PDF: the browser's Print → destination “Save as PDF”, paper A4, “Background graphics” on.",
    ),
    "review_report.no_personal_data": (
        "本报告只含汇总数据，不含买家姓名、电话、地址等个人信息。由 dachu 生成。",
        "This report holds aggregates only: no buyer names, phones or addresses. Made by dachu.",
    ),
    "review_report.empty_section": ("本节没有可用数据。", "No data for this section."),
    "review_report.definitions": ("指标口径", "Definitions"),
    # headline cards
    "review_report.actual": ("实际", "Actual"),
    "review_report.floor": ("保底", "Floor"),
    "review_report.stretch": ("冲刺", "Stretch"),
    "review_report.previous": ("上次活动", "Previous campaign"),
    "review_report.of_plan": ("达成 {pct}", "{pct} of plan"),
    "review_report.vs_previous": ("较上次 {pct}", "{pct} vs previous"),
    # units of durations (value already formatted)
    "review_report.unit.seconds": ("{v} 秒", "{v} s"),
    "review_report.unit.hours": ("{v} 小时", "{v} h"),
    "review_report.unit.days": ("{v} 天", "{v} d"),
    # calibration
    "review_report.calibrated": (
        "下一次活动的计划文件 calibrated.yaml（用本次实测的转化率、日/时分布、渠道成本等）",
        "The next campaign file, calibrated.yaml (this year's measured conversion, day and hour shape, "
        "channel costs…)",
    ),
    "review_report.no_calibration": (
        "数据不足以生成校准后的计划文件。", "The data cannot support a calibrated campaign file.",
    ),
    # workbook
    "review_report.xlsx.metric": ("指标", "Metric"),
    "review_report.xlsx.of_floor": ("达成保底", "% of floor"),
    "review_report.xlsx.of_stretch": ("达成冲刺", "% of stretch"),
    "review_report.xlsx.vs_previous": ("较上次", "Change vs previous"),
    "review_report.xlsx.chart_data": ("图表数据：{title}", "Chart data: {title}"),
    "review_report.xlsx.notes": ("说明", "Notes"),
    "review_report.xlsx.source_sheet": ("数据来源", "Source"),
    "review_report.xlsx.item": ("项目", "Item"),
    "review_report.xlsx.value": ("数值", "Value"),
    "review_report.xlsx.campaign": ("活动", "Campaign"),
    "review_report.xlsx.event_day": ("活动日", "Event day"),
}
