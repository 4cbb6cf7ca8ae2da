"""Captioning metrics with pycocoevalcap: BLEU-1..4, METEOR, ROUGE-L, CIDEr (SPICE when present).

Scores are pycocoevalcap's own (BLEU/METEOR/ROUGE-L in 0-1, CIDEr in 0-10), computed exactly as
its ``COCOEvalCap.evaluate`` does: PTB tokenisation of references and candidates, then each scorer
on the tokenised dicts. METEOR and the PTB tokenizer run Java; SPICE also needs the Stanford
CoreNLP 3.6.0 jars, which pycocoevalcap downloads on first use, so it runs only when they are
already in place and is otherwise skipped with a message saying how to enable it.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import logging
import os
import shutil
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import (
    CaptionMetricsError as CaptionMetricsError,
)
from ..errors import (
    missing_dependency,
)
from ._datasets import CaptionedImage

log = logging.getLogger(__name__)

#: Metric names in report order.
CAPTION_METRICS: tuple[str, ...] = (
    "Bleu_1",
    "Bleu_2",
    "Bleu_3",
    "Bleu_4",
    "METEOR",
    "ROUGE_L",
    "CIDEr",
    "SPICE",
)


@dataclass(frozen=True)
class CaptioningResult:
    """Corpus-level captioning scores.

    Attributes:
        scores: metric name -> corpus score (pycocoevalcap's scale).
        per_image: image id -> metric name -> score.
        skipped: metric name -> why it was not computed.
        n_images: images scored.
    """

    scores: dict[str, float]
    per_image: dict[str, dict[str, float]] = field(repr=False)
    skipped: dict[str, str]
    n_images: int

    def as_dict(self) -> dict[str, float | int]:
        """Return the flat metric dict used in reports."""
        return {**self.scores, "n_images": self.n_images}


def spice_available() -> tuple[bool, str]:
    """Return whether SPICE can run offline, and the reason when it cannot."""
    try:
        import pycocoevalcap.spice as spice_pkg
    except ImportError:
        return False, "pycocoevalcap is not installed (pip install 'gaia_geo[ml]')"
    lib = Path(spice_pkg.__file__).parent / "lib"
    needed = [lib / "stanford-corenlp-3.6.0.jar", lib / "stanford-corenlp-3.6.0-models.jar"]
    missing = [p.name for p in needed if not p.is_file()]
    if missing:
        return False, (
            f"SPICE skipped: {', '.join(missing)} not found in {lib}; with network access run "
            "`python -c 'from pycocoevalcap.spice.get_stanford_models import "
            "get_stanford_models; get_stanford_models()'` once"
        )
    return True, ""


_METEOR: list[Any] = []


def _meteor() -> Any:
    """One METEOR process per Python process: starting it (Java, paraphrase tables) takes ~10 s."""
    if not _METEOR:
        from pycocoevalcap.meteor.meteor import Meteor

        _METEOR.append(Meteor())
        atexit.register(_close_meteor, _METEOR[0])
    return _METEOR[0]


def _close_meteor(scorer: Any) -> None:
    process = getattr(scorer, "meteor_p", None)
    if process is None:
        return
    with contextlib.suppress(OSError, ValueError):
        process.stdin.close()
    process.kill()
    process.wait()
    scorer.lock = threading.Lock()  # its __del__ takes the lock, which a failed call left held
    for stream in (process.stdout, process.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.close()


def score_captions(
    candidates: Mapping[str, str],
    references: Mapping[str, Sequence[str]],
    *,
    spice: Literal["auto", "never", "always"] = "auto",
) -> CaptioningResult:
    """Score candidate captions against reference captions with pycocoevalcap.

    Args:
        candidates: image id -> the generated caption.
        references: image id -> its reference captions (1+); every candidate id must be here.
        spice: ``auto`` runs SPICE when its CoreNLP jars are present, ``never`` skips it,
            ``always`` raises if it cannot run.

    Returns:
        The :class:`CaptioningResult`.

    Raises:
        CaptionMetricsError: if Java is missing, ids do not match, or ``spice="always"`` and
            SPICE cannot run.
    """
    if spice not in ("auto", "never", "always"):
        raise ValueError(f"spice must be 'auto', 'never' or 'always', got {spice!r}")
    if not candidates:
        raise CaptionMetricsError("no candidate captions to score")
    unknown = sorted(set(candidates) - set(references))
    if unknown:
        raise CaptionMetricsError(
            f"{len(unknown)} candidate ids have no references, e.g. {unknown[:3]}; ids must match "
            "the reference item ids (catalog) or image file names (RSICD JSON)"
        )
    empty = [k for k in candidates if not references[k]]
    if empty:
        raise CaptionMetricsError(f"images without reference captions: {empty[:3]}")
    if shutil.which("java") is None:
        raise CaptionMetricsError(
            "Java is needed by METEOR and the PTB tokenizer; install a JRE "
            "(apt install default-jre)"
        )
    try:
        from pycocoevalcap.bleu.bleu import Bleu
        from pycocoevalcap.cider.cider import Cider
        from pycocoevalcap.rouge.rouge import Rouge
        from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
    except ImportError as err:  # pragma: no cover - the ml extra is installed in development
        raise missing_dependency("pycocoevalcap", "ml") from err

    ids = sorted(candidates)
    gts = {i: [{"caption": str(c)} for c in references[i]] for i in ids}
    res = {i: [{"caption": str(candidates[i])}] for i in ids}
    tokenizer = PTBTokenizer()
    with contextlib.redirect_stdout(io.StringIO()):
        gts_tok = tokenizer.tokenize(gts)
        res_tok = tokenizer.tokenize(res)

    scores: dict[str, float] = {}
    per_image: dict[str, dict[str, float]] = {i: {} for i in ids}
    skipped: dict[str, str] = {}

    def keep(name: str, total: float, each: Sequence[float]) -> None:
        scores[name] = float(total)
        for image_id, value in zip(gts_tok.keys(), each, strict=True):
            per_image[image_id][name] = float(value)

    with contextlib.redirect_stdout(io.StringIO()):
        bleu, bleu_each = Bleu(4).compute_score(gts_tok, res_tok, verbose=0)
    for n in range(4):
        keep(f"Bleu_{n + 1}", bleu[n], bleu_each[n])
    try:
        keep("METEOR", *_meteor().compute_score(gts_tok, res_tok))
    except (BrokenPipeError, ValueError):  # the Java process died: start a fresh one once
        _close_meteor(_METEOR.pop())
        keep("METEOR", *_meteor().compute_score(gts_tok, res_tok))
    keep("ROUGE_L", *Rouge().compute_score(gts_tok, res_tok))
    keep("CIDEr", *Cider().compute_score(gts_tok, res_tok))

    can_spice, why = spice_available()
    if spice == "never":
        skipped["SPICE"] = "SPICE skipped: disabled (spice='never')"
    elif not can_spice:
        if spice == "always":
            raise CaptionMetricsError(why)
        skipped["SPICE"] = why
        log.warning("%s", why)
    else:  # pragma: no cover - the CoreNLP jars are not installed in this environment
        from pycocoevalcap.spice.spice import Spice

        keep("SPICE", *Spice().compute_score(gts_tok, res_tok))
    return CaptioningResult(scores=scores, per_image=per_image, skipped=skipped, n_images=len(ids))


def read_candidates(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read generated captions: COCO results, an id->caption mapping, or JSON lines.

    Accepted: ``[{"image_id": ..., "caption": ...}]`` (COCO results), ``{"id": "caption"}``
    (or ``{"id": ["caption"]}``, first kept), or JSONL lines with ``id``/``image_id`` and
    ``caption``.

    Raises:
        CaptionMetricsError: if the file is missing or in none of these forms.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaptionMetricsError(f"captions file {str(file)!r} does not exist") from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as err:
            raise CaptionMetricsError(
                f"{str(file)!r} is neither JSON nor JSON lines: {err}"
            ) from None
    out: dict[str, str] = {}
    if isinstance(data, dict) and "caption" in data and ("id" in data or "image_id" in data):
        data = [data]  # JSON lines with a single line
    if isinstance(data, dict):
        for key, value in data.items():
            out[str(key)] = str(value[0] if isinstance(value, list) else value)
        return out
    if isinstance(data, list):
        for number, row in enumerate(data):
            key = row.get("image_id", row.get("id")) if isinstance(row, dict) else None
            if key is None or "caption" not in row:
                raise CaptionMetricsError(
                    f"{str(file)!r} entry {number} needs 'image_id' (or 'id') and 'caption'"
                )
            out[str(key)] = str(row["caption"])
        return out
    raise CaptionMetricsError(f"{str(file)!r}: expected a list or an object of captions")


def match_references(
    candidates: Mapping[str, str], images: Sequence[CaptionedImage]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Pair candidates with reference images by id, or by file stem (``00012`` = ``00012.jpg``).

    Returns:
        ``(candidates, references)`` keyed by the reference ids.

    Raises:
        CaptionMetricsError: if a candidate matches no reference image.
    """
    by_id = {img.id: img for img in images}
    by_stem = {Path(img.id).stem: img for img in images}
    cands: dict[str, str] = {}
    refs: dict[str, list[str]] = {}
    missing = []
    for key, caption in candidates.items():
        image = by_id.get(key) or by_stem.get(Path(key).stem)
        if image is None:
            missing.append(key)
            continue
        cands[image.id] = caption
        refs[image.id] = list(image.captions)
    if missing:
        raise CaptionMetricsError(
            f"{len(missing)} captions match no reference image (by id or file stem), e.g. "
            f"{missing[:3]}; check --split and the reference source"
        )
    return cands, refs
