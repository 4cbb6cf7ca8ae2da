"""The report of a captioning run, and how each judged answer is counted and applied."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ._jobs import Job, apply_entry


@dataclass
class CaptionReport:
    """What a captioning run did (or, with ``dry_run``, would do).

    Attributes:
        captioned: ids of Items that now carry model captions (new or from the cache).
        from_cache: how many of those came from the cache without a request.
        failed: id -> reason, for Items left unchanged (bad answers, unreadable images).
        excluded: id -> reason, for Items the model judged not remote sensing or a chart.
        requests: chat requests sent (retries included), or to be sent for a dry run.
        input_tokens: prompt tokens spent (or estimated).
        output_tokens: completion tokens spent (or estimated).
        cost_usd: the cost from the price table (``None`` when a model has no price).
        dry_run: whether this is an estimate only.
        pending: ids a dry run would send requests for.
    """

    captioned: list[str] = field(default_factory=list)
    from_cache: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    dry_run: bool = False
    pending: list[str] = field(default_factory=list)

    def add_cost(self, cost: float | None) -> None:
        """Add a cost (an unknown one makes the total unknown)."""
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def summary(self) -> str:
        """One line for people."""
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        if self.dry_run:
            return (
                f"dry run: {len(self.pending)} item(s) need requests, {self.from_cache} cached; "
                f"~{self.requests} requests, ~{self.input_tokens} input + ~{self.output_tokens} "
                f"output tokens, estimated cost {cost}"
            )
        return (
            f"{len(self.captioned)} captioned ({self.from_cache} from cache), "
            f"{len(self.failed)} failed, {len(self.excluded)} excluded; {self.requests} "
            f"requests, {self.input_tokens} input + {self.output_tokens} output tokens, "
            f"cost {cost}"
        )


def record(report: CaptionReport, job: Job, entry: dict[str, Any], cached: bool) -> None:
    status = entry["status"]
    if status == "ok":
        apply_entry(job.item, entry)
        report.captioned.append(job.item.id)
        report.from_cache += cached
    elif status == "excluded":
        report.excluded[job.item.id] = "; ".join(entry["reasons"])
    else:
        report.failed[job.item.id] = "; ".join(entry["reasons"]) or "rejected answer"
    if not cached:
        report.requests += int(entry.get("requests") or 0)
        report.input_tokens += int(entry.get("input_tokens") or 0)
        report.output_tokens += int(entry.get("output_tokens") or 0)
        report.add_cost(entry.get("cost_usd"))
