"""Training and loading a Rasa model: the only places the project calls rasa.api and rasa.core.agent.

Importing this module imports TensorFlow (seconds): callers import it inside the command that needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.api import train
from rasa.core.agent import Agent


def train_model(domain: Path, config: Path, data: Path, output: Path, name: str) -> Path | None:
    """Train from scratch (the caller decided training data changed); the model's path, or None on failure."""
    result = train(
        domain=str(domain),
        config=str(config),
        training_files=[str(data)],
        output=str(output),
        fixed_model_name=name,
        force_training=True,
    )
    if result.code != 0 or not result.model:
        return None
    return Path(result.model)


async def parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    """The NLU parse of each text by the trained model, in process (evaluation, not serving)."""
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]
