"""How to crawl: scope, politeness and limits (``CrawlConfig``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import __version__
from .._retry_after import MAX_RETRY_AFTER_S

#: The default User-Agent: names the software and where to read about it.
DEFAULT_USER_AGENT = (
    f"gaia-geo/{__version__} (+https://github.com/gaia-geo/gaia_geo; research crawler)"
)


@dataclass(frozen=True)
class CrawlConfig:
    """How to crawl: scope, politeness, limits.

    Attributes:
        allowed_domains: hosts that may be fetched (subdomains included; ``"host:port"`` entries
            match exactly). Empty means the seeds' hosts.
        max_pages: pages to fetch in total (resumed runs count earlier pages).
        max_depth: link hops from a seed (seeds are depth 0).
        delay_s: minimum seconds between request starts to one host (robots.txt Crawl-delay
            raises it).
        per_host_concurrency: requests in flight per host.
        max_connections: requests in flight in total.
        user_agent: the identifying User-Agent header.
        robots_agent: the product token matched in robots.txt.
        timeout_s: connect/read timeout per request.
        max_retries: retries after 429/5xx or a network error.
        backoff_s: first backoff (doubles per retry, +-25 % jitter) when no Retry-After is given.
        max_retry_after_s: a longer Retry-After (seconds or HTTP date) fails the URL instead of
            stalling the crawl.
        max_redirects: redirect hops per URL.
        max_page_bytes: larger pages are refused.
        max_image_bytes: larger images are refused.
        fetch_images: download and verify each image (else records keep only the URL).
        allow_private: allow private and loopback addresses (tests, the demo site).
        refresh: revalidate pages fetched by earlier runs (conditional GET: unchanged pages cost
            a ``304``).
        parsers: ``{domain: parser name}`` forcing a site parser for some hosts.
        progress: show a progress bar (only on a terminal).
    """

    allowed_domains: tuple[str, ...] = ()
    max_pages: int = 1000
    max_depth: int = 3
    delay_s: float = 1.0
    per_host_concurrency: int = 1
    max_connections: int = 64
    user_agent: str = DEFAULT_USER_AGENT
    robots_agent: str = "gaia-geo"
    timeout_s: float = 20.0
    max_retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = MAX_RETRY_AFTER_S
    max_redirects: int = 5
    max_page_bytes: int = 5 * 1024 * 1024
    max_image_bytes: int = 50 * 1024 * 1024
    fetch_images: bool = True
    allow_private: bool = False
    refresh: bool = False
    parsers: dict[str, str] = field(default_factory=dict)
    progress: bool = True

    def __post_init__(self) -> None:
        for name in ("max_pages", "per_host_concurrency", "max_connections", "max_page_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"CrawlConfig.{name} must be >= 1, got {getattr(self, name)!r}")
        for name in ("max_depth", "max_retries", "max_redirects"):
            if getattr(self, name) < 0:
                raise ValueError(f"CrawlConfig.{name} must be >= 0, got {getattr(self, name)!r}")
        if self.delay_s < 0 or self.timeout_s <= 0:
            raise ValueError("CrawlConfig.delay_s must be >= 0 and timeout_s > 0")
