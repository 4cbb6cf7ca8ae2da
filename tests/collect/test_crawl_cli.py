"""``gaia-geo collect web --demo`` end to end, ``collect extract``, and records to Items."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaia_geo import read_catalog, validate  # noqa: E402
from gaia_geo.cli.main import app  # noqa: E402
from gaia_geo.collect import ImageRecord, records_to_items  # noqa: E402
from gaia_geo.collect.sample_site import make_image  # noqa: E402


def _json_tail(output: str) -> dict[str, object]:
    return json.loads(output[output.index("{") :])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_collect_web_demo_writes_a_valid_catalog(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["collect", "web", "--demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = _json_tail(result.output)
    truth = json.loads((tmp_path / "sample-site" / "truth.json").read_text())
    assert summary["items"] == len(truth) and summary["failure_reasons"] == {"robots-disallow": 1}
    report = validate(tmp_path / "catalog")
    assert report.valid, report.problems
    frame = read_catalog(tmp_path / "catalog")
    assert len(frame) == len(truth)
    by_source = {row["gaia:source_url"].split("/", 3)[3]: row for _, row in frame.iterrows()}
    for article in truth:
        row = by_source[article["path"].lstrip("/")]
        assert row["gaia:location"] == f"{article['place']}, {row['gaia:location'].split(', ')[1]}"
        assert row["gaia:geometry_kind"] == "place"
        assert len(row["gaia:captions"]) == 5
        first = dt.date.fromisoformat(article["acquired"][0])
        assert row["start_datetime"].date() <= first <= row["end_datetime"].date()
    assert (tmp_path / "crawl" / "records.jsonl").exists()


@pytest.mark.slow
def test_collect_web_no_catalog_and_rerun(tmp_path: Path) -> None:
    args = ["collect", "web", "--demo", "--out", str(tmp_path), "--no-catalog"]
    for _ in range(2):  # a second demo run starts afresh: same records, not twice as many
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert not (tmp_path / "catalog").exists()
        lines = (tmp_path / "crawl" / "records.jsonl").read_text().splitlines()
        assert len(lines) == 22 and all(json.loads(line)["local_path"] for line in lines)


def test_collect_web_rejects_bad_arguments(tmp_path: Path) -> None:
    runner = CliRunner()
    no_seed = runner.invoke(app, ["collect", "web", "--out", str(tmp_path)])
    assert no_seed.exit_code != 0 and "seed" in no_seed.output
    bad_parser = runner.invoke(
        app, ["collect", "web", "https://a.org/", "--out", str(tmp_path), "--parser", "a.org=nope"]
    )
    assert bad_parser.exit_code != 0 and "unknown parser" in bad_parser.output
    bad_form = runner.invoke(
        app, ["collect", "web", "https://a.org/", "--out", str(tmp_path), "--parser", "a.org"]
    )
    assert bad_form.exit_code != 0 and "DOMAIN=NAME" in bad_form.output
    bad_seed = runner.invoke(app, ["collect", "web", "ftp://a.org/", "--out", str(tmp_path)])
    assert bad_seed.exit_code != 0 and "not an http" in bad_seed.output


def test_collect_extract_prints_json(tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("MODIS on NASA's Terra satellite acquired this image of Nairobi on March 3.")
    result = CliRunner().invoke(app, ["collect", "extract", str(text), "--published", "2021-03-10"])
    assert result.exit_code == 0, result.output
    data = _json_tail(result.output)
    assert data["platforms"] == ["terra"] and data["precision"] == "day"
    assert str(data["datetime"]).startswith("2021-03-03")
    assert data["places"][0]["country"] == "KE"  # type: ignore[index]
    assert data["regions"] == []  # only looked for where no country place is found
    sea = tmp_path / "sea.txt"
    sea.write_text("Terra's MODIS saw this bloom in the Baltic Sea on 10 July 2021.")
    at_sea = _json_tail(CliRunner().invoke(app, ["collect", "extract", str(sea)]).output)
    assert at_sea["places"] == [] and at_sea["regions"][0]["name"] == "Baltic Sea"  # type: ignore[index]
    bad = CliRunner().invoke(app, ["collect", "extract", str(text), "--published", "March"])
    assert bad.exit_code != 0


def test_records_that_cannot_be_items_are_reported(tmp_path: Path) -> None:
    import numpy as np

    image = tmp_path / "images" / "a.png"
    image.parent.mkdir()
    image.write_bytes(make_image(np.random.default_rng(0), 16))

    def record(url: str, text: str, stored: bool = True) -> ImageRecord:
        return ImageRecord(
            image_url=url, article_url="http://h/a", title="T", alt="", caption="",
            article_text=text, credits="", published="2020-06-01", parser="generic",
            local_path="images/a.png" if stored else None, content_type="image/png",
        )  # fmt: skip

    good = "Landsat 8 acquired this image of Lisbon, Portugal, on 5 May 2020."
    records = [
        record("http://h/1.png", good),
        record("http://h/1.png", good),
        record("http://h/2.png", "A view of somewhere, some day."),
        record("http://h/3.png", "This image was acquired on 5 May 2020 over the ocean."),
        record("http://h/4.png", good, stored=False),
        record(
            "http://h/5.png", "Landsat 5 acquired this image of Lisbon, Portugal, on 5 May 2020."
        ),
        record("http://h/6.png", "This image of Lisbon, Portugal, was acquired on 5 May 2029."),
        record("http://h/7.png", "The ZetaSat camera acquired this image of Lima, Peru, on 5 May."),
    ]
    items, report = records_to_items(records, tmp_path)
    assert [i.properties.get("platform") for i in items] == ["landsat-8", None]
    assert items[1].properties["gaia:location"] == "Lima, Peru"
    assert report.items == 2
    assert [url for url, _ in report.warnings] == ["http://h/7.png"]
    assert report.reasons(warnings=True) == {"unknown-sensor": 1}
    assert report.reasons() == {
        "duplicate-image": 1,
        "image-not-stored": 1,
        "no-acquisition-date": 1,
        "place-not-found": 1,
        "sensor-not-operating": 1,
        "date-in-future": 1,
    }
