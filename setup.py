"""The build step pyproject.toml cannot declare: the top-level resources/ (fonts, icons) and the
translations (compiled to .mo here, from the .po files) go inside the package of a wheel, where
ksm_desktop/paths.py looks for them in a regular install. Editable installs read them in place."""

from __future__ import annotations

import shutil
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    """build_py, then resources/ and the compiled catalogs under ksm_desktop/ in the build."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "ksm_desktop"
        shutil.copytree(ROOT / "resources", package / "resources", dirs_exist_ok=True)
        for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po")):
            lang = po.parent.parent.name
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            buf = BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            mo = package / "translations" / lang / "LC_MESSAGES" / po.with_suffix(".mo").name
            mo.parent.mkdir(parents=True, exist_ok=True)
            mo.write_bytes(buf.getvalue())


setup(cmdclass={"build_py": BuildWithData})
