"""``gaia-geo collect ...``: ``web`` (crawl article sites) and ``extract`` (text metadata).

Also the sources' commands (``stac``, ``import-gaia``, ``download``) when their module is present.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ._exit import KEEP_GOING_HELP, exit_on_failures

collect_app = typer.Typer(
    help="Collect image-text records: crawl article sites, STAC-API chips.",
    no_args_is_help=True,
)


#: crawl failure reasons that are decisions, not errors: they never make the exit code non-zero
DELIBERATE_REASONS = frozenset({"robots-disallow", "no-images", "redirect-off-allowlist"})


#: --method/--model/--base-url/--batch: how metadata is read from article text (web, extract)
MethodOption = Annotated[
    str,
    typer.Option(
        help="How metadata is read from the text: rules (offline), llm (a model, answers checked "
        "against the text) or hybrid (the model only for the fields the rules are unsure of)."
    ),
]
ModelOption = Annotated[str, typer.Option(help="Model for --method llm/hybrid.")]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(help="OpenAI-compatible API root (default: OPENAI_BASE_URL or OpenAI)."),
]
BatchOption = Annotated[
    bool,
    typer.Option(
        help="With --method llm/hybrid: ask through the Batch API (half price, within 24 h; "
        "rerun to resume)."
    ),
]


def _llm_for(
    method: str, model: str, base_url: str | None, cache_dir: Path | None, batch: bool
) -> Any:
    """The LLMExtractor for --method llm/hybrid (None for rules); checks --method."""
    from ..collect import LLMExtractor
    from ..collect._extract_hybrid import METHODS
    from ..collect._extract_llm import default_llm_cache

    if method not in METHODS:
        raise typer.BadParameter(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    if method == "rules":
        return None
    return LLMExtractor(
        model=model, base_url=base_url, cache_dir=cache_dir or default_llm_cache(), batch=batch
    )


def _write_catalog(
    crawl_dir: Path, catalog: Path, title: str, method: str = "rules", llm: Any = None
) -> dict[str, Any]:
    from ..collect import read_records, records_to_items
    from ..stac import write_catalog

    items, conversion = records_to_items(
        read_records(crawl_dir),
        crawl_dir,
        method=method,  # type: ignore[arg-type]  # checked by _llm_for
        llm=llm,
    )
    summary: dict[str, Any] = {
        "items": conversion.items,
        "not_items": conversion.reasons(),
        "item_warnings": conversion.reasons(warnings=True),
    }
    if items:
        write_catalog(
            items,
            catalog,
            title=title,
            description="Image articles collected by gaia-geo collect web.",
        )
        summary["catalog"] = str(catalog)
    return summary


@collect_app.command("web")
def web(
    seeds: Annotated[
        list[str] | None,
        typer.Argument(help="Start URLs: index pages, articles, or RSS/Atom feeds."),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Crawl directory (rerun to resume).")
    ] = Path("crawl"),
    allow: Annotated[
        list[str] | None,
        typer.Option("--allow", help="Allowed domain (repeatable; default: the seeds' hosts)."),
    ] = None,
    max_pages: Annotated[int, typer.Option(min=1, help="Pages to fetch in total.")] = 1000,
    max_depth: Annotated[int, typer.Option(min=0, help="Link hops from a seed.")] = 3,
    delay: Annotated[
        float, typer.Option(min=0.0, help="Seconds between requests to one host.")
    ] = 1.0,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight per host.")] = 1,
    user_agent: Annotated[
        str | None, typer.Option(help="User-Agent (default names gaia-geo).")
    ] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Allow private and loopback addresses.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option(help="Revalidate pages of earlier runs (conditional GET).")
    ] = False,
    images: Annotated[bool, typer.Option(help="Download and verify each image.")] = True,
    catalog: Annotated[
        bool, typer.Option(help="Write a STAC catalog (else records.jsonl only).")
    ] = True,
    catalog_dir: Annotated[
        Path | None, typer.Option(help="Catalog folder (default: OUT/catalog).")
    ] = None,
    parser: Annotated[
        list[str] | None,
        typer.Option(
            "--parser",
            help="Force a site parser: DOMAIN=NAME (nasa_eo, nasa_science, esa, generic).",
        ),
    ] = None,
    demo: Annotated[
        bool, typer.Option(help="Crawl the embedded sample site, served on loopback.")
    ] = False,
    method: MethodOption = "rules",
    model: ModelOption = "gpt-4o-mini",
    base_url: BaseUrlOption = None,
    batch: BatchOption = False,
    keep_going: Annotated[bool, typer.Option("--keep-going", help=KEEP_GOING_HELP)] = False,
) -> None:
    """Crawl image articles politely into OUT; write records.jsonl, report.json and a catalog.

    Each Item's date, sensor and place come from its article's text (--method; the key for
    llm/hybrid comes from OPENAI_API_KEY, never printed or cached).

    Exits 1 when any page or image failed (network errors, HTTP errors, bad images; pages
    skipped on purpose, e.g. by robots.txt, do not count), or with --keep-going when all did.
    A run that collected nothing removes the OUT folder it created.
    """
    import logging

    from ..collect import DEFAULT_USER_AGENT, CrawlConfig, crawl

    llm = _llm_for(method, model, base_url, None, batch)
    for noisy in ("httpx", "stac_io"):  # one line per request / per written file is too much
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from .._paths import check_crawl_folder, check_output_folder

    if demo:  # the demo crawl starts afresh: only an earlier crawl folder may be removed
        check_crawl_folder(out / "crawl")
    if catalog and images:  # a catalog folder must not replace the crawl or a user's files
        crawl_dir = out / "crawl" if demo else out
        check_output_folder(catalog_dir or out / "catalog", inputs=[crawl_dir], inside_input=True)
    server = None
    if demo:
        import shutil

        from ..collect.sample_site import SiteServer, generate_site

        site = out / "sample-site"
        # the site gets a new port each run, so its URLs change: start the demo crawl afresh
        shutil.rmtree(out / "crawl", ignore_errors=True)
        generate_site(site)
        server = SiteServer(site).start()
        seeds = [server.url]
        allow_private, delay = True, 0.0
    if not seeds:
        raise typer.BadParameter("give at least one seed URL, or --demo")
    overrides: dict[str, str] = {}
    for entry in parser or ():
        domain, sep, name = entry.partition("=")
        if not sep or not domain or not name:
            raise typer.BadParameter(f"--parser takes DOMAIN=NAME, got {entry!r}")
        overrides[domain.strip().lower()] = name.strip()
    config = CrawlConfig(
        allowed_domains=tuple(allow or ()),
        max_pages=max_pages,
        max_depth=max_depth,
        delay_s=delay,
        per_host_concurrency=concurrency,
        user_agent=user_agent or DEFAULT_USER_AGENT,
        allow_private=allow_private,
        refresh=refresh,
        fetch_images=images,
        parsers=overrides,
        progress=sys.stderr.isatty(),
    )
    created = not out.exists()
    try:
        report = crawl(seeds, out / "crawl" if demo else out, config)
    except ValueError as err:  # an unknown parser name, a seed that is not an http(s) URL
        raise typer.BadParameter(str(err)) from None
    finally:
        if server is not None:
            server.stop()
    crawl_dir = out / "crawl" if demo else out
    summary: dict[str, Any] = {
        key: value for key, value in report.to_dict().items() if key not in ("failures",)
    }
    summary["records"] = str(crawl_dir / "records.jsonl")
    if catalog and images:
        summary.update(
            _write_catalog(
                crawl_dir, catalog_dir or out / "catalog", "Web image articles", method, llm
            )
        )
    typer.echo(json.dumps(summary, indent=2, default=str))
    errors = [f for f in report.failures if f.reason not in DELIBERATE_REASONS]
    for failure in errors[:10]:
        detail = f": {failure.detail}" if failure.detail else ""
        typer.echo(f"not collected: {failure.url}: {failure.reason}{detail}", err=True)
    collected = report.pages_fetched + report.pages_not_modified + report.images_fetched
    if errors and not collected and not report.images_found and created and not demo:
        import shutil

        shutil.rmtree(out, ignore_errors=True)  # a run that collected nothing leaves nothing
    exit_on_failures(
        len(errors),
        collected + len(errors),
        keep_going=keep_going,
        what="URLs",
        hint=f"the reasons are above and in {crawl_dir / 'report.json'}; rerun to retry them"
        if out.exists()
        else "the reasons are above; nothing was kept",
    )


@collect_app.command("extract")
def extract(
    text_file: Annotated[Path, typer.Argument(help="A UTF-8 text file ('-' reads stdin).")],
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    method: MethodOption = "rules",
    model: ModelOption = "gpt-4o-mini",
    base_url: BaseUrlOption = None,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Answer cache (default: the gaia_geo cache/extract).")
    ] = None,
) -> None:
    """Print the acquisition date, sensors, places and regions found in an article's text, as JSON.

    The key for --method llm/hybrid comes from OPENAI_API_KEY (never printed or cached).
    """
    from ..collect import extract_metadata

    llm = _llm_for(method, model, base_url, cache_dir, batch=False)
    text = sys.stdin.read() if str(text_file) == "-" else text_file.read_text(encoding="utf-8")
    try:
        day = dt.date.fromisoformat(published) if published else None
    except ValueError as err:
        raise typer.BadParameter(f"--published must be YYYY-MM-DD, got {published!r}") from err
    meta = extract_metadata(text, day, method=method, llm=llm)  # type: ignore[arg-type]
    data: dict[str, object] = {
        "datetime": meta.datetime,
        "start_datetime": meta.start_datetime,
        "end_datetime": meta.end_datetime,
        "precision": meta.precision,
        "platforms": meta.platforms,
        "instruments": meta.instruments,
        "sensors": [{"key": s.key, "text": s.text, "span": s.span} for s in meta.sensors],
        "places": [
            {
                "name": p.name,
                "lon": p.lon,
                "lat": p.lat,
                "country": p.country_code,
                "text": p.text,
                "span": p.span,
            }
            for p in meta.places
        ],
        "regions": [
            {"name": r.name, "kind": r.kind, "bbox": r.bbox, "text": r.text, "span": r.span}
            for r in meta.regions
        ],
        "dates": [
            {"text": d.text, "role": d.role, "reason": d.reason, "span": d.span} for d in meta.dates
        ],
        "notes": meta.notes,
    }
    if llm is not None:
        data["llm"] = {
            "model": llm.model,
            "requests": llm.requests,
            "cached": llm.cached,
            "input_tokens": llm.input_tokens,
            "output_tokens": llm.output_tokens,
            "cost_usd": round(llm.cost_usd, 6),
            "rejected": llm.rejections,
        }
    typer.echo(json.dumps(data, indent=2, default=str))


def register(app: typer.Typer) -> None:
    """Add the ``collect`` command group (and the sources' commands) to the main app."""
    app.add_typer(collect_app, name="collect")
    from . import collect_sources

    collect_sources.register(app, collect_app)
