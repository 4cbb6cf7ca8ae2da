"""What the crawler produces: image records, failures and the run report."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ImageRecord:
    """One image found in an article, with everything the article says about it.

    Attributes:
        image_url: canonical URL of the image file.
        article_url: canonical URL of the article page.
        title: the article's title.
        alt: the image's alt text (or its figure caption when there is no alt).
        caption: the figure caption beside the image, if any.
        article_text: the article's main text.
        credits: the image credits as published.
        published: the publication date (ISO 8601 ``YYYY-MM-DD``) or ``None``.
        parser: the name of the site parser that read the page.
        local_path: where the image was stored (relative to the crawl directory), once fetched.
        content_type: the image's media type, once fetched.
        sha256: hex digest of the image bytes, once fetched.
        size: bytes, once fetched.
        width: pixels, once fetched.
        height: pixels, once fetched.
    """

    image_url: str
    article_url: str
    title: str
    alt: str
    caption: str
    article_text: str
    credits: str
    published: str | None
    parser: str
    local_path: str | None = None
    content_type: str | None = None
    sha256: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImageRecord:
        """Build a record from :meth:`to_dict` output (unknown keys are ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class CrawlFailure:
    """A URL the crawl could not use, and why.

    Attributes:
        url: the canonical URL.
        kind: ``"page"``, ``"image"`` or ``"robots"``.
        reason: a short machine-friendly reason (``"http-404"``, ``"robots-disallow"``,
            ``"robots-unavailable"``, ``"redirect-off-allowlist"``, ``"redirect-loop"``,
            ``"too-large"``, ``"not-an-image"``,
            ``"truncated-image"``, ``"timeout"``, ``"private-address"``, ``"no-images"``...).
        detail: a human sentence with the specifics.
    """

    url: str
    kind: str
    reason: str
    detail: str = ""


@dataclass
class CrawlReport:
    """The summary of one crawl run (also written as ``report.json``).

    Attributes:
        pages_fetched: pages downloaded in full this run.
        pages_not_modified: pages answered ``304 Not Modified`` (served from the cache).
        images_found: image records stored in total (all runs).
        images_fetched: images downloaded this run.
        requests: HTTP requests sent this run (robots.txt, retries and redirects included).
        retries: requests repeated after a 429/5xx or a network error.
        elapsed_s: wall-clock seconds of this run.
        failures: every failure recorded (all runs).
        skipped: counts of URLs not fetched on purpose, by reason (robots, depth, page limit...).
    """

    pages_fetched: int = 0
    pages_not_modified: int = 0
    images_found: int = 0
    images_fetched: int = 0
    requests: int = 0
    retries: int = 0
    elapsed_s: float = 0.0
    failures: list[CrawlFailure] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        """Pages fetched (full or 304) per second of this run."""
        pages = self.pages_fetched + self.pages_not_modified
        return pages / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def failure_reasons(self) -> dict[str, int]:
        """Failures counted by reason."""
        counts: dict[str, int] = {}
        for failure in self.failures:
            counts[failure.reason] = counts.get(failure.reason, 0) + 1
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict."""
        data = dataclasses.asdict(self)
        data["pages_per_second"] = round(self.pages_per_second, 3)
        data["failure_reasons"] = self.failure_reasons()
        return data
