"""The shared stock ledger on Redis ≥ 7: every step one Lua script (EVALSHA), atomic on the server.

Check, change and record happen in one step on the server, whichever process or machine asks.

Keys, all under a prefix (`dachu:stock:` by default; `?prefix=shop-a:` in the URL or `prefix=`) so several
shops can share one server (`P` below; ids and SKUs are used as they are, after the kind):

- `P sku:<sku>` hash — `on_hand`, `allocated`, `shipped`, `reserved`: the units of every order still in
  state held (ended holds included until they become `expire` rows; reads subtract those).
- `P held:<sku>` sorted set — the held orders with a line of the SKU, scored by hold end (whole µs since
  1970 of the naive shop time: exact between the years 1685 and 2255).
- `P order:<id>` hash — `state` (held, allocated, released, expired, shipped), `hold` (µs), `lines`
  (JSON `[[sku, units], …]`, one per SKU in SKU order: what a repeat answers), `rows` (its row numbers).
- `P ledger` stream — one entry per ledger row, id `<n>-0` with n from the counter `P seq` (the append
  order), fields s r h v a o src t (SKU, reason, on hand / reserved / allocated change, order, source,
  time as ISO text). `ledger()` finds a SKU's rows in the list `P rows:sku:<sku>`, an order's in its hash
  and (refused rows, which keep nothing else of the order; and counts and deliveries, order '') in the list
  `P rows:order:<id>`.
- `P held-bare` sorted set — held orders without lines (a reserve of nothing is held, and expires, too).
- `P skus` set — the SKUs counted or received: every SKU the ledger knows (no unit moves without one).

When ended holds become `expire` rows follows `dachu.domain.stock.model` exactly: a step on an order first
expires it if its hold has ended; a reserve, a commit that takes its units again and a count first expire,
wholly and in order id order, the held orders of their SKUs whose hold ended (one range read of each SKU's
`held:` set); `expire(now)` does the same over every SKU. `balances(now)` changes nothing: it subtracts the
holds ended by `now` that are not yet expire rows (a read-only script: it may run on a replica).

`reserve_many` sends many reserves in one pipeline (each still its own atomic script, answered in order).
A connection error is one `InputError` (`stock.redis_unreachable`): nothing is retried silently — a
reserve, commit, release or ship may simply be sent again (idempotent by order id); a receive may not
(check the ledger first). Persistence is the server's: run it with `appendonly yes` for a real sale.
Single server (or primary) only: the scripts build key names, so Redis Cluster is not supported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar, cast
from urllib.parse import unquote_plus

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from dachu.domain.stock.model import Balance, LedgerRow, Line, Outcome, Reason, Short, merge
from dachu.errors import InputError

DEFAULT_PREFIX = "dachu:stock:"
MIN_MAJOR = 7
_CHUNK = 1000  # reserves per pipelined chunk in `reserve_many`

T = TypeVar("T")

# -- the scripts ------------------------------------------------------------------------------------------
# ARGV[1] is always the prefix. Numbers travel as decimal text; times as µs (compared) and ISO text (rows).

_COMMON = r"""
local P = ARGV[1]
local LEDGER, SEQ, SKUS, BARE = P .. 'ledger', P .. 'seq', P .. 'skus', P .. 'held-bare'
local function okey(oid) return P .. 'order:' .. oid end
local function skey(sku) return P .. 'sku:' .. sku end
local function hkey(sku) return P .. 'held:' .. sku end

-- byte order, which is Python's str order for UTF-8 (Lua's < follows the server's locale)
local function before(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- one ledger row; its number n. An order's own rows are listed in its hash (the caller saves n there);
-- refused rows (the order may not exist) and rows of no order (`loose`: counts, deliveries) in a list
local function row(sku, reason, oh, rs, al, oid, src, at, loose)
  local n = redis.call('INCR', SEQ)
  redis.call('XADD', LEDGER, n .. '-0', 's', sku, 'r', reason, 'h', oh, 'v', rs, 'a', al, 'o', oid,
             'src', src, 't', at)
  redis.call('RPUSH', P .. 'rows:sku:' .. sku, n)
  if loose or reason == 'refused' then redis.call('RPUSH', P .. 'rows:order:' .. oid, n) end
  return n
end

-- set the order's fields (name, value, ...) and add the row numbers ns to its `rows`
local function save(oid, ns, ...)
  local k = okey(oid)
  local old = redis.call('HGET', k, 'rows')
  local rows = table.concat(ns, ',')
  if old and old ~= '' then rows = old .. ',' .. rows end
  redis.call('HSET', k, 'rows', rows, ...)
end

-- take a held order's lines out of the holds: reserved falls
local function unhold(oid, lines)
  for _, l in ipairs(lines) do
    redis.call('ZREM', hkey(l[1]), oid)
    redis.call('HINCRBY', skey(l[1]), 'reserved', -l[2])
  end
  if #lines == 0 then redis.call('ZREM', BARE, oid) end
end

-- a held order whose hold has ended becomes `expire` rows, wholly
local function lapse(oid, at)
  local lines = cjson.decode(redis.call('HGET', okey(oid), 'lines'))
  unhold(oid, lines)
  local ns = {}
  for _, l in ipairs(lines) do ns[#ns + 1] = row(l[1], 'expire', 0, -l[2], 0, oid, '', at) end
  save(oid, ns, 'state', 'expired')
end

-- the order's state after expiring it if it is held and its hold ended by now
local function lapsed(oid, state, hold, now, at)
  if state == 'held' and tonumber(hold) <= now then
    lapse(oid, at)
    return 'expired'
  end
  return state
end

-- expire (in order id order) the held orders with a line of `skus` whose hold ended by now (`bare`: and
-- those without lines)
local function lapse_skus(skus, now_s, at, bare)
  local seen, ended = {}, {}
  local sets = {}
  for i, sku in ipairs(skus) do sets[i] = hkey(sku) end
  if bare then sets[#sets + 1] = BARE end
  for _, set in ipairs(sets) do
    for _, oid in ipairs(redis.call('ZRANGEBYSCORE', set, '-inf', now_s)) do
      if not seen[oid] then
        seen[oid] = true
        ended[#ended + 1] = oid
      end
    end
  end
  table.sort(ended, before)
  for _, oid in ipairs(ended) do lapse(oid, at) end
  return #ended
end

-- after lapse_skus: {0, sku, available, ...} for the lines short of units, or nil
local function short_of(skus, qs)
  local short = {0}
  for i, sku in ipairs(skus) do
    local b = redis.call('HMGET', skey(sku), 'on_hand', 'allocated', 'reserved')
    local avail = (tonumber(b[1]) or 0) - (tonumber(b[2]) or 0) - (tonumber(b[3]) or 0)
    if avail < qs[i] then
      short[#short + 1] = sku
      short[#short + 1] = math.max(0, avail)
    end
  end
  if #short > 1 then return short end
  return nil
end

local function refuse(short, oid, src, at)
  for j = 2, #short, 2 do row(short[j], 'refused', 0, 0, 0, oid, src, at) end
  return short
end
"""

# ARGV: prefix, order, hold µs, now µs, now ISO, source, lines JSON, then sku, units, … (merged)
# -> {1} held | {2, ok, lines JSON} repeated | {0, sku, available, …} short
_RESERVE = r"""
local oid, hold_s, now_s, at, src, lines_json = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local now = tonumber(now_s)
local o = redis.call('HMGET', okey(oid), 'state', 'hold', 'lines')
if o[1] then
  local state = lapsed(oid, o[1], o[2], now, at)
  local ok = (state == 'held' or state == 'allocated' or state == 'shipped') and 1 or 0
  return {2, ok, o[3]}
end
local skus, qs = {}, {}
for i = 8, #ARGV, 2 do
  skus[#skus + 1] = ARGV[i]
  qs[#qs + 1] = tonumber(ARGV[i + 1])
end
lapse_skus(skus, now_s, at)
local short = short_of(skus, qs)
if short then return refuse(short, oid, src, at) end
local ns = {}
if #skus == 0 then redis.call('ZADD', BARE, hold_s, oid) end
for i, sku in ipairs(skus) do
  redis.call('ZADD', hkey(sku), hold_s, oid)
  redis.call('HINCRBY', skey(sku), 'reserved', qs[i])
  ns[i] = row(sku, 'reserve', 0, qs[i], 0, oid, src, at)
end
redis.call('HSET', okey(oid), 'state', 'held', 'hold', hold_s, 'lines', lines_json, 'rows', table.concat(ns, ','))
return {1}
"""

# ARGV: prefix, order, now µs, now ISO, source, lines JSON (merged; used for an order never reserved)
# -> {1, lines JSON} allocated | {2, lines JSON} repeated | {3, lines JSON} closed | {0, sku, available, …}
_COMMIT = r"""
local oid, now_s, at, src = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = tonumber(now_s)
local o = redis.call('HMGET', okey(oid), 'state', 'hold', 'lines')
local state = o[1] and lapsed(oid, o[1], o[2], now, at)
if state == 'allocated' or state == 'shipped' then return {2, o[3]} end
if state == 'released' then return {3, o[3]} end
local wanted_json = o[3] or ARGV[6]
local wanted = cjson.decode(wanted_json)
local held = state == 'held'
if held then
  unhold(oid, wanted)
else
  local skus, qs = {}, {}
  for i, l in ipairs(wanted) do
    skus[i] = l[1]
    qs[i] = l[2]
  end
  lapse_skus(skus, now_s, at)
  local short = short_of(skus, qs)
  if short then return refuse(short, oid, src, at) end
end
local ns = {}
for i, l in ipairs(wanted) do
  redis.call('HINCRBY', skey(l[1]), 'allocated', l[2])
  ns[i] = row(l[1], 'commit', 0, held and -l[2] or 0, l[2], oid, src, at)
end
save(oid, ns, 'state', 'allocated', 'hold', '', 'lines', wanted_json)
return {1, wanted_json}
"""

# ARGV: prefix, order, now µs, now ISO, source -> 1 freed | 0 nothing to free
_RELEASE = r"""
local oid, now_s, at, src = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local o = redis.call('HMGET', okey(oid), 'state', 'hold', 'lines')
if not o[1] then return 0 end
local state = lapsed(oid, o[1], o[2], tonumber(now_s), at)
local lines = cjson.decode(o[3])
local ns = {}
if state == 'held' then
  unhold(oid, lines)
  for i, l in ipairs(lines) do ns[i] = row(l[1], 'release', 0, -l[2], 0, oid, src, at) end
elseif state == 'allocated' then
  for i, l in ipairs(lines) do
    redis.call('HINCRBY', skey(l[1]), 'allocated', -l[2])
    ns[i] = row(l[1], 'release', 0, 0, -l[2], oid, src, at)
  end
else
  return 0
end
save(oid, ns, 'state', 'released', 'hold', '')
return 1
"""

# ARGV: prefix, order, now µs, now ISO, source -> 1 shipped | 0 not allocated
_SHIP = r"""
local oid, now_s, at, src = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local o = redis.call('HMGET', okey(oid), 'state', 'hold', 'lines')
if not o[1] then return 0 end
if lapsed(oid, o[1], o[2], tonumber(now_s), at) ~= 'allocated' then return 0 end
local ns = {}
for i, l in ipairs(cjson.decode(o[3])) do
  local k = skey(l[1])
  redis.call('HINCRBY', k, 'allocated', -l[2])
  redis.call('HINCRBY', k, 'on_hand', -l[2])
  redis.call('HINCRBY', k, 'shipped', l[2])
  ns[i] = row(l[1], 'ship', -l[2], 0, -l[2], oid, src, at)
end
save(oid, ns, 'state', 'shipped')
return 1
"""

# ARGV: prefix, sku, on hand, now µs, now ISO, source -> 1 set | 0 refused (below 0 or what is promised)
_COUNT = r"""
local sku, n_s, now_s, at, src = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
lapse_skus({sku}, now_s, at)
local n = tonumber(n_s)
local b = redis.call('HMGET', skey(sku), 'on_hand', 'allocated', 'reserved')
local have = tonumber(b[1]) or 0
if n < 0 or n < (tonumber(b[2]) or 0) + (tonumber(b[3]) or 0) then return 0 end
redis.call('HSET', skey(sku), 'on_hand', n_s)
redis.call('SADD', SKUS, sku)
row(sku, 'count', n - have, 0, 0, '', src, at, true)
return 1
"""

# ARGV: prefix, sku, units (> 0), now ISO, source -> 1
_RECEIVE = r"""
local sku, units, at, src = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
redis.call('HINCRBY', skey(sku), 'on_hand', units)
redis.call('SADD', SKUS, sku)
row(sku, 'receive', units, 0, 0, '', src, at, true)
return 1
"""

# ARGV: prefix, now µs, now ISO -> how many orders expired
_EXPIRE = r"""
return lapse_skus(redis.call('SMEMBERS', SKUS), ARGV[2], ARGV[3], true)
"""

_READ = r"""#!lua flags=no-writes
local P = ARGV[1]
"""

# ARGV: prefix, now µs, '*' (every known SKU) or '', then SKUs -> sku, on hand, reserved, allocated, shipped, …
_BALANCES = _READ + r"""
local now_s = ARGV[2]
local skus = {}
if ARGV[3] == '*' then
  skus = redis.call('SMEMBERS', P .. 'skus')
else
  for i = 4, #ARGV do skus[#skus + 1] = ARGV[i] end
end
local out = {}
for _, sku in ipairs(skus) do
  local b = redis.call('HMGET', P .. 'sku:' .. sku, 'on_hand', 'allocated', 'shipped', 'reserved')
  local reserved = tonumber(b[4]) or 0
  -- held orders whose hold ended by now but are not expire rows yet: not counted
  for _, oid in ipairs(redis.call('ZRANGEBYSCORE', P .. 'held:' .. sku, '-inf', now_s)) do
    for _, l in ipairs(cjson.decode(redis.call('HGET', P .. 'order:' .. oid, 'lines'))) do
      if l[1] == sku then reserved = reserved - l[2] end
    end
  end
  out[#out + 1] = sku
  out[#out + 1] = tonumber(b[1]) or 0
  out[#out + 1] = reserved
  out[#out + 1] = tonumber(b[2]) or 0
  out[#out + 1] = tonumber(b[3]) or 0
end
return out
"""

# ARGV: prefix, sku or '', order or '', filter ('', 's', 'o', 'so'), limit (< 0: all) -> 8 fields a row, …
_LEDGER = _READ + r"""
local sku, oid, by, limit = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local LEDGER = P .. 'ledger'
local out = {}
local function add(fields)
  for j = 2, #fields, 2 do out[#out + 1] = fields[j] end
end
if by == '' then
  local entries
  if limit < 0 then
    entries = redis.call('XRANGE', LEDGER, '-', '+')
  else
    entries = redis.call('XRANGE', LEDGER, '-', '+', 'COUNT', limit)
  end
  for _, e in ipairs(entries) do add(e[2]) end
  return out
end
local ns
if by == 's' then
  local last = limit - 1
  if limit < 0 then last = -1 end
  ns = redis.call('LRANGE', P .. 'rows:sku:' .. sku, 0, last)
else
  -- the order's own rows (in its hash) and its refused rows (a list), in row order
  ns = redis.call('LRANGE', P .. 'rows:order:' .. oid, 0, -1)
  local own = redis.call('HGET', P .. 'order:' .. oid, 'rows')
  if own then
    for n in string.gmatch(own, '%d+') do ns[#ns + 1] = n end
  end
  for i, n in ipairs(ns) do ns[i] = tonumber(n) end
  table.sort(ns)
end
local taken = 0
for _, n in ipairs(ns) do
  if limit >= 0 and taken >= limit then break end
  local e = redis.call('XRANGE', LEDGER, n .. '-0', n .. '-0')[1]
  if by ~= 'so' or e[2][2] == sku then
    add(e[2])
    taken = taken + 1
  end
end
return out
"""

_EPOCH = dt.datetime(1970, 1, 1)
_US = dt.timedelta(microseconds=1)


def _us(at: dt.datetime) -> str:
    """A time as a sorted-set score: whole µs since 1970 of the naive shop time (aware times: their UTC)."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return str((at - _EPOCH) // _US)


_SKU_JSON: dict[str, str] = {}  # SKUs as JSON text (a sale has a few hot SKUs: json.dumps is most of the cost)


def _lines_json(lines: Sequence[Line]) -> str:
    """`[[sku, units], …]` as JSON text."""
    parts = []
    for x in lines:
        text = _SKU_JSON.get(x.sku)
        if text is None:
            text = json.dumps(x.sku, ensure_ascii=False)
            if len(_SKU_JSON) < 100_000:
                _SKU_JSON[x.sku] = text
        parts.append(f"[{text},{int(x.quantity)}]")
    return f"[{','.join(parts)}]"


def _pack(*args: str | int | bytes) -> bytes:
    """One command in the Redis protocol (RESP), for the pipelined reserves."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a.encode() if isinstance(a, str) else a if isinstance(a, bytes) else b"%d" % a
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def _lines(text: str) -> tuple[Line, ...]:
    return tuple(Line(sku, int(q)) for sku, q in (json.loads(text) or ()))


def _short(reply: Sequence[Any]) -> Outcome:
    return Outcome(False, short=tuple(Short(str(reply[i]), int(reply[i + 1])) for i in range(1, len(reply), 2)))


def _without(url: str, name: str) -> tuple[str, list[str]]:
    """The URL without its query arguments called `name`, and their values."""
    base, sep, query = url.partition("?")
    kept, values = [], []
    for piece in query.split("&") if sep else ():
        key, _, value = piece.partition("=")
        if unquote_plus(key) == name:
            values.append(unquote_plus(value))
        elif piece:
            kept.append(piece)
    return (f"{base}?{'&'.join(kept)}" if kept else base), values


def _public_url(url: str) -> str:
    """The URL without its password (in the authority or as a `password=` query argument)."""
    url, _ = _without(url, "password")
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if sep and "@" in authority:
        user, _, host = authority.rpartition("@")
        name = user.split(":", 1)[0]
        authority = f"{name}@{host}" if name else host
    return f"{scheme}{sep}{authority}{slash}{path}"


class Reservation(NamedTuple):
    """One reserve for `RedisStock.reserve_many` (the arguments of `reserve`)."""

    order_id: str
    lines: Sequence[Line]
    hold_until: dt.datetime
    now: dt.datetime
    source: str = ""


class RedisStock:
    """The ledger on a Redis ≥ 7 server (see the module docstring). Thread-safe; open one per process."""

    def __init__(self, url: str, *, prefix: str | None = None, connect_timeout: float = 5.0,
                 max_connections: int = 64, wait: float = 60.0) -> None:
        server_url, given = _without(url, "prefix")
        self.prefix = prefix if prefix is not None else (given[-1] if given else DEFAULT_PREFIX)
        self.url = _public_url(url)
        try:
            # threads beyond `max_connections` wait for a connection (up to `wait`) rather than fail
            pool = redis.BlockingConnectionPool.from_url(
                server_url, max_connections=max_connections, timeout=wait, decode_responses=True,
                socket_connect_timeout=connect_timeout, retry=Retry(NoBackoff(), 0),
            )
            self._client: redis.Redis = redis.Redis(connection_pool=pool)
        except ValueError as e:
            raise InputError("stock.redis_bad_url", url=self.url, detail=str(e)) from None
        self._check_version()
        register = self._client.register_script
        self._reserve = register(_COMMON + _RESERVE)
        self._commit = register(_COMMON + _COMMIT)
        self._release = register(_COMMON + _RELEASE)
        self._ship = register(_COMMON + _SHIP)
        self._count = register(_COMMON + _COUNT)
        self._receive = register(_COMMON + _RECEIVE)
        self._expire = register(_COMMON + _EXPIRE)
        self._balances = register(_BALANCES)
        self._ledger = register(_LEDGER)

    # -- talking to the server ---------------------------------------------------------------------------

    def _call(self, step: Callable[[], T]) -> T:
        """Run `step`, turning what the server or the network says into one clear `InputError`."""
        try:
            return step()
        except redis.AuthenticationError as e:
            raise InputError("stock.redis_auth", url=self.url, detail=str(e)) from None
        except (redis.ConnectionError, redis.TimeoutError) as e:
            raise InputError("stock.redis_unreachable", url=self.url, detail=str(e) or type(e).__name__) from None
        except redis.ResponseError as e:
            raise InputError("stock.redis_refused", url=self.url, detail=str(e)) from None

    def _check_version(self) -> None:
        info = self._call(lambda: self._client.info("server"))
        version = str(info.get("redis_version", "0"))
        try:
            major = int(version.split(".")[0])
        except ValueError:
            major = 0
        if major < MIN_MAJOR:
            self.close()
            raise InputError("stock.redis_too_old", url=self.url, version=version, need=MIN_MAJOR)

    # -- the seam ----------------------------------------------------------------------------------------

    def _reserve_args(self, order_id: str, lines: Sequence[Line], hold_until: dt.datetime, now: dt.datetime,
                      source: str) -> tuple[tuple[Line, ...], list[str | int]]:
        wanted = merge(lines)
        args: list[str | int] = [self.prefix, order_id, _us(hold_until), _us(now), now.isoformat(), source,
                              _lines_json(wanted)]
        for line in wanted:
            args += (line.sku, line.quantity)
        return wanted, args

    @staticmethod
    def _reserved(wanted: tuple[Line, ...], reply: Sequence[Any]) -> Outcome:
        if reply[0] == 1:
            return Outcome(True, wanted)
        if reply[0] == 2:
            return Outcome(bool(reply[1]), _lines(reply[2]), repeated=True)
        return _short(reply)

    def reserve(self, order_id: str, lines: Sequence[Line], *, hold_until: dt.datetime, now: dt.datetime,
                source: str = "") -> Outcome:
        """Hold every line until `hold_until`, or none (see `dachu.domain.stock.model`)."""
        wanted, args = self._reserve_args(order_id, lines, hold_until, now, source)
        return self._reserved(wanted, self._call(lambda: self._reserve(args=args)))

    def reserve_many(self, requests: Sequence[Reservation]) -> list[Outcome]:
        """Each reserve in turn, pipelined on one connection; their outcomes in order.

        Each is its own atomic step, exactly as `reserve` one by one (other clients may step in between).
        Requests go in chunks, the next chunk sent before the last one's answers are read, so the client
        encodes and decodes while the server runs the scripts. Each chunk starts with `SCRIPT LOAD` (a
        no-op when cached), so the EVALSHAs behind it find the script even on a server just restarted.
        """
        if not requests:
            return []
        return self._call(lambda: self._pipelined(requests))

    def _pipelined(self, requests: Sequence[Reservation]) -> list[Outcome]:
        pool = self._client.connection_pool
        conn: Any = pool.get_connection()  # typed as Any: redis-py leaves its send/disconnect untyped
        done = False
        out: list[Outcome] = []
        pending: deque[list[tuple[Line, ...]]] = deque()
        script = self._reserve.script
        load = _pack("SCRIPT", "LOAD", script if isinstance(script, str | bytes) else bytes(script))
        head = (b"$7\r\nEVALSHA\r\n$40\r\n%s\r\n$1\r\n0\r\n" % self._reserve.sha.encode())

        def answers() -> None:
            conn.read_response()  # the SCRIPT LOAD
            for wanted in pending.popleft():
                out.append(self._reserved(wanted, cast(list[Any], conn.read_response())))

        try:
            for start in range(0, len(requests), _CHUNK):
                buf = [load]
                chunk: list[tuple[Line, ...]] = []
                for r in requests[start:start + _CHUNK]:
                    order_id, lines, hold_until, now, *source = r  # a Reservation or a plain tuple
                    wanted, args = self._reserve_args(order_id, lines, hold_until, now, source[0] if source else "")
                    chunk.append(wanted)
                    buf.append(b"*%d\r\n" % (len(args) + 3))
                    buf.append(head)
                    for a in args:
                        b = a.encode() if isinstance(a, str) else b"%d" % a
                        buf.append(b"$%d\r\n%s\r\n" % (len(b), b))
                conn.send_packed_command([b"".join(buf)], check_health=False)
                pending.append(chunk)
                if len(pending) > 1:
                    answers()
            while pending:
                answers()
            done = True
        finally:
            if not done:
                conn.disconnect()  # answers may be left unread: never hand this connection out again
            pool.release(conn)
        return out

    def commit(self, order_id: str, lines: Sequence[Line], *, now: dt.datetime, source: str = "") -> Outcome:
        """Allocate the order's units: its held ones, else taken again if available (see the model)."""
        args: list[str | int] = [self.prefix, order_id, _us(now), now.isoformat(), source, _lines_json(merge(lines))]
        reply = self._call(lambda: self._commit(args=args))
        if reply[0] == 0:
            return _short(reply)
        got = _lines(reply[1])
        if reply[0] == 3:
            return Outcome(False, got)  # a closed order is not paid again
        return Outcome(True, got, repeated=reply[0] == 2)

    def release(self, order_id: str, *, now: dt.datetime, source: str = "") -> bool:
        """Free a held or allocated order's units; False when there is nothing to free."""
        args: list[str | int] = [self.prefix, order_id, _us(now), now.isoformat(), source]
        return bool(self._call(lambda: self._release(args=args)))

    def ship(self, order_id: str, *, now: dt.datetime, source: str = "") -> bool:
        """Ship an allocated order: its units leave on hand and allocated; False when not allocated."""
        args: list[str | int] = [self.prefix, order_id, _us(now), now.isoformat(), source]
        return bool(self._call(lambda: self._ship(args=args)))

    def count(self, sku: str, on_hand: int, *, now: dt.datetime, source: str = "") -> bool:
        """Set on hand from a count; refused below 0 or below what is promised (allocated + unexpired held)."""
        args: list[str | int] = [self.prefix, sku, int(on_hand), _us(now), now.isoformat(), source]
        return bool(self._call(lambda: self._count(args=args)))

    def receive(self, sku: str, units: int, *, now: dt.datetime, source: str = "") -> bool:
        """Add a delivery of `units` (> 0) to on hand."""
        if units <= 0:
            return False
        args: list[str | int] = [self.prefix, sku, int(units), now.isoformat(), source]
        return bool(self._call(lambda: self._receive(args=args)))

    def expire(self, now: dt.datetime) -> int:
        """Expire every held order whose hold ended by `now`; how many (0 when run again)."""
        args: list[str | int] = [self.prefix, _us(now), now.isoformat()]
        return int(self._call(lambda: self._expire(args=args)))

    def balances(self, now: dt.datetime, skus: Sequence[str] | None = None) -> list[Balance]:
        """Each SKU's balance at `now`, holds ended by then not counted, in SKU order (unknown SKUs: zeros)."""
        wanted = [] if skus is None else sorted(set(skus))
        args: list[str | int] = [self.prefix, _us(now), "*" if skus is None else "", *wanted]
        reply = self._call(lambda: self._balances(args=args))
        found = [Balance(str(reply[i]), int(reply[i + 1]), int(reply[i + 2]), int(reply[i + 3]), int(reply[i + 4]))
                 for i in range(0, len(reply), 5)]
        return sorted(found, key=lambda b: b.sku)

    def ledger(self, *, sku: str | None = None, order_id: str | None = None, limit: int = 1000) -> list[LedgerRow]:
        """The ledger's rows, oldest first, for one SKU or order (or both, or all), at most `limit`."""
        if limit == 0:
            return []
        by = ("s" if sku is not None else "") + ("o" if order_id is not None else "")
        args: list[str | int] = [self.prefix, sku or "", order_id or "", by, int(limit)]
        reply = self._call(lambda: self._ledger(args=args))
        return [LedgerRow(reply[i], cast(Reason, reply[i + 1]), int(reply[i + 2]), int(reply[i + 3]),
                          int(reply[i + 4]), reply[i + 5], reply[i + 6], dt.datetime.fromisoformat(reply[i + 7]))
                for i in range(0, len(reply), 8)]

    def close(self) -> None:
        """Let the connections go."""
        self._client.close()
        self._client.connection_pool.disconnect()  # a pool handed to the client is not closed with it
