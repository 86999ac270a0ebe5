"""`make bench`: Tend's speed and memory beside the stock Rasa pipeline, in one run.

Tend's model and the baseline's (same domain, data and endpoints; only the config
differs) each run in a real stack, the way `make run` starts them: Rasa server with
the SQLite tracker store, and the action server. The same conversations go to both,
phase by phase in turn so a busy machine slows both alike. Prints a table and writes
`results/bench.json` and `results/bench.png`. `--quick` is a short smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.bench.detectors import CallCost, measure_detectors
from bot.bench.load import (
    CrisisResult,
    PhaseResult,
    RestChat,
    run_conversations,
    run_crisis_messages,
    run_long_conversation,
)
from bot.bench.memory import peak_rss_mib_of_group
from bot.bench.messages import (
    CRISIS_MESSAGES,
    CRISIS_OPENER,
    domain_intents,
    visit_texts,
)
from bot.bench.report import (
    BASELINE,
    TEND,
    BenchReport,
    PeakMemory,
    SystemFigures,
    render_table,
    write_json,
    write_plot,
)
from bot.bench.training import (
    BENCH_DIR,
    TELEMETRY_OFF,
    ensure_baseline_trained,
    measure_training_times,
)
from bot.cli.train import ensure_trained
from bot.config import PROJECT_ROOT
from bot.store.crypto import new_data_key
from tests.integration.stack import TendStack, start_stack

RESULTS_DIR = PROJECT_ROOT / "results"


@dataclass(frozen=True)
class BenchPlan:
    """How much the bench sends, and for how long at most."""

    concurrency_levels: tuple[int, ...]
    warmup_messages: int
    messages_per_phase: int
    phase_seconds: float
    crisis_repeats: int
    turn_marks: tuple[int, ...]
    conversation_seconds: float
    detector_rounds: int
    measure_training: bool


FULL_PLAN = BenchPlan(
    concurrency_levels=(1, 8, 32),
    warmup_messages=24,
    messages_per_phase=400,
    phase_seconds=60.0,
    crisis_repeats=5,
    turn_marks=(1, 100, 500),
    conversation_seconds=240.0,
    detector_rounds=200,
    measure_training=True,
)
QUICK_PLAN = BenchPlan(
    concurrency_levels=(1, 8, 32),
    warmup_messages=12,
    messages_per_phase=80,
    phase_seconds=15.0,
    crisis_repeats=1,
    turn_marks=(1, 50),
    conversation_seconds=45.0,
    detector_rounds=10,
    measure_training=False,
)


def prepare_database(workdir: Path) -> dict[str, str]:
    """A stack's own database, upgraded before its servers start, as `make run` does.

    Returns the settings that point the stack at it (and keep it off the network).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {
        "TEND_ENV_FILE": str(workdir / "no.env"),
        "DATABASE_URL": f"sqlite:///{workdir / 'tend.db'}",
        "DATA_KEY": new_data_key(),
        **TELEMETRY_OFF,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.db", "upgrade"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **settings},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Could not upgrade the bench database: {result.stderr}")
    return settings


@contextmanager
def running_stacks(models: Mapping[str, Path]) -> Iterator[dict[str, TendStack]]:
    """Starts one stack per model, one after the other, and stops them all after.

    One at a time: loading a model is CPU-heavy, and two at once on a busy 2-core
    machine can outlast the stack's start-up time limit.
    """
    stacks_dir = BENCH_DIR / "stacks"
    shutil.rmtree(stacks_dir, ignore_errors=True)
    started: dict[str, TendStack] = {}
    try:
        for name, model in models.items():
            workdir = stacks_dir / name
            print(f"Starting the {name} servers (logs in {workdir})...")
            settings = prepare_database(workdir)
            started[name] = start_stack(workdir, model, settings)
        yield started
    finally:
        for stack in started.values():
            stack.stop()


async def measure_stacks(
    stacks: Mapping[str, TendStack], texts: tuple[str, ...], plan: BenchPlan
) -> dict[str, SystemFigures]:
    """Every load phase against every stack, one stack at a time, phase by phase."""
    phases: dict[str, dict[int, PhaseResult]] = {name: {} for name in stacks}
    crises: dict[str, CrisisResult] = {}
    turn_latencies: dict[str, tuple[float, ...]] = {}
    connector = aiohttp.TCPConnector(limit=max(plan.concurrency_levels))
    async with aiohttp.ClientSession(connector=connector) as session:
        chats = {name: RestChat(s.rasa_url, session) for name, s in stacks.items()}
        for concurrency in plan.concurrency_levels:
            for name, chat in chats.items():
                print(f"  {name}: {concurrency} concurrent conversation(s)...")
                phases[name][concurrency] = await run_conversations(
                    chat,
                    texts,
                    concurrency=concurrency,
                    warmup_messages=plan.warmup_messages,
                    max_messages=plan.messages_per_phase,
                    max_seconds=plan.phase_seconds,
                    sender_prefix=f"bench-{concurrency}",
                )
        for name, chat in chats.items():
            print(f"  {name}: crisis messages...")
            crises[name] = await run_crisis_messages(
                chat,
                CRISIS_OPENER,
                CRISIS_MESSAGES,
                repeats=plan.crisis_repeats,
                escalation_marker=stacks[name].env["CRISIS_CONTACT"],
                sender_prefix="bench-crisis",
            )
        turns = plan.turn_marks[-1] + len(texts) - 1
        for name, chat in chats.items():
            print(f"  {name}: one conversation of {turns} turns...")
            turn_latencies[name] = await run_long_conversation(
                chat,
                texts,
                turns=turns,
                max_seconds=plan.conversation_seconds,
                sender="bench-long",
            )
    return {
        name: SystemFigures(
            phases=phases[name],
            crisis=crises[name],
            turn_latencies=turn_latencies[name],
            turn_window=len(texts),
            # Read while the servers still run: the peak of the whole bench.
            memory=peak_memory(stack),
        )
        for name, stack in stacks.items()
    }


def peak_memory(stack: TendStack) -> PeakMemory:
    """Peak resident memory of the Rasa server and of the action server."""
    peaks = []
    for server in (stack.rasa, stack.actions):
        process = server.process if server is not None else None
        peaks.append(peak_rss_mib_of_group(process.pid) if process else None)
    return PeakMemory(rasa_server_mib=peaks[0], action_server_mib=peaks[1])


def machine_facts() -> dict[str, Any]:
    import rasa

    return {
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def run_bench(plan: BenchPlan) -> BenchReport:
    machine = machine_facts()
    baseline = ensure_baseline_trained()
    models = {TEND: ensure_trained(), BASELINE: baseline.path}
    texts = visit_texts(domain_intents())
    with running_stacks(models) as stacks:
        systems = asyncio.run(measure_stacks(stacks, texts, plan))
    print("Timing the crisis and feelings readers on their own...")
    detector_texts = [t for t in texts if not t.startswith("/")] + list(CRISIS_MESSAGES)
    detectors: dict[str, CallCost] = measure_detectors(
        detector_texts, plan.detector_rounds
    )
    training = None
    if plan.measure_training:
        print("Timing a full train and a wording-only retrain (a few minutes)...")
        training = measure_training_times()
    machine["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    return BenchReport(
        systems=systems,
        turn_marks=plan.turn_marks,
        detectors=detectors,
        training=training,
        baseline_train_seconds=baseline.recorded_train_seconds,
        machine=machine,
        quick=plan is QUICK_PLAN,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short smoke run: fewer messages, no training times",
    )
    args = parser.parse_args(argv)
    report = run_bench(QUICK_PLAN if args.quick else FULL_PLAN)
    print()
    print(render_table(report))
    write_json(report, RESULTS_DIR / "bench.json")
    write_plot(report, RESULTS_DIR / "bench.png")
    print("\nWrote results/bench.json and results/bench.png.")
    if report.machine["load_average_1m"] > (os.cpu_count() or 1):
        print("The machine was busy when the bench started: figures are noisy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
