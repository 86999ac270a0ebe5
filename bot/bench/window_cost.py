"""CPU time per message along one long conversation, with the recent window and without.

`python -m bot.bench.window_cost [turns]`: the trained model is loaded twice in this
process, each with Tend's tracker store on its own SQLite database, one handing
Rasa the recent window (bot/store/recent_window.py) and one the whole session, with
one real action server behind both. The bench's script is sent turn by turn to both,
alternately, so a busy machine slows both alike; CPU time (`time.process_time`) is
steadier than wall time there. Prints the median of each 12-turn stretch at turns
1, 100 and 500, and the ratio to turn 1.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rasa.core.agent import Agent
from rasa.utils.endpoints import EndpointConfig

from bot.bench.messages import domain_intents, visit_texts
from bot.cli.bench import prepare_database
from bot.cli.processes import (
    ManagedProcess,
    action_server_command,
    action_server_environment,
    wait_for_http,
)
from bot.cli.train import ensure_trained
from bot.store.crypto import DataKey
from bot.store.tracker_store import EncryptedSQLTrackerStore
from tests.integration.stack import free_port

MARKS = (1, 100, 500)


def load_agent(
    model: Path, database: Path, key: DataKey, window: bool, actions: str
) -> Agent:
    store = EncryptedSQLTrackerStore(
        database_url=f"sqlite:///{database}", data_key=key, recent_window=window
    )  # Rasa gives it the model's domain
    return Agent.load(
        str(model), action_endpoint=EndpointConfig(actions), tracker_store=store
    )


async def cpu_per_turn(agents: dict[str, Agent], texts: list[str]) -> dict:
    seconds: dict[str, list[float]] = {name: [] for name in agents}
    for index, text in enumerate(texts):
        for name, agent in agents.items():
            started = time.process_time()
            await agent.handle_text(text, sender_id=f"window-cost-{name}")
            seconds[name].append(time.process_time() - started)
        if index % 50 == 0:
            print(f"  turn {index + 1} of {len(texts)}", flush=True)
    return seconds


def at_turn(per_turn: list[float], turn: int, window: int) -> float:
    return statistics.median(per_turn[turn - 1 : turn - 1 + window]) * 1000


def main(argv: list[str]) -> int:
    last = int(argv[0]) if argv else MARKS[-1]
    script = list(visit_texts(domain_intents()))
    texts = (script * (last // len(script) + 2))[: last + len(script) - 1]
    model = ensure_trained()
    with tempfile.TemporaryDirectory(prefix="tend-window-cost-") as temp:
        workdir = Path(temp)
        settings = prepare_database(workdir)  # the action server's own data
        key = DataKey.from_text(settings["DATA_KEY"])
        port = free_port()
        env = {**os.environ, **settings}
        server = ManagedProcess(
            "action server",
            action_server_command(port),
            action_server_environment(env, "127.0.0.1"),
            workdir / "actions.log",
        ).start()
        try:
            wait_for_http(f"http://127.0.0.1:{port}/health", server, timeout=120)
            webhook = f"http://127.0.0.1:{port}/webhook"
            agents = {
                name: load_agent(model, workdir / f"{name}.db", key, window, webhook)
                for name, window in (("window", True), ("whole", False))
            }
            seconds = asyncio.run(cpu_per_turn(agents, texts))
        finally:
            server.stop()
    marks = [mark for mark in MARKS if mark <= last]
    print("\nCPU ms per message (median of the 12-turn stretch starting there)")
    print(f"{'':>8}" + "".join(f"{'turn ' + str(m):>12}" for m in marks) + "  last/1")
    for name, per_turn in seconds.items():
        values = [at_turn(per_turn, mark, len(script)) for mark in marks]
        row = "".join(f"{value:>12.1f}" for value in values)
        print(f"{name:>8}{row}  {values[-1] / values[0]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
