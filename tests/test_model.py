"""The clause model: JSON round trip, references, descriptions."""

from __future__ import annotations

import json

import pytest

from tooling import model

from .conftest import FIXTURES, built_edition


@pytest.fixture(scope="module")
def mini_edition(tmp_path_factory, request):
    from tooling.cli import main

    out = tmp_path_factory.mktemp("mini-model")
    assert main(["build", "html", "-q", "--source", str(FIXTURES / "mini"), "--out", str(out)]) == 0
    return built_edition(out)


def test_json_round_trip_is_lossless(mini_edition):
    text = mini_edition.dumps()
    again = model.Edition.loads(text)
    assert again == mini_edition
    assert again.dumps() == text
    assert [c.id for c in again.walk()] == [c.id for c in mini_edition.walk()]


def test_json_is_flat_with_parents_and_sorted_keys(mini_edition):
    data = json.loads(mini_edition.dumps())
    assert data["format_version"] == model.FORMAT_VERSION
    rows = {row["id"]: row for row in data["clauses"]}
    assert rows["req-wet-sign"]["parent"] == "req-detail-floor-wet-sign"
    assert rows["req-wet-sign"]["number"] == "4.2.1.1.1.1"
    assert rows["req-daily-clean"]["metadata"] == {
        "kind": "requirement", "role": ["保洁员"], "frequency": {"min": 2, "per": "day"},
        "evidence": ["保洁记录表"], "checklist": ["daily"],
    }
    assert rows["req-daily-clean"]["source"] == "tests/fixtures/mini/requirements.md"
    assert rows["req-daily-clean"]["line"] == 7
    assert data["edition"]["number"] == "T/TEST 7—2024"


def test_loading_another_format_version_is_refused(mini_edition):
    data = mini_edition.to_json()
    data["format_version"] = 99
    with pytest.raises(ValueError, match="format_version=99"):
        model.Edition.from_json(data)


def test_metadata_descriptions_read_as_chinese():
    assert model.Frequency(min=1, per="month").describe() == "每月不少于1次"
    # Metadata is printed in plain words (tooling/model/units.py), whatever the source spells.
    assert model.Frequency(event="发现安全隐患", within="2 h").describe() == "发现安全隐患时，2小时内"
    assert model.Frequency(event="离开超过7 d", within="5 个工作日").describe() == (
        "离开超过7日时，5个工作日内")
    target = model.Target(metric="走访覆盖率", value=100, unit="%", per="year", op="=")
    assert target.describe() == "走访覆盖率达到100%（每年）"
