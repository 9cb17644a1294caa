; Inno Setup script: per-user installer of the frozen Tolk app (no administrator rights).
;
;   iscc /DAppVersion=0.1.0 /DBundleDir=C:\path\to\dist\tolk /DOutputDir=C:\path\to\dist ^
;        packaging\windows\tolk.iss
;
; BundleDir is the one-folder build of packaging/build.py (tolk.exe, tolk-gui.exe, _internal).
; The user's models and settings live in %LOCALAPPDATA%\tolk and survive an uninstall.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (the release workflow reads it from the package)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\tolk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; The AppId identifies Tolk across versions: upgrades replace, the uninstaller finds it.
AppId={{6F1B2C4E-8D3A-4B7F-9E21-5C0A7D94B3E8}
AppName=Tolk
AppVersion={#AppVersion}
AppVerName=Tolk {#AppVersion}
AppPublisher=Tolk
; Per-user: {autopf} is %LOCALAPPDATA%\Programs without administrator rights.
PrivilegesRequired=lowest
DefaultDirName={autopf}\Tolk
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\LICENSE
SetupIconFile=..\icons\tolk.ico
UninstallDisplayIcon={app}\tolk-gui.exe
UninstallDisplayName=Tolk
OutputDir={#OutputDir}
OutputBaseFilename=tolk-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running Tolk holds its DLLs open: ask to close it before files are replaced.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Tolk"; Filename: "{app}\tolk-gui.exe"; Comment: "Translate text and documents offline"
Name: "{autodesktop}\Tolk"; Filename: "{app}\tolk-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tolk-gui.exe"; Description: "{cm:LaunchProgram,Tolk}"; Flags: nowait postinstall skipifsilent

