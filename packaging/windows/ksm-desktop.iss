; Inno Setup script for KSM Desktop: per-user install, no administrator rights.
;   iscc /DAppVersion=0.1.0 /DFileVersion=0.1.0.0 packaging\windows\ksm-desktop.iss
; `python packaging/bundle_support.py` prints these defines from pyproject's version (as
; packaging/build_windows.ps1 and the CI workflow do); SourceDir defaults to the PyInstaller folder.
; Output: dist\installer\KSM-Desktop-<version>-setup.exe.
; The user's data (%LOCALAPPDATA%\KSM\KSM Desktop: database, backups, preferences, logs) is never
; installed or removed by this script, so uninstalling or upgrading keeps it.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#ifndef FileVersion
  #define FileVersion AppVersion
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\ksm-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installer"
#endif

#define AppName "KSM Desktop"
#define AppPublisher "Karama Solidarity Maroc (KSM)"
#define AppExe "ksm-desktop.exe"

[Setup]
; Never change AppId: it is how a new version finds and upgrades the installed one.
AppId={{6F3B2C1E-8D4A-4B7E-9C2F-0A5D1E7B3C94}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#FileVersion}
VersionInfoProductName={#AppName}
VersionInfoCompany={#AppPublisher}
; Per-user install in %LOCALAPPDATA%\Programs\KSM Desktop: no UAC prompt, no administrator.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupIconFile=..\..\resources\icons\ksm-desktop.ico
OutputDir={#OutputDir}
OutputBaseFilename=KSM-Desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Upgrading: close the running program, replace the files in place.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
; Arabic.isl ships with Inno Setup 6.5 and later; older compilers build a French/English installer.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Arabic.isl")
Name: "arabic"; MessagesFile: "compiler:Languages\Arabic.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program folder's contents: no stale library from an older version survives.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry for the data folder: uninstalling removes the program only.
