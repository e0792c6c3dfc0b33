"""Messages shared by every face: lines, generic errors, languages."""

MESSAGES: dict[str, tuple[str, str]] = {
    "common.line": ("第 {line} 行", "line {line}"),
    "common.error": ("错误", "Error"),
    "common.warning": ("注意", "Warning"),
    "common.file_missing": ("找不到文件 {path}", "file not found: {path}"),
    "common.file_missing.fix": ("检查路径，或先运行 `dachu init` 生成活动方案", "check the path, or run `dachu init` to write a campaign file"),
    "common.file_exists": ("文件已存在：{path}", "file already exists: {path}"),
    "common.file_exists.fix": ("换一个目录，或加 --force 覆盖", "choose another directory, or add --force to overwrite"),
    "common.unknown_example": ("没有名为 {name} 的示例", "no example named {name}"),
    "common.unknown_example.fix": ("可选：{choices}", "choose one of: {choices}"),
    "common.wrote": ("已写入 {path}", "wrote {path}"),
    "common.yes": ("是", "yes"),
    "common.no": ("否", "no"),
    "common.total": ("合计", "Total"),
}
