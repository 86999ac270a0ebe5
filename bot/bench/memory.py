"""Peak memory (resident set) of a server and the processes it started.

psutil is not in Tend's lock, so this reads Linux's `/proc/<pid>/status` (`VmHWM`:
the highest resident set size the process has had).
"""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def peak_rss_kib(pid: int, proc: Path = PROC) -> int | None:
    """`VmHWM` of one process in KiB, or None when it is gone or not readable."""
    try:
        status = (proc / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def process_group_members(group_id: int, proc: Path = PROC) -> list[int]:
    """Every running process in the process group (a server and its workers)."""
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command name: state, ppid, pgrp, ...
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == group_id:
            members.append(int(entry.name))
    return sorted(members)


def peak_rss_mib_of_group(group_id: int, proc: Path = PROC) -> float | None:
    """The peaks of a process group's members added up, in MiB (None if none run).

    With one process (Rasa and the action server each run one by default) this is
    that process's peak; with several it is an upper bound of their joint peak.
    """
    peaks = [peak_rss_kib(pid, proc) for pid in process_group_members(group_id, proc)]
    known = [peak for peak in peaks if peak is not None]
    return round(sum(known) / 1024, 1) if known else None
