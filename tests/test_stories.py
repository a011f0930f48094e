"""Rasa's own test stories (tests/stories/, one file per language) against the trained model."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.stack import environment
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack


def test_every_test_story_passes(running_stack: RunningStack, tmp_path: Path) -> None:
    model = PROJECT_ROOT / "models" / "sportello.tar.gz"
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("rasa")),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            str(PROJECT_ROOT / "tests" / "stories"),
            "--endpoints",
            str(PROJECT_ROOT / "endpoints.yml"),
            "--out",
            str(tmp_path),
            "--no-plot",
        ],
        cwd=PROJECT_ROOT,
        env=environment(replace(running_stack.settings, tracker_db=tmp_path / "tracker.db")),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    failed = tmp_path / "failed_test_stories.yml"
    failures = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert "story:" not in failures, failures
