"""Help texts and labels of the command line."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.app.help": (
        "dachu 大促：规划、执行、复盘一场电商大促（双十一、618、黑五）。",
        "dachu: plan, run and review an online store's mega-sale (Double 11, 618, Black Friday).",
    ),
    "cli.opt.lang": ("界面语言：zh 或 en（默认取 DACHU_LANG 或系统语言）", "language: zh or en (default: DACHU_LANG or the locale)"),
    "cli.opt.help": ("显示本帮助并退出", "Show this message and exit."),
    "cli.opt.debug": ("出错时显示完整的调用栈", "show the full traceback on errors"),
    "cli.opt.format": ("输出格式：table 或 json", "output format: table or json"),
    "cli.opt.force": ("覆盖已有文件", "overwrite existing files"),
    "cli.bad_format": ("不支持的格式 {value}", "unknown format {value}"),
    "cli.bad_format.fix": ("可选：{choices}", "choose one of: {choices}"),
}
