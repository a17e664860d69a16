"""The screenshot tools' command line: an option is never taken for the folder to write into."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksm_desktop.ui.devtools import output_folder


def test_a_screenshot_tool_explains_itself_and_refuses_an_unknown_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as asked:
        output_folder(["--help"], "screenshots", "Render the views.")
    assert asked.value.code == 0 and "folder" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        output_folder(["--hepl"], "screenshots", "Render the views.")
    assert refused.value.code == 2 and "--hepl" in capsys.readouterr().err


def test_a_screenshot_tool_writes_to_the_folder_given_or_the_documentation() -> None:
    assert output_folder([], "screenshots", "") == Path("docs/screenshots")
    assert output_folder(["shots"], "screenshots", "") == Path("shots")
