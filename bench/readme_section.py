# Copyright 2026 product_serial_tracking contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One section of bench/README.md per benchmark.

Each benchmark of ``make bench`` owns the text between its two markers
``<!-- <name>:start -->`` and ``<!-- <name>:end -->`` and rewrites only that,
so that running one benchmark never erases the figures of another.
"""

import datetime
import os
import platform
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def machine_line(extra=""):
    """Date, CPU and Python of this run, for the reader of the figures."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"## Last run: {now}\n\n"
        f"Machine: nproc {os.cpu_count()}, {cpu}; Python {platform.python_version()}"
        f"{extra}.\n\n"
    )


def write_section(name, text):
    """Replace (or append) the section ``name`` of bench/README.md with ``text``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = f"{start}\n{text.strip()}\n{end}\n"
    current = README.read_text("utf-8") if README.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        current = before + section + ("\n" + after if after else "")
    else:
        current = (current.rstrip("\n") + "\n\n" if current else "") + section
    README.write_text(current, encoding="utf-8")
    return README
