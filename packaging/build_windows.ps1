# Build the Windows bundle and installer from a clean checkout (PowerShell, from the repository root):
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -e .[dev,bundle]
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
# Needs Inno Setup 6 (winget install JRSoftware.InnoSetup, or choco install innosetup).
# Output: dist\ksm-desktop\ (the program folder) and dist\installer\KSM-Desktop-<version>-setup.exe.
param(
    [string]$Python = ".venv\Scripts\python.exe",
    [switch]$SkipSmokeTest
)
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$version = (& $Python -c "from ksm_desktop import read_version; print(read_version())").Trim()
if ($LASTEXITCODE -ne 0 -or -not $version) { throw "could not read the version from pyproject.toml" }
Write-Host "KSM Desktop $version"

Invoke-Checked $Python @("-m", "ksm_desktop.i18n.catalogs", "compile")
Invoke-Checked $Python @("-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", "dist", "--workpath", "build", "packaging\ksm_desktop.spec")
if (-not $SkipSmokeTest) {
    Invoke-Checked $Python @("packaging\smoke_test.py", "dist\ksm-desktop")
}

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
              "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found: winget install JRSoftware.InnoSetup" }
$defines = @(& $Python packaging\bundle_support.py)
if ($LASTEXITCODE -ne 0) { throw "could not compute the installer's version defines" }
Invoke-Checked $iscc ($defines + @("packaging\windows\ksm-desktop.iss"))
Get-ChildItem dist\installer\*.exe | ForEach-Object { Write-Host "installer: $($_.FullName) ($([math]::Round($_.Length / 1MB)) MB)" }
