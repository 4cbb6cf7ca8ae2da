"""GAIA's way: ask a language model for the metadata, then keep only what the text supports.

GAIA read date, sensor and place with GPT-4o. Here the model answers a versioned prompt with
structured output (:data:`EXTRACTION_SCHEMA`) through the describe stage's OpenAI-compatible client
(:class:`gaia_geo.describe.CaptionClient`: bounded concurrency, retries, rate limits) and its
answer cache; every answer is then checked against the text and the sensor registry:

- a date is kept only when the text holds a date that contains it (no invented days);
- a platform or instrument only when the registry knows it and the text names it;
- a place only when the text names it.

Rejected values are listed in :attr:`LLMExtractor.rejections`. How the answers join the
rules' (``method="llm"`` or ``"hybrid"``) is :mod:`._extract_hybrid`'s. With ``batch=True`` the
questions go through the Batch API instead (half the price, answers within 24 hours), resumably: the
describe stage's batch state files under ``<cache_dir>/batches`` let a killed run pick up the
same batch.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..sensors import Sensor, lookup_sensor, normalize_name

if TYPE_CHECKING:
    from ..describe import CaptionClient
    from ..describe._client import Completion

#: The prompt version: part of every cache key, so a new prompt never reuses old answers.
EXTRACTION_PROMPT_VERSION = "gaia-extract-v1"
EXTRACTION_PROMPT = (
    "You read remote-sensing article text and report how its image was acquired. Answer only "
    "from the text: never guess. acquisition_start/acquisition_end: the first and last day "
    "(YYYY-MM-DD) of the acquisition of the image(s) the text describes; for a month or a year "
    "give its first and last day; null when the text gives no acquisition date. Publication, "
    "launch and event dates are not acquisition dates. platforms: the satellites or stations "
    "that took the image, as written (e.g. 'Landsat 8', 'Terra', 'Sentinel-2A'); instruments: "
    "the instruments, as written (e.g. 'OLI', 'MODIS'); place: the main place shown, as written; "
    "country_code: its ISO 3166-1 alpha-2 code, null for seas, oceans or the whole Earth."
)
#: JSON Schema of the answer (OpenAI structured output, ``strict``).
EXTRACTION_SCHEMA: dict[str, Any] = {
    "name": "gaia_extraction",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "acquisition_start",
            "acquisition_end",
            "platforms",
            "instruments",
            "place",
            "country_code",
        ],
        "properties": {
            "acquisition_start": {"type": ["string", "null"]},
            "acquisition_end": {"type": ["string", "null"]},
            "platforms": {"type": "array", "items": {"type": "string"}},
            "instruments": {"type": "array", "items": {"type": "string"}},
            "place": {"type": ["string", "null"]},
            "country_code": {"type": ["string", "null"]},
        },
    },
}


@dataclass(frozen=True)
class CheckedAnswer:
    """A model's answer after the checks: only values the text supports."""

    start: dt.date | None
    end: dt.date | None
    sensors: tuple[Sensor, ...]
    place: str | None
    country_code: str | None


@dataclass
class LLMExtractor:
    """Asks an OpenAI-compatible model for article metadata, with a cache and cost accounting.

    Args:
        model: the model name.
        base_url: the API root (``http://127.0.0.1:8000/v1`` for a local server); default:
            ``OPENAI_BASE_URL`` or OpenAI.
        api_key: the key; default: ``OPENAI_API_KEY``. Never logged, cached or written.
        cache_dir: where answers are kept (by prompt version, model and text hash); ``None`` for
            no cache.
        concurrency: the most requests in flight.
        batch: send the questions through the Batch API (needs ``cache_dir``, where the batch
            state is kept so that a rerun resumes the same batch rather than paying twice).
        poll_interval: seconds between polls of a running batch.

    Example:
        >>> llm = LLMExtractor(model="gpt-4o-mini", cache_dir="cache")  # doctest: +SKIP
        >>> extract_metadata(text, method="hybrid", llm=llm)  # doctest: +SKIP
    """

    model: str = "gpt-4o-mini"
    base_url: str | None = None
    api_key: str | None = None
    cache_dir: str | os.PathLike[str] | None = None
    concurrency: int = 8
    batch: bool = False
    poll_interval: float = 30.0
    #: requests sent, answers read from the cache, tokens and USD spent
    requests: int = 0
    cached: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    #: one line per value the checks threw away
    rejections: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {self.concurrency}")
        if self.batch and self.cache_dir is None:
            raise ValueError(
                "batch=True needs cache_dir: the batch's state is kept there so that a rerun "
                "resumes it instead of submitting (and paying for) it again"
            )
        if self.poll_interval <= 0:
            raise ValueError(f"poll_interval must be positive, got {self.poll_interval}")

    def _key(self, text: str) -> str:
        from .._hashing import text_sha256
        from ..describe import cache_key
        from ..describe._client import endpoint_id

        # the endpoint is part of the key: an answer is only read back for the server that gave it
        return cache_key(
            "extract",
            EXTRACTION_PROMPT_VERSION,
            endpoint_id(self.base_url or os.environ.get("OPENAI_BASE_URL")),
            self.model,
            text_sha256(text),
        )

    def _body(self, text: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [
                {"role": "system", "content": EXTRACTION_PROMPT},
                {"role": "user", "content": text},
            ],
            "response_format": {"type": "json_schema", "json_schema": EXTRACTION_SCHEMA},
            "temperature": 0,
        }

    def _count(self, done: Completion, *, batch: bool) -> None:
        from ..describe import PriceTable

        self.requests += 1
        self.input_tokens += done.input_tokens
        self.output_tokens += done.output_tokens
        cost = PriceTable().cost(self.model, done.input_tokens, done.output_tokens, batch=batch)
        self.cost_usd += cost or 0.0

    def _parse(self, content: str, text: str) -> dict[str, Any]:
        try:
            value = orjson.loads(content)
        except orjson.JSONDecodeError:
            self.rejections.append(f"malformed answer for {text[:40]!r}")
            return {}
        return value if isinstance(value, dict) else {}

    def ask(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        """The model's raw answers for ``texts`` (cached ones are not asked again).

        Raises:
            gaia_geo.errors.GaiaError: the describe stage's errors (no key, service down...).
        """
        from ..describe import CaptionCache

        cache = CaptionCache(self.cache_dir) if self.cache_dir is not None else None
        keys = [self._key(text) for text in texts]
        known: dict[str, dict[str, Any]] = {}
        todo: dict[str, str] = {}  # key -> text: a text repeated is asked about once
        for key, text in zip(keys, texts, strict=True):
            hit = cache.get(key) if cache is not None else None
            if hit is not None and isinstance(hit.get("answer"), dict):
                known[key] = hit["answer"]
                self.cached += 1
            else:
                todo[key] = text
        if todo:
            ask = self._ask_batch if self.batch else self._ask_all
            fresh = asyncio.run(ask(todo))
            for key, answer in fresh.items():
                if answer is None:  # failed in a batch: asked again on the next run
                    continue
                known[key] = answer
                if cache is not None:
                    cache.put(key, {"answer": answer, "model": self.model})
        return [known.get(key, {}) for key in keys]

    def _client(self) -> CaptionClient:
        from ..describe import CaptionClient

        key = self.api_key or os.environ.get("OPENAI_API_KEY") or ""
        return CaptionClient(api_key=key, base_url=self.base_url, concurrency=self.concurrency)

    async def _ask_all(self, todo: dict[str, str]) -> dict[str, dict[str, Any] | None]:
        client = self._client()
        try:

            async def one(text: str) -> dict[str, Any] | None:
                done = await client.complete(self._body(text))
                self._count(done, batch=False)
                return self._parse(done.content, text)

            answers = await asyncio.gather(*(one(t) for t in todo.values()))
            return dict(zip(todo, answers, strict=True))
        finally:
            await client.close()

    async def _ask_batch(self, todo: dict[str, str]) -> dict[str, dict[str, Any] | None]:
        from ..describe._batch import _completion, run_batches

        assert self.cache_dir is not None  # checked in __post_init__
        # custom ids are the answers' cache keys: the same texts make the same batch file
        bodies = {key: self._body(text) for key, text in todo.items()}
        client = self._client()
        try:
            results = await run_batches(
                client,
                bodies,
                Path(self.cache_dir) / "batches",
                "extract",
                poll_interval=self.poll_interval,
            )
        finally:
            await client.close()
        answers: dict[str, dict[str, Any] | None] = {}
        for key, text in todo.items():
            result = results.get(key) or {}
            done = _completion(result, self.model)
            if done is None:
                why = result.get("error") or "no result in the batch output"
                self.rejections.append(f"batch request failed for {text[:40]!r}: {why}")
                answers[key] = None
                continue
            self._count(done, batch=True)
            answers[key] = self._parse(done.content, text)
        return answers

    def check(self, text: str, answer: dict[str, Any], published: dt.date | None) -> CheckedAnswer:
        """Keep only the parts of ``answer`` that ``text`` and the registry support."""
        from ._dates import find_dates

        start = _iso(answer.get("acquisition_start"))
        end = _iso(answer.get("acquisition_end")) or start
        if start is not None and end is not None:
            mentions = find_dates(text, published)
            supported = all(
                any(m.start.date() <= day <= m.end.date() for m in mentions) for day in (start, end)
            )
            if not supported or end < start:
                self.rejections.append(f"date {start}..{end}: not in the text")
                start = end = None
        else:
            start = end = None
        words = f" {normalize_name(text)} "
        sensors: list[Sensor] = []
        for name in [*answer.get("platforms", []), *answer.get("instruments", [])]:
            sensor = lookup_sensor(str(name))
            if sensor is None:
                self.rejections.append(f"sensor {name!r}: not in the registry")
                continue
            names = (sensor.key, sensor.name, *sensor.aliases)
            if not any(f" {normalize_name(n)} " in words for n in names):
                self.rejections.append(f"sensor {name!r}: the text does not name it")
                continue
            if sensor not in sensors:
                sensors.append(sensor)
        # "Sentinel-2A" and "MSI": the satellite's MSI, not also the constellation's
        flown = {s.constellation for s in sensors if s.platform and s.constellation}
        sensors = [s for s in sensors if s.platform or s.constellation not in flown]
        place = answer.get("place")
        country = answer.get("country_code")
        if place and normalize_name(str(place)) not in normalize_name(text):
            self.rejections.append(f"place {place!r}: not in the text")
            place = country = None
        return CheckedAnswer(
            start,
            end,
            tuple(sensors),
            str(place) if place else None,
            str(country).upper() if place and country else None,
        )


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def default_llm_cache() -> Path:
    """The answer cache of ``gaia-geo collect extract`` (beside the describe stage's)."""
    from ..describe import default_cache_dir

    return Path(default_cache_dir()).parent / "extract"
