#!/usr/bin/env bash
# The one place that installs the Debian packages Ieum's tests and demos need.
#
#   scripts/system-deps.sh [--check] [group...]     (default group: test)
#
# Groups:
#   test       chromium, postgresql, fonts-noto-cjk — what `npm test` needs
#   build      g++, make, python3 — what `npm ci` needs to compile better-sqlite3
#              when its prebuilt binary cannot be downloaded (air-gapped, CI)
#   telephony  kamailio + modules, rtpengine, baresip, sipp — the real SIP path
#   mail       dovecot-imapd, postfix — the real IMAP/SMTP the email channel is tested on
#
# It installs only what is missing (apt-get, as root or through `sudo -n`), and
# is silent when everything is already there. `--check` only reports: exit 0
# when all is present, 1 when something is missing. Without root or password-less
# sudo it fails with one message naming the packages and the command to run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

group_packages() {
  case "$1" in
    test) echo chromium postgresql fonts-noto-cjk ;;
    build) echo g++ make python3 ;;
    telephony)
      echo kamailio kamailio-websocket-modules kamailio-autheph-modules kamailio-utils-modules kamailio-tls-modules \
        rtpengine-daemon baresip sip-tester
      ;;
    mail) echo dovecot-imapd postfix ;;
    *) return 1 ;;
  esac
}

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

check_only=0
groups=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "system-deps: unknown option $arg" >&2; usage >&2; exit 2 ;;
    *) groups+=("$arg") ;;
  esac
done
[ ${#groups[@]} -eq 0 ] && groups=(test)

wanted=()
for g in "${groups[@]}"; do
  if ! pkgs=$(group_packages "$g"); then
    echo "system-deps: unknown group '$g' (groups: test, build, telephony, mail)" >&2
    exit 2
  fi
  # shellcheck disable=SC2206 # word splitting of the package list is intended
  wanted+=($pkgs)
done

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: dpkg-query not found — this script supports Debian/Ubuntu only." >&2
  echo "system-deps: install these packages with your system's package manager: ${wanted[*]}" >&2
  exit 1
fi

installed() {
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]
}

missing_packages() {
  local p
  for p in "${wanted[@]}"; do
    installed "$p" || echo "$p"
  done
}

mapfile -t missing < <(missing_packages | awk '!seen[$0]++')
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$check_only" -eq 1 ]; then
  echo "system-deps: missing: ${missing[*]}"
  echo "system-deps: install with: sudo bash scripts/system-deps.sh ${groups[*]}"
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
else
  echo "system-deps: missing Debian packages: ${missing[*]} — run as root:" \
    "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

apt_get() {
  # Wait for a dpkg lock held by unattended-upgrades on a freshly booted machine
  # instead of failing at once.
  "${as_root[@]}" apt-get -q -o DPkg::Lock::Timeout=600 "$@"
}

lists_empty() {
  ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

echo "system-deps: installing ${missing[*]}"
if lists_empty; then
  apt_get update
  apt_get install -y --no-install-recommends "${missing[@]}"
elif ! apt_get install -y --no-install-recommends "${missing[@]}"; then
  # Stale or partial package lists: refresh once, then try again.
  echo "system-deps: install failed; refreshing package lists and retrying"
  apt_get update
  apt_get install -y --no-install-recommends "${missing[@]}"
fi

mapfile -t still < <(missing_packages | awk '!seen[$0]++')
if [ ${#still[@]} -ne 0 ]; then
  echo "system-deps: still missing after apt-get: ${still[*]}" >&2
  exit 1
fi
echo "system-deps: installed ${missing[*]}"
