"""Evaluation of a DocQA on a question set, as pydantic-evals evaluates a task: `evaluate(docqa, set)` answers,
scores and reports every case; `gate_problems` compares a summary with committed thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.questions import QuestionSetError
from eval.report import summary_text
from eval.runner import EvalRun, evaluate

__all__ = ["evaluate", "EvalRun", "QuestionSetError", "summary_text", "gate_problems"]


def gate_problems(summary: Mapping[str, Any], thresholds_file: str | Path) -> list[str]:
    """One line per metric of `summary` that crossed its threshold in `thresholds_file` (none: the gate passes)."""
    from eval.gate import check, load_thresholds

    return check(summary, load_thresholds(Path(thresholds_file)))
