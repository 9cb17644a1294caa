; Inno Setup script: per-user installer of the frozen Tolk app (no administrator rights).
;
;   iscc /DAppVersion=0.1.0 /DBundleDir=C:\path\to\dist\tolk /DOutputDir=C:\path\to\dist ^
;        packaging\windows\tolk.iss
;
; BundleDir is the one-folder build of packaging/build.py (tolk.exe, tolk-gui.exe, _internal).
; The user's models and logs (%LOCALAPPDATA%\tolk) and settings (%APPDATA%\tolk\tolk.ini)
; are not the installer's: they survive an uninstall. check_with_wine.sh exercises this script.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (the release workflow reads it from the package)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\tolk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
; Per-user: {autopf} is %LOCALAPPDATA%\Programs without administrator rights. Wine has no
; such known folder, so check_with_wine.sh passes /DProgramsDir={localappdata}\Programs.
#ifndef ProgramsDir
  #define ProgramsDir "{autopf}"
#endif

[Setup]
; The AppId identifies Tolk across versions: upgrades replace, the uninstaller finds it.
AppId={{6F1B2C4E-8D3A-4B7F-9E21-5C0A7D94B3E8}
AppName=Tolk
AppVersion={#AppVersion}
AppVerName=Tolk {#AppVersion}
AppPublisher=Tolk
PrivilegesRequired=lowest
DefaultDirName={#ProgramsDir}\Tolk
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
; The PATH task edits HKCU\Environment: tell Explorer, so that new terminals find `tolk`.
ChangesEnvironment=yes

[Tasks]
Name: "addtopath"; Description: "Add the tolk command to PATH"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the libraries whole: a module left over from the previous version can
; shadow its replacement (a package folder wins over a module file of the same name).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Tolk"; Filename: "{app}\tolk-gui.exe"; Comment: "Translate text and documents offline"
Name: "{autodesktop}\Tolk"; Filename: "{app}\tolk-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tolk-gui.exe"; Description: "{cm:LaunchProgram,Tolk}"; Flags: nowait postinstall skipifsilent

[Code]
const
  EnvironmentKey = 'Environment';

{ Whether a PATH entry names the app folder: Windows compares paths without regard to case,
  and an entry may be quoted or end in a backslash. }
function IsAppDir(Entry: String): Boolean;
begin
  Entry := RemoveBackslashUnlessRoot(RemoveQuotes(Trim(Entry)));
  Result := SameText(Entry, ExpandConstant('{app}'));
end;

{ Appends the app folder to the user's Path unless it is there already (a reinstall adds
  nothing). expandsz, as Windows itself writes it: other entries may use %VARIABLES%. }
procedure AddAppToPath;
var
  Path: String;
  Entries: TArrayOfString;
  I: Integer;
begin
  if not RegQueryStringValue(HKCU, EnvironmentKey, 'Path', Path) then
    Path := '';
  Entries := StringSplit(Path, [';'], stAll);
  for I := 0 to GetArrayLength(Entries) - 1 do
    if IsAppDir(Entries[I]) then
      Exit;
  if (Path <> '') and (Path[Length(Path)] <> ';') then
    Path := Path + ';';
  if not RegWriteExpandStringValue(HKCU, EnvironmentKey, 'Path', Path + ExpandConstant('{app}')) then
    Log('Could not add the app folder to the user Path');
end;

{ Removes the app folder's entries from the user's Path; every other entry stays, in order. }
procedure RemoveAppFromPath;
var
  Path: String;
  Entries, Kept: TArrayOfString;
  I, Count: Integer;
begin
  if not RegQueryStringValue(HKCU, EnvironmentKey, 'Path', Path) then
    Exit;
  Entries := StringSplit(Path, [';'], stAll);
  SetArrayLength(Kept, GetArrayLength(Entries));
  Count := 0;
  for I := 0 to GetArrayLength(Entries) - 1 do
    if not IsAppDir(Entries[I]) then begin
      Kept[Count] := Entries[I];
      Count := Count + 1;
    end;
  if Count = GetArrayLength(Entries) then
    Exit;
  SetArrayLength(Kept, Count);
  { An empty user Path means the same as none: leave no empty value behind. }
  if Count = 0 then
    RegDeleteValue(HKCU, EnvironmentKey, 'Path')
  else if not RegWriteExpandStringValue(HKCU, EnvironmentKey, 'Path', StringJoin(';', Kept)) then
    Log('Could not remove the app folder from the user Path');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  { Setup broadcasts the environment change after ssPostInstall. Unticking the task on a
    reinstall takes the folder off the Path again. }
  if CurStep = ssPostInstall then
    if WizardIsTaskSelected('addtopath') then
      AddAppToPath
    else
      RemoveAppFromPath;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { usUninstall, not usPostUninstall: the uninstaller broadcasts the environment change
    while it removes the files, which is before usPostUninstall. }
  if CurUninstallStep = usUninstall then
    RemoveAppFromPath;
end;
