"""What goes into the PyInstaller bundle, kept out of the spec so it can be unit-tested.

The bundle layout mirrors the source tree, because ksm_desktop/paths.py looks for the same relative
paths under `sys._MEIPASS` when frozen:

    <_MEIPASS>/resources/...                                icons, fonts (the whole folder)
    <_MEIPASS>/translations/<lang>/LC_MESSAGES/messages.mo  (and .po as a fallback)
    <_MEIPASS>/ksm_desktop/db/migrations/...                Alembic env.py, script.py.mako, versions/*.py
    <_MEIPASS>/ksm_desktop/db/reference/*.json
    <_MEIPASS>/PySide6/[Qt/]translations/qtbase_{fr,ar}.qm  where QLibraryInfo looks in a frozen app
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_LANGUAGES = ("fr", "ar")
# Qt modules and packages a widgets desktop app does not use; excluding them keeps the bundle small.
EXCLUDES = [
    "tkinter",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtBluetooth",
    "PySide6.QtDesigner",
    "PySide6.QtLocation",
    "PySide6.QtPositioning",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtNetworkAuth",
    "PySide6.QtHttpServer",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtTest",
    "pytest",
    "pytest_qt",
    "hypothesis",
    "mypy",
    "IPython",
    "pygments",  # only for mako.ext (syntax-highlighted template errors), pulled in by its hook
    "tests",
]

Entry = tuple[str, str]  # (source file, destination folder inside the bundle), as PyInstaller wants


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def _entries(files: list[Path], root: Path) -> list[Entry]:
    return [(str(p), p.parent.relative_to(root).as_posix()) for p in files]


def data_files(root: Path = ROOT) -> list[Entry]:
    """Every data file of the application, at the same relative place as in the source tree."""
    files = _files(root / "resources", "**/*")
    files += _files(root / "translations", "*/LC_MESSAGES/*.mo")
    files += _files(root / "translations", "*/LC_MESSAGES/*.po")
    # Alembic imports env.py and the revisions as source files from its script location.
    migrations = root / "ksm_desktop" / "db" / "migrations"
    files += [p for p in _files(migrations, "**/*") if p.suffix not in {".pyc", ".pyo"}]
    files += _files(root / "ksm_desktop" / "db" / "reference", "*.json")
    return _entries(files, root)


def qt_translation_files(
    qt_translations: Path, package_parent: Path, languages: tuple[str, ...] = QT_LANGUAGES
) -> list[Entry]:
    """Qt's own catalogs (standard dialogs, context menus) for the languages KSM Desktop speaks.

    `qt_translations` is QLibraryInfo's TranslationsPath at build time (PySide6/translations on
    Windows, PySide6/Qt/translations elsewhere); the files keep that place relative to
    `package_parent` (site-packages), which is where QLibraryInfo looks in the frozen program.
    """
    found = [qt_translations / f"qtbase_{lang}.qm" for lang in languages]
    missing = [p.name for p in found if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"Qt translations not found in {qt_translations}: {', '.join(missing)}")
    dest = qt_translations.resolve().relative_to(package_parent.resolve()).as_posix()
    return [(str(p), dest) for p in found]


def is_unwanted(dest: str, languages: tuple[str, ...] = QT_LANGUAGES) -> bool:
    """True for files PyInstaller's hooks add that KSM Desktop never uses (dest: path in the bundle).

    - Qt's .qm catalogs of other languages (the hooks add every language);
    - Babel's CLDR data of other locales (formatting uses fr_MA, ar_MA, en_GB and their parents);
    - the Qt virtual keyboard input plugin, which drags in QtQuick and QML (a widgets app needs neither).
    """
    dest = dest.replace("\\", "/")
    qm = re.search(r"(?:^|/)translations/[a-z_]+?_([a-z]{2})(?:_[A-Za-z]+)?\.qm$", dest)
    if qm:
        return qm.group(1) not in languages
    cldr = re.search(r"(?:^|/)babel/locale-data/([A-Za-z]+)[^/]*\.dat$", dest)
    if cldr:
        return cldr.group(1) not in {"root", "fr", "ar", "en"}
    name = dest.rsplit("/", 1)[-1]
    return (
        "virtualkeyboard" in name.lower()
        or re.match(r"(lib)?Qt6(Quick|Qml|VirtualKeyboard)", name) is not None
    )


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows wants for a PEP 440 version: 1.2.3rc1 -> (1, 2, 3, 0)."""
    release = re.match(r"^\s*v?(\d+(?:\.\d+)*)", version)
    if release is None:
        raise ValueError(f"not a version number: {version!r}")
    parts = [int(n) for n in release.group(1).split(".")][:4]
    padded = (*parts, 0, 0, 0, 0)
    return (padded[0], padded[1], padded[2], padded[3])


def windows_version_info(version: str, app_name: str, org_name: str, exe_name: str) -> str:
    """The text of a PyInstaller version file (the Details tab of the .exe's properties)."""
    numbers = version_numbers(version)
    strings = {
        "CompanyName": org_name,
        "FileDescription": app_name,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": f"{org_name} (Karama Solidarity Maroc), GPL-3.0-or-later",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": app_name,
        "ProductVersion": version,
    }
    string_structs = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
{string_structs}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def write_version_module(version: str, root: Path = ROOT) -> Path:
    """ksm_desktop/_version.py, read by ksm_desktop.read_version() in the frozen program."""
    path = root / "ksm_desktop" / "_version.py"
    path.write_text(
        f'"""Written by packaging/ksm_desktop.spec at build time; not in git."""\n\nVERSION = {version!r}\n',
        "utf-8",
    )
    return path


def iscc_defines(version: str) -> list[str]:
    """Inno Setup command-line defines: the version as shown, and as the four numbers Windows needs."""
    return [f"/DAppVersion={version}", "/DFileVersion=" + ".".join(map(str, version_numbers(version)))]


if __name__ == "__main__":  # `python packaging/bundle_support.py`: the defines for iscc, one a line
    sys.path.insert(0, str(ROOT))
    from ksm_desktop import read_version

    print("\n".join(iscc_defines(read_version(ROOT))))
