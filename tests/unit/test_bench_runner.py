"""`make bench` compares every figure with the committed baseline and flags what got slower."""

from __future__ import annotations

from benchmarks.__main__ import change, key, table, written_sections
from benchmarks.common import Result


def _sheet(ms: float) -> Result:
    return Result("grant sheet (fr)", ms, "<= 2.5x bare table", True, "bare table", 10.0)


def test_a_ratio_more_than_a_quarter_worse_is_flagged() -> None:
    baseline = {key(_sheet(20.0)): 2.0}  # the ratio, not the time, is what is compared
    assert change(_sheet(24.0), baseline) == ("+20 %", False)
    text, slower = change(_sheet(26.0), baseline)
    assert slower and "+30 %" in text
    assert change(_sheet(15.0), baseline) == ("-25 %", False)


def test_a_figure_without_a_same_run_baseline_compares_its_time() -> None:
    search = Result("member search", 60.0, "< 50 ms", False)
    assert change(search, {"member search": 40.0})[1]
    assert change(search, {}) == ("new", False)
    assert "**+50 % slower**" in table([search], {"member search": 40.0})[-1]


def test_sections_written_by_hand_survive_a_new_table() -> None:
    generated = "# Benchmarks\n\n| benchmark | measured |\n| --- | ---: |\n| a | 1 ms |\n"
    assert written_sections(generated) == ""
    section = "\n## At 1,000,000 persons\n\nMeasured once.\n"
    assert written_sections(generated + section) == section
