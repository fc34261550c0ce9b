"""What an evaluation gives: the figures, the floors the examples are held to, and the headline
figures the ratchet and ``--compare`` follow."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

#: What the test suite requires on the example corpus (issue "From article text to events").
#: Floors, not perfection: a change may trade one example occurrence for better real reporting.
THRESHOLDS = {
    "mention_accuracy": 0.95,
    "role_accuracy": 0.95,
    "event_recall": 0.95,
    "event_precision": 0.90,
    "date_accuracy": 0.95,
    "merge_accuracy": 0.95,
}


#: The headline figures (the ones the ratchet and ``--compare`` follow).
HEADLINE = (
    "mention_accuracy",
    "mention_found",
    "mention_precision",
    "role_accuracy",
    "event_recall",
    "event_precision",
    "event_f1",
    "date_accuracy",
    "toll_accuracy",
    "actor_accuracy",
    "merge_accuracy",
)


@dataclass
class EvalReport:
    mentions: int = 0
    mentions_found: int = 0
    mentions_within: int = 0
    mention_found: float = 0.0
    mention_accuracy: float = 0.0
    role_accuracy: float = 0.0
    mentions_predicted: int = 0
    mentions_spurious: int = 0
    mention_precision: float = 0.0
    distance_median_km: float = 0.0
    distance_p90_km: float = 0.0
    events_extracted: int = 0
    events_correct: int = 0
    required: int = 0
    required_found: int = 0
    event_precision: float = 0.0
    event_recall: float = 0.0
    event_f1: float = 0.0
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    date_accuracy: float = 0.0
    toll_events: int = 0
    toll_right: int = 0
    toll_accuracy: float = 0.0
    toll_docs: int = 0
    toll_over_docs: int = 0
    actor_events: int = 0
    actor_right: int = 0
    actor_accuracy: float = 0.0
    actors_missing: dict[str, int] = field(default_factory=dict)
    actors_extra: dict[str, int] = field(default_factory=dict)
    merge_groups: int = 0
    merge_right: int = 0
    merge_accuracy: float = 0.0
    miss_classes: dict[str, int] = field(default_factory=dict)
    spurious_classes: dict[str, int] = field(default_factory=dict)
    mention_classes: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    mention_errors: list[str] = field(default_factory=list)
    #: doc -> {"missed": [...], "spurious": [...], "mentions": [...], "tolls": [...], ...}
    articles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: {"mentions": {key: state}, "events": {gold id: found}, "spurious": [key, ...]}
    items: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    def headline(self) -> dict[str, float]:
        return {k: round(float(getattr(self, k)), 4) for k in HEADLINE}

    def failures(self, thresholds: dict[str, float] | None = None) -> list[str]:
        out = []
        for name, floor in (thresholds or THRESHOLDS).items():
            value = getattr(self, name)
            if value < floor - 1e-9:
                out.append(f"{name} {value:.3f} < {floor:.3f}")
        return out

    def note(self, doc: str, kind: str, text: str) -> None:
        self.articles.setdefault(doc, {}).setdefault(kind, []).append(text)
