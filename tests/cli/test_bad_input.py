"""A new user's first day: every bad input and every output that cannot be written is one red line in zh and
in en naming the path and the fix, exit 1, never a traceback (issue #16, "Inputs and outputs").

The bad inputs are real: a campaign file saved as GBK (Notepad's "ANSI"), a binary file, a directory; the bad
outputs are a read-only folder, a folder where the file should go, a file where a folder should go, and a full
disk (/dev/full). `dachu … | head` still writes the files it was asked for.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dachu.app import example_text
from dachu.cli.main import app

HAN = re.compile(r"[\u4e00-\u9fff]")
LANGS = ("zh", "en")
MAIN = ("-c", "from dachu.cli.main import main; main()")


def run(*args: str, lang: str):
    return CliRunner().invoke(app, ["--lang", lang, *args])


def assert_one_clear_line(result, lang: str, names: str) -> str:
    """Exit 1, no traceback, one error line in `lang` that names `names`; returns that line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a Python exception would be a traceback
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith(("错误", "Error"))]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert names in line, line
    assert " — " in line, line  # the fix follows the message
    if lang == "zh":
        assert line.startswith("错误") and HAN.search(line)
        assert not re.search(r"\b(?:permission|denied|directory|No such|Errno)\b", line.replace(names, ""), re.I), line
    else:
        assert line.startswith("Error") and not HAN.search(line.replace(names, "")), line
    return line


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A campaign with a store to review (a small demo), shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("ws")
    result = run("demo", "--orders", "300", "--out", str(out), lang="en")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def campaign(tmp_path) -> Path:
    path = tmp_path / "campaign.yaml"
    path.write_text(example_text("double11", "zh"), encoding="utf-8")
    return path


@pytest.fixture
def read_only(tmp_path) -> Path:
    """A folder nobody may write in: chmod 555; as root (which chmod does not stop) the kernel's /sys."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    probe = folder / f"probe-{uuid.uuid4().hex}"
    try:
        probe.write_text("x")
    except PermissionError:
        yield folder
    else:
        probe.unlink()
        sysfs = Path("/sys")
        try:
            (sysfs / probe.name).write_text("x")
        except OSError:
            yield sysfs
        else:  # pragma: no cover - a machine where even /sys is writable
            pytest.skip("no read-only folder on this machine")
    finally:
        folder.chmod(0o755)


# ---------------------------------------------------------------------------------------------- campaign files


def test_a_gbk_campaign_file_is_read_and_the_user_told_once(tmp_path, campaign):
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(campaign.read_text(encoding="utf-8").encode("gbk"))  # iconv -f utf-8 -t gbk
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")
    for lang, words in (("zh", "GBK 编码"), ("en", "GBK-encoded")):
        result = run("calendar", str(gbk), "--today", "2026-10-01", lang=lang)  # reads the file twice
        assert result.exit_code == 0, result.output
        assert result.output.count(words) == 1, result.output
        assert str(gbk) in result.output
        utf8 = run("calendar", str(campaign), "--today", "2026-10-01", lang=lang)
        assert words not in utf8.output
        # the same plan as the UTF-8 file
        assert run("plan", str(gbk), "--format", "json", lang=lang).stdout.split("\n", 1)[1] == run(
            "plan", str(campaign), "--format", "json", lang=lang).stdout.split("\n", 1)[1]


BAD_CAMPAIGNS = {
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 8),
    "utf16": lambda p: p.write_bytes(example_text("double11", "zh").encode("utf-16")),
    "nul-bytes": lambda p: p.write_bytes(b"campaign:\x00\x00\x00 name: x\n"),
    "directory": lambda p: p.mkdir(),
}


@pytest.mark.parametrize("kind", list(BAD_CAMPAIGNS))
@pytest.mark.parametrize("command", [["plan"], ["calendar"], ["capacity"], ["staff"]],
                         ids=lambda c: "-".join(c))
@pytest.mark.parametrize("lang", LANGS)
def test_a_file_that_is_not_a_campaign_file_is_one_line(tmp_path, kind, command, lang):
    path = tmp_path / f"{kind}.yaml"
    BAD_CAMPAIGNS[kind](path)
    line = assert_one_clear_line(run(*command, str(path), lang=lang), lang, str(path))
    if kind == "directory":
        assert ("找不到" if lang == "zh" else "not found") in line
    else:
        assert "UTF-8" in line


# ------------------------------------------------------------------------------------------------------ outputs


def _outputs(ws: Path, campaign: Path, target: Path) -> dict[str, list[str]]:
    """Every command that writes a file, writing to `target`."""
    return {
        "plan --xlsx": ["plan", str(campaign), "--xlsx", str(target)],
        "calendar --ics": ["calendar", str(campaign), "--ics", str(target)],
        "calendar --xlsx": ["calendar", str(campaign), "--xlsx", str(target)],
        "staff rota --xlsx": ["staff", "rota", str(campaign), "--month", "2026-11", "--seconds", "5",
                              "--xlsx", str(target)],
        "init": ["init", str(target)],
        "import --store": ["import", str(ws / "simulated" / "traffic.csv"), "--store", str(target)],
        "simulate": ["simulate", str(campaign), "--orders", "50", "--out", str(target)],
        "review": ["review", str(ws / "campaign.yaml"), "--store", str(ws / "dachu.duckdb"), "--out", str(target)],
        "review --format xlsx": ["review", str(ws / "campaign.yaml"), "--store", str(ws / "dachu.duckdb"),
                                 "--format", "xlsx", "--out", str(target)],
    }


COMMANDS = ["plan --xlsx", "calendar --ics", "calendar --xlsx", "staff rota --xlsx", "init", "import --store",
            "simulate", "review", "review --format xlsx"]
FILE_COMMANDS = ["plan --xlsx", "calendar --ics", "calendar --xlsx", "staff rota --xlsx", "import --store"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_read_only_folder(workspace, campaign, read_only, command, lang):
    target = read_only / f"out-{uuid.uuid4().hex}"
    line = assert_one_clear_line(run(*_outputs(workspace, campaign, target)[command], lang=lang), lang, str(target))
    assert ("权限" if lang == "zh" else "permission denied") in line
    assert ("Excel" in line) and not target.exists()


@pytest.mark.parametrize("command", FILE_COMMANDS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_folder_where_the_file_should_go(workspace, campaign, tmp_path, command, lang):
    target = tmp_path / "plan.xlsx"
    target.mkdir()
    line = assert_one_clear_line(run(*_outputs(workspace, campaign, target)[command], lang=lang), lang, str(target))
    assert ("是一个目录" if lang == "zh" else "is a folder") in line


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_file_where_a_folder_should_be(workspace, campaign, tmp_path, command, lang):
    blocker = tmp_path / "blocker"
    blocker.write_text("I am a file")
    target = blocker / "out"
    args = _outputs(workspace, campaign, target)[command]
    result = run(*args, lang=lang)
    line = assert_one_clear_line(result, lang, str(blocker))
    assert ("挡住" if lang == "zh" else "in the way") in line
    assert blocker.read_text() == "I am a file"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to fill the disk")
@pytest.mark.parametrize("command", ["plan --xlsx", "calendar --ics", "calendar --xlsx", "staff rota --xlsx"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_full_disk(workspace, campaign, command, lang):
    result = run(*_outputs(workspace, campaign, Path("/dev/full"))[command], lang=lang)
    line = assert_one_clear_line(result, lang, "/dev/full")
    assert ("磁盘已满" if lang == "zh" else "disk is full") in line


def test_a_full_disk_leaves_no_noise_on_stderr(campaign):
    """A workbook that fails at close would leave a half-written zip that complains when collected."""
    proc = subprocess.run([sys.executable, *MAIN, "--lang", "en", "plan", str(campaign), "--xlsx",
                           "/dev/full"], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "Error: the disk is full: cannot write /dev/full — free some disk space, or choose a folder on another disk"]


def test_debug_still_shows_the_traceback(campaign, read_only):
    result = CliRunner().invoke(app, ["--debug", "plan", str(campaign), "--xlsx", str(read_only / "p.xlsx")])
    assert isinstance(result.exception, OSError)


@pytest.mark.parametrize("command", ["calendar --ics", "plan --xlsx", "staff rota --xlsx"])
def test_files_are_written_even_when_stdout_closes_early(campaign, tmp_path, command):
    """`dachu calendar campaign.yaml --ics x.ics | head -3` writes x.ics.

    The reader here closes before the first line (the strictest `head`): every write to stdout fails.
    """
    target = tmp_path / ("x.ics" if "ics" in command else "p.xlsx")
    args = _outputs(tmp_path, campaign, target)[command]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, *MAIN, "--lang", "en", *args], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr
    assert target.is_file() and target.stat().st_size > 1000
