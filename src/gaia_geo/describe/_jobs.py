"""One captioning job per Item: its inputs, cache keys, request bodies, and how an answer lands.

Everything here is synchronous and network-free; the sync and batch runners share it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from typing import Any

import orjson
import pystac

from .._hashing import text_sha256
from ..stac import CaptionExtension, format_datetime
from ..stac._extension import PROVENANCE_PROP
from ._cache import cache_key
from ._checks import check_answer
from ._client import OPENAI_API_ROOT, TEST_SERVER, Completion
from ._images import ImageProblem, ImageRef, find_image, image_size, image_url
from ._pricing import PriceTable, image_tokens, text_tokens
from ._prompts import PromptTemplate, rejection_message

NO_SUMMARY = "(no article text: describe what is visible, guided by the metadata only)"
#: Output tokens assumed per request by ``--dry-run``.
EST_SUMMARY_OUT = 180
EST_CAPTION_OUT = 450
#: The Item properties the caption prompt passes on (authoritative metadata).
METADATA_FIELDS = (
    "title",
    "datetime",
    "start_datetime",
    "end_datetime",
    "platform",
    "constellation",
    "instruments",
    "mission",
    "gsd",
    "gaia:resolution_class",
    "gaia:modalities",
    "gaia:location",
    "gaia:geometry_kind",
    "gaia:sensor_names",
    "gaia:image_alt",
)


#: The version of the cache key layout: entries written under another layout are never read.
CACHE_KEY_VERSION = "key-v2"


@dataclass
class Settings:
    """What a run asks for (shared by every job).

    Attributes:
        model: the vision model.
        summary_model: the model that summarises article texts.
        prompt: the caption template.
        summary_prompt: the summary template.
        prices: the price table.
        asset: the Item asset to caption (default: ``image``, else role ``data``).
        endpoint: the normalised API root that answers (see ``endpoint_id``): part of every
            cache key, so an answer is only ever read back for the server that gave it.
    """

    model: str
    summary_model: str
    prompt: PromptTemplate
    summary_prompt: PromptTemplate
    prices: PriceTable
    endpoint: str = OPENAI_API_ROOT
    asset: str | None = None

    def cost(self, done: Completion, *, batch: bool = False) -> float | None:
        """USD for one completion; the test server's answers cost nothing."""
        if done.generator == TEST_SERVER:
            return 0.0
        return self.prices.cost(done.model, done.input_tokens, done.output_tokens, batch=batch)


@dataclass
class Job:
    """One Item's captioning inputs and keys.

    Attributes:
        item: the Item (updated in place when its answer is accepted).
        image: where its image is, or ``None`` with ``problem`` set.
        problem: why it cannot be captioned (missing/unreadable image), or ``None``.
        text: the article text ('' when there is none).
        text_sha: sha256 of ``text``.
        metadata: the metadata block sent with the image (JSON).
        key: the cache key of the caption answer.
        summary_key: the cache key of the summary, or ``None`` when there is no text.
    """

    item: pystac.Item
    image: ImageRef | None
    problem: str | None
    text: str
    text_sha: str
    metadata: str
    key: str
    summary_key: str | None


def article_text(item: pystac.Item, texts: dict[str, str] | None) -> str:
    """The Item's article text: from ``texts``, else its ``article`` (or any text/*) asset."""
    if texts is not None and item.id in texts:
        return texts[item.id]
    asset = item.assets.get("article")
    if asset is None:
        asset = next(
            (a for a in item.assets.values() if (a.media_type or "").startswith("text/")), None
        )
    if asset is None or asset.href.startswith(("http://", "https://")):
        return ""
    href = asset.href
    if not os.path.isabs(href) and item.get_self_href():
        href = os.path.join(os.path.dirname(item.get_self_href() or ""), href)
    try:
        with open(href, encoding="utf-8") as handle:
            return handle.read().strip()
    except (OSError, UnicodeDecodeError):
        return ""


def metadata_block(item: pystac.Item) -> str:
    """The Item metadata the caption prompt carries, as stable JSON (sorted keys)."""
    props = item.properties
    meta: dict[str, Any] = {"id": item.id}
    for name in METADATA_FIELDS:
        value = props.get(name)
        if value not in (None, "", []):
            meta[name] = value
    # pystac keeps the datetimes as attributes, not in ``properties``
    common = item.common_metadata
    for name, when in (
        ("datetime", item.datetime),
        ("start_datetime", common.start_datetime),
        ("end_datetime", common.end_datetime),
    ):
        if when is not None:
            meta[name] = format_datetime(when)
    if item.bbox:
        meta["bbox"] = [round(float(v), 4) for v in item.bbox]
    return json.dumps(meta, sort_keys=True, default=str)


def make_job(item: pystac.Item, settings: Settings, texts: dict[str, str] | None) -> Job:
    """Gather an Item's inputs and compute its cache keys (reads no image unless unchecksummed)."""
    text = article_text(item, texts)
    text_sha = text_sha256(text)
    metadata = metadata_block(item)
    try:
        image: ImageRef | None = find_image(item, settings.asset)
        problem = None
    except ImageProblem as err:
        image, problem = None, str(err)
    # Every key names its layout version and the server that answers, so neither an entry of an
    # older layout nor another server's answer (the test server's above all) is ever read back.
    summary_key = (
        cache_key(
            CACHE_KEY_VERSION,
            "summary",
            settings.endpoint,
            settings.summary_model,
            settings.summary_prompt.key,
            text_sha,
        )
        if text
        else None
    )
    inputs = text_sha256("\x1f".join([metadata, text_sha, summary_key or "-"]))
    key = cache_key(
        CACHE_KEY_VERSION,
        "caption",
        settings.endpoint,
        settings.model,
        settings.prompt.key,
        image.sha256 if image else "-",
        inputs,
    )
    return Job(item, image, problem, text, text_sha, metadata, key, summary_key)


def summary_body(job: Job, settings: Settings) -> dict[str, Any]:
    """The chat request that summarises a job's article text."""
    p = settings.summary_prompt
    return {
        "model": settings.summary_model,
        "messages": p.messages(text=job.text),
        "max_tokens": p.max_tokens,
    }


def caption_body(job: Job, settings: Settings, summary: str | None) -> dict[str, Any]:
    """The structured caption request (reads and encodes the image).

    Raises:
        ImageProblem: if the image cannot be read.
    """
    if job.image is None:
        raise ImageProblem(job.problem or "no image")
    p = settings.prompt
    body: dict[str, Any] = {
        "model": settings.model,
        "messages": p.messages(
            image_url(job.image), metadata=job.metadata, summary=summary or NO_SUMMARY
        ),
        "max_tokens": p.max_tokens,
    }
    if (fmt := p.response_format()) is not None:
        body["response_format"] = fmt
    return body


def retry_body(body: dict[str, Any], content: str, reasons: list[str]) -> dict[str, Any]:
    """``body`` with the rejected answer and the reasons appended (the one corrective retry)."""
    messages = [*body["messages"], {"role": "assistant", "content": content}]
    return {**body, "messages": [*messages, rejection_message(reasons)]}


def judge(job: Job, content: str) -> tuple[str, dict[str, Any] | None, list[str]]:
    """Parse and check an answer: ``("ok"|"excluded"|"rejected", answer, reasons)``."""
    try:
        answer = orjson.loads(content)
    except orjson.JSONDecodeError:
        return "rejected", None, ["the answer is not valid JSON; return only the JSON object"]
    if isinstance(answer, dict):
        why = []
        if answer.get("is_remote_sensing") is False:
            why.append("judged not a remote-sensing image")
        if answer.get("is_chart") is True:
            why.append("judged a chart, map or graphic")
        if why:
            return "excluded", answer, why
    reasons = check_answer(answer, job.item)
    return ("rejected" if reasons else "ok"), answer, reasons


def estimate(job: Job, settings: Settings) -> tuple[int, int, int, int]:
    """Estimated tokens ``(summary_in, summary_out, caption_in, caption_out)`` of a job.

    The summary pair is ``(0, 0)`` when the job has no article text.
    """
    summary_in = summary_out = 0
    if job.text:
        summary_in = text_tokens(settings.summary_prompt.system + job.text) + 10
        summary_out = EST_SUMMARY_OUT
    size = image_size(job.image) if job.image else None
    caption_in = text_tokens(settings.prompt.system + settings.prompt.user + job.metadata)
    caption_in += (EST_SUMMARY_OUT if job.text else 20) + image_tokens(*(size or (None, None)))
    return summary_in, summary_out, caption_in, EST_CAPTION_OUT


def now_utc() -> dt.datetime:
    """The current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def apply_entry(item: pystac.Item, entry: dict[str, Any]) -> None:
    """Write an accepted answer into the Item's caption extension (all fields or none)."""
    answer = entry["answer"]
    ext = CaptionExtension.ext(item, add_if_missing=True)
    # The dict CaptionProvenance.to_dict() writes, built directly: dataclasses.asdict deep-copies
    # and was the largest cost of the cache-hit path.
    provenance: dict[str, Any] = {
        "generator": entry.get("generator") or "openai",
        "model": entry["model"],
        "prompt_version": entry["prompt_version"],
        "created": format_datetime(dt.datetime.fromisoformat(entry["created"])),
    }
    for name in (
        "source_text_sha256",
        "input_tokens",
        "output_tokens",
        "cost_usd",
        "summary_model",
        "requests",
        "batch",
    ):
        if entry.get(name) is not None:
            provenance[name] = entry[name]
    captions = [str(c).strip() for c in answer["captions"]]
    tags = [str(t).strip() for t in answer.get("tags") or [] if str(t).strip()]
    # Set everything, then commit: a failure above leaves the Item as it was.
    ext.captions = captions
    item.properties[PROVENANCE_PROP] = provenance
    if tags:
        ext.tags = tags
    if not ext.location and str(answer.get("location") or "").strip():
        ext.location = str(answer["location"]).strip()
    if not ext.modalities and answer.get("modality"):
        ext.modalities = [str(m).lower() for m in answer["modality"] if str(m).strip()]
    if not ext.resolution_class and answer.get("resolution"):
        ext.resolution_class = answer["resolution"]
    if entry.get("source_text_sha256"):
        ext.source_text_sha256 = entry["source_text_sha256"]
    item.properties["description"] = captions[0]
