"""Messages of the senders (发送通道): why a message did not go, the file sender's column headers."""

MESSAGES: dict[str, tuple[str, str]] = {
    "senders.timeout": (
        "服务商在时限内没有应答（超时），稍后可重试",
        "The provider did not answer in time (timeout); it may be tried again later",
    ),
    "senders.unreachable": (
        "连不上服务商（网络或地址有误），稍后可重试",
        "The provider could not be reached (network or address); it may be tried again later",
    ),
    "senders.process_died": (
        "发送进程意外退出：已调用的消息将向服务商核对，不会重复发送",
        "The sending process died: messages already called are checked with the provider, never sent twice",
    ),
    "senders.connection_lost": (
        "与服务商的连接中断，没有收到应答",
        "The connection to the provider broke before it answered",
    ),
    "senders.http_error": ("服务商返回 HTTP {status}", "The provider answered HTTP {status}"),
    "senders.bad_response": ("服务商的应答无法识别", "The provider's answer could not be read"),
    "senders.provider_refused": ("服务商拒绝：{code}", "Refused by the provider: {code}"),
    "senders.no_address": (
        "没有收件地址（手机号、邮箱或机器人地址）",
        "No address to send to (phone, e-mail or robot URL)",
    ),
    "senders.no_template": (
        "短信必须使用已报备的模板（template_code 为空）",
        "An SMS must use a registered template (template_code is empty)",
    ),
    "senders.delivery_failed": ("运营商回执：未送达（{code}）", "Carrier report: not delivered ({code})"),
    "senders.file_error": ("写不进催付文件（{detail}）", "The reminder file could not be written ({detail})"),
    "senders.smtp_refused": ("邮件服务器拒收（{code}）", "The mail server refused it ({code})"),
    "senders.smtp_login_refused": (
        "邮件服务器拒绝登录（{code}）：检查用户名和密码环境变量",
        "The mail server refused the login ({code}): check the username and the password's environment variable",
    ),
    "senders.smtp_no_starttls": (
        "邮件服务器不支持 STARTTLS：不会以明文发送，请确认端口或关闭 starttls",
        "The mail server does not offer STARTTLS: nothing is sent in clear; check the port, or turn starttls off",
    ),
    "senders.tls_untrusted": (
        "邮件服务器的证书不受信任（OpenSSL 校验码 {code}）：在 ca_file 中指定签发它的 CA，或修正服务器证书",
        "The mail server's certificate is not trusted (OpenSSL verify code {code}): name the CA that signed it "
        "in ca_file, or fix the server's certificate",
    ),
    "senders.tls_ca_unreadable": (
        "读不出 ca_file（文件不存在或不是 PEM 格式的证书）",
        "ca_file could not be read (missing, or not a PEM certificate file)",
    ),
    "senders.not_configured": (
        "发送通道 {channel} 未配置：缺少环境变量 {variable}",
        "Sender {channel} is not configured: the environment variable {variable} is missing",
    ),
    "senders.not_configured.fix": (
        "在启动 dachu 的环境里设置 {variable}（密钥不写进活动文件）",
        "set {variable} in the environment dachu runs in (secrets never go in the campaign file)",
    ),
    "senders.file.key": ("消息编号", "Message key"),
    "senders.file.orders": ("订单号", "Order IDs"),
    "senders.file.address": ("收件人（脱敏）", "Recipient (masked)"),
    "senders.file.text": ("内容", "Text"),
    "senders.login_in_clear": (
        "senders.email 设置了用户名但 starttls: false：密码会以明文发往 {host}。请改为 starttls: true",
        "senders.email has a username with starttls: false: the password would go to {host} in clear. "
        "Set starttls: true",
    ),
}
