"""The user's folders: where Windows puts them, and user names with spaces or Arabic letters.

A Windows profile folder is named after the account (`C:\\Users\\Fatima Zahra`, or in Arabic
letters), so the data folder, the database, its backups and the PDFs all live under such a path.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from ksm_desktop import paths
from ksm_desktop.cli import main
from ksm_desktop.config import config_path


@pytest.mark.skipif(sys.platform != "win32", reason="%LOCALAPPDATA% is a Windows folder")
def test_data_preferences_and_log_live_under_localappdata(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WIN_PD_OVERRIDE_LOCAL_APPDATA", "WIN_PD_OVERRIDE_APPDATA", "KSM_CONFIG_DIR"):
        monkeypatch.delenv(name)  # the real folders the shell gives (nothing is written here)
    folder = Path(os.environ["LOCALAPPDATA"]) / "KSM" / "KSM Desktop"
    same = os.path.normcase
    assert same(paths.data_dir()) == same(folder)
    assert same(paths.default_database_path()) == same(folder / "ksm.sqlite3")
    assert same(paths.default_backup_dir()) == same(folder / "backups")
    assert same(paths.log_dir()) == same(folder / "Logs")
    assert same(config_path()) == same(folder / "preferences.json")


@pytest.mark.parametrize("user", ["Fatima Zahra", "فاطمة الزهراء"])
def test_the_default_database_works_under_a_user_folder_with_spaces_or_arabic_letters(
    user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "Users" / user
    local = profile / "AppData" / "Local"
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", str(local))  # Windows
    monkeypatch.setenv("XDG_DATA_HOME", str(local))  # Linux
    database = paths.default_database_path()
    assert database.is_relative_to(profile)

    assert main(["demo"]) == 0  # no --db: the default database in the user's data folder
    assert database.is_file()
    assert main(["check"]) == 0 and "OK" in capsys.readouterr().out
    assert main(["grants", "--json"]) == 0
    number = json.loads(capsys.readouterr().out)[0]["number"]
    sheets = {lang: profile / "Documents" / f"fiche de don {lang}.pdf" for lang in ("fr", "ar")}
    for lang, sheet in sheets.items():
        sheet.parent.mkdir(exist_ok=True)
        assert main(["print-grant", number, "--lang", lang, "--out", str(sheet)]) == 0
        assert sheet.read_bytes().startswith(b"%PDF")
    assert main(["backup"]) == 0  # into the backups folder next to the database
    copies = list(paths.default_backup_dir().glob("*.sqlite3"))
    assert len(copies) == 1 and copies[0].is_relative_to(profile)
    capsys.readouterr()
    assert main(["restore", str(copies[0])]) == 0
    assert "kept as" in capsys.readouterr().out
    assert main(["check"]) == 0
