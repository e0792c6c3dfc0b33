"""Messages of the stock guard's Redis backend (库存账本 · Redis): the server cannot be reached, is too old, refused."""

MESSAGES: dict[str, tuple[str, str]] = {
    "stock.redis_unreachable": (
        "连不上库存账本的 Redis（{url}）：{detail}",
        "The stock ledger's Redis cannot be reached ({url}): {detail}",
    ),
    "stock.redis_unreachable.fix": (
        "确认 Redis 在运行、地址和端口无误（redis-cli -u {url} ping）；预占、付款、取消、发货可以原样重试（按订单号幂等），入库请先查看账本再重试",
        "Check that Redis is running at that address and port (redis-cli -u {url} ping); a reserve, commit, release or ship may be sent again as it was (idempotent by order), a receive only after checking the ledger",
    ),
    "stock.redis_too_old": (
        "库存账本的 Redis（{url}）版本是 {version}：需要 Redis {need} 或更高",
        "The stock ledger's Redis ({url}) is version {version}: Redis {need} or newer is needed",
    ),
    "stock.redis_too_old.fix": (
        "升级 Redis 到 {need} 或更高（Debian 12 起：apt-get install redis-server），或改用 SQLite 账本（sqlite:///路径）",
        "Upgrade Redis to {need} or newer (Debian 12 and later: apt-get install redis-server), or use the SQLite ledger (sqlite:///path)",
    ),
    "stock.redis_auth": (
        "库存账本的 Redis（{url}）拒绝登录：{detail}",
        "The stock ledger's Redis ({url}) refused the login: {detail}",
    ),
    "stock.redis_auth.fix": (
        "检查地址里的用户名和密码（redis://用户:密码@主机:端口/库号）",
        "Check the username and password in the address (redis://user:password@host:port/db)",
    ),
    "stock.redis_refused": (
        "库存账本的 Redis（{url}）拒绝了这一步：{detail}",
        "The stock ledger's Redis ({url}) refused the step: {detail}",
    ),
    "stock.redis_refused.fix": (
        "账本需要可写的主节点（不是只读副本、不是集群），并有足够内存（maxmemory）；这一步没有执行，可以重试",
        "The ledger needs a writable primary (not a read-only replica, not a cluster) with memory to spare (maxmemory); the step did not happen and may be tried again",
    ),
    "stock.redis_bad_url": (
        "库存账本的 Redis 地址无法使用（{url}）：{detail}",
        "The stock ledger's Redis address cannot be used ({url}): {detail}",
    ),
    "stock.redis_bad_url.fix": (
        "写成 redis://主机:端口/库号（可加 ?prefix=店铺前缀:），或 unix:///路径/redis.sock",
        "Write it as redis://host:port/db (optionally ?prefix=shop-prefix:), or unix:///path/redis.sock",
    ),
}
