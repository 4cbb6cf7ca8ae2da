"""``gaia-geo describe`` (the describe stage) and ``gaia-geo caption-test-server``.

The API key is read from ``OPENAI_API_KEY`` only, never from a flag: flags end up in shell
histories and process lists.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from ._exit import KEEP_GOING_HELP, exit_on_failures


def caption(
    catalog: Annotated[
        Path, typer.Argument(help="Catalog folder to caption (rewritten in place).")
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="OPENAI_BASE_URL",
            help="OpenAI-compatible API root, e.g. http://127.0.0.1:8000/v1 (vLLM, Ollama...).",
        ),
    ] = None,
    model: Annotated[
        str, typer.Option(help="Vision model that writes captions.")
    ] = "gpt-4o-2024-08-06",
    summary_model: Annotated[
        str, typer.Option(help="Small model that summarises text.")
    ] = "gpt-4o-mini",
    batch: Annotated[
        bool, typer.Option("--batch", help="Use the Batch API (half price, async).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Estimate requests, tokens and cost; send nothing.")
    ] = False,
    concurrency: Annotated[
        int, typer.Option(min=1, max=1024, help="Requests in flight at once.")
    ] = 16,
    cache: Annotated[
        Path | None, typer.Option(help="Answer cache folder (default ~/.cache/gaia_geo/captions).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the captioned catalog here instead.")
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(help="Price table (JSON/TOML: model -> {input, output} USD per 1M tokens)."),
    ] = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed", help="Ask again for Items whose cached answer failed checks."
        ),
    ] = False,
    keep_excluded: Annotated[
        bool,
        typer.Option("--keep-excluded", help="Keep Items judged not remote sensing or a chart."),
    ] = False,
    offline: Annotated[
        bool,
        typer.Option("--offline", help="Use the offline template captioner (no model at all)."),
    ] = False,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds before a request times out.")
    ] = 120.0,
    attempts: Annotated[
        int, typer.Option(min=1, help="Tries per request (transient failures).")
    ] = 6,
    transport: Annotated[
        str,
        typer.Option(
            help="How chat completions travel: aiohttp (direct, less CPU) or sdk (AsyncOpenAI)."
        ),
    ] = "aiohttp",
    poll_interval: Annotated[
        float, typer.Option(min=0.01, help="Seconds between batch polls.")
    ] = 30.0,
    report: Annotated[Path | None, typer.Option(help="Write the run report (JSON) here.")] = None,
    keep_going: Annotated[bool, typer.Option("--keep-going", help=KEEP_GOING_HELP)] = False,
    asset: Annotated[
        str | None,
        typer.Option(help="Asset to caption (visual, rendered_preview...; default: image)."),
    ] = None,
) -> None:
    """Caption a catalog's Items: five checked captions each from an OpenAI-compatible model.

    Set OPENAI_API_KEY for OpenAI; with neither a key nor --base-url the offline captioner is
    used. Answers are cached by content and by server: rerunning after a crash resumes without
    paying twice. Exits 1 when any Item failed (all Items with --keep-going); the accepted
    captions are written either way.
    """
    import logging
    import os

    from .._atomic import atomic_write_text

    # One line per HTTP request (httpx) or per written file (rustac) drowns the report.
    for name in ("httpx", "httpx2", "stac_io", "stac_io.store"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from ..describe import PriceTable, RetryPolicy, caption_catalog

    if transport not in ("aiohttp", "sdk"):
        raise typer.BadParameter("must be 'aiohttp' or 'sdk'", param_hint="--transport")
    use_offline = offline or not (base_url or os.environ.get("OPENAI_API_KEY"))
    started = time.perf_counter()
    result = caption_catalog(
        catalog,
        out=out,
        keep_excluded=keep_excluded,
        offline=use_offline,
        **(
            {"dry_run": dry_run}
            if use_offline
            else {
                "base_url": base_url,
                "model": model,
                "summary_model": summary_model,
                "batch": batch,
                "dry_run": dry_run,
                "concurrency": concurrency,
                "cache": cache,
                "prices": PriceTable.from_file(prices) if prices else None,
                "retry_failed": retry_failed,
                "retry": RetryPolicy(attempts=attempts, timeout=timeout),
                "transport": transport,
                "poll_interval": poll_interval,
                "asset": asset,
            }
        ),
    )
    if use_offline:
        typer.echo(
            "no OPENAI_API_KEY and no --base-url: "
            + (
                "the offline captioner would be used (free)"
                if dry_run
                else "used the offline captioner"
            )
        )
    for item_id, reason in sorted(result.failed.items()):
        typer.echo(f"FAILED {item_id}: {reason}", err=True)
    for item_id, reason in sorted(result.excluded.items()):
        typer.echo(f"EXCLUDED {item_id}: {reason}", err=True)
    typer.echo(f"{result.summary()} in {time.perf_counter() - started:.1f} s")
    if report is not None:
        atomic_write_text(report, json.dumps(result.to_dict(), indent=2) + "\n")
    if not result.dry_run:
        exit_on_failures(
            len(result.failed),
            len(result.failed) + len(result.captioned) + len(result.excluded),
            keep_going=keep_going,
            what="Items",
            hint="rerun the same command to retry them (answers are cached); add --retry-failed "
            "to ask again for answers that failed the checks",
        )


def caption_test_server(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8099,
    latency: Annotated[float, typer.Option(min=0.0, help="Seconds each completion takes.")] = 0.1,
) -> None:
    """Serve the OpenAI-compatible test server on loopback until Ctrl-C (for demos)."""
    from ..describe.testing_server import main

    main(["--port", str(port), "--latency", str(latency)])


def register(app: typer.Typer) -> None:
    """Add the describe stage's commands to ``app``.

    ``describe`` is the stage's name in the README; ``caption``, its first name, stays as an alias.
    """
    app.command("describe")(caption)
    app.command("caption", hidden=True, help="Alias of `gaia-geo describe`.")(caption)
    app.command("caption-test-server")(caption_test_server)
