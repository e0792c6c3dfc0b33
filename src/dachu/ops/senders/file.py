"""The file sender (催付文件): one CSV row per message, for 千牛's batch 催付 or any 催付 tool.

Columns: message key, order ids (`Outgoing.order_ids`, comma-separated), the masked address (138****1234,
a***@x.com) and the text. UTF-8 with a BOM so Excel opens it; a header row when the file is new. A batch is
written with one `write`, flushed and fsync'd before its outcomes are returned, so `sent` means on disk.

Reconcilable: `reconcile` reads the file back and answers `sent` for keys that are in a complete row,
`unknown` for the others. A row torn by a crash (the last record without its line end, or with an open
quote) is never counted: reconcile ignores it and the next write truncates it away before appending, so a
message is in the file at most once.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from dachu.i18n import Lang, t
from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import failed, mask_address

BOM = "\ufeff".encode()
COLUMNS = ("senders.file.key", "senders.file.orders", "senders.file.address", "senders.file.text")


def complete_length(data: bytes) -> int:
    """The length of the leading part of `data` made of complete CSV records (ending in a newline outside quotes)."""
    in_quotes = False
    end = 0
    for index, byte in enumerate(data):
        if byte == 0x22:  # '"' toggles; an escaped "" toggles twice
            in_quotes = not in_quotes
        elif byte == 0x0A and not in_quotes:
            end = index + 1
    return end


class FileSender:
    """Appends to `path` (created with its folder); `lang` chooses the header's language."""

    channel = "file"
    reconcilable = True
    needs_address = False

    def __init__(self, path: Path, *, lang: Lang = "zh") -> None:
        self.path = path
        self.lang = lang

    def _repair(self) -> bool:
        """Cut a torn last record; True when the file has content (so no header is needed)."""
        if not self.path.exists():
            return False
        data = self.path.read_bytes()
        keep = complete_length(data)
        if keep != len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(keep)
                handle.flush()
                os.fsync(handle.fileno())
        return keep > len(BOM)

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """Write one row per message; all `sent`, or all `failed` retryable when the disk refuses."""
        if not batch:
            return []
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            has_rows = self._repair()
            if not has_rows:
                writer.writerow([t(column, self.lang) for column in COLUMNS])
            for message in batch:
                orders = ",".join(message.order_ids) or message.params.get("order_ids", "")
                writer.writerow([message.key, orders, mask_address(message.address), message.text])
            payload = buffer.getvalue().encode("utf-8")
            with self.path.open("ab") as handle:
                if handle.tell() == 0:
                    payload = BOM + payload
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            return [
                failed(m.key, f"senders.file_error {exc.strerror or type(exc).__name__}", retryable=True) for m in batch
            ]
        return [Outcome(key=m.key, status="sent") for m in batch]

    def keys(self) -> set[str]:
        """The message keys in complete rows of the file."""
        if not self.path.exists():
            return set()
        data = self.path.read_bytes()
        text = data[: complete_length(data)].decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        return {row[0] for row in rows[1:] if row}

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """`sent` for keys written in full, `unknown` for the rest."""
        present = self.keys()
        return [Outcome(key=m.key, status="sent" if m.key in present else "unknown") for m in batch]

    def close(self) -> None:
        """Nothing stays open between batches."""
