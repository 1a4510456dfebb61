; Ieum Desk NSIS additions (electron-builder `nsis.include`).
; Silent install with the hub preset from the command line:
;   "Ieum Desk Setup 0.2.0.exe" /S /HUB=https://hub-seoul.example.internal:7300
; writes ieum.json beside "Ieum Desk.exe"; the desk reads it on each user's
; first start. (Only the address: the center's name comes from the hub at
; sign-in, so no non-ASCII text has to pass through NSIS file writes.)
!include "FileFunc.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/HUB=" $R1
  ${IfNot} ${Errors}
    FileOpen $R2 "$INSTDIR\ieum.json" w
    FileWrite $R2 '{ "hubUrl": "$R1" }'
    FileClose $R2
  ${EndIf}
!macroend

!macro customUnInstall
  Delete "$INSTDIR\ieum.json"
!macroend
