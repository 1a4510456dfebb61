#!/usr/bin/env bash
# Renders resources/kamailio/kamailio.cfg.tmpl and runs Kamailio as the current
# user (no root): pid file, control socket, config and log all in one run dir.
#
#   scripts/kamailio.sh start --dir DIR [--ip 127.0.0.1] [--sip-port 5060] [--ws-port 8080]
#                             [--domain ieum.local] [--secret S] [--ring-seconds 30] [--debug N]
#                             [--rtpengine udp:127.0.0.1:22222]   (scripts/rtpengine.sh)
#                             [--hub-url http://127.0.0.1:7300] [--queue-wait 10]  (queue numbers)
#                             [--waiting-callers 16]  (callers waiting for an agent at once)
#                             [--wss-port 8443 --tls-cert CERT.pem --tls-key KEY.pem]  (wss:// for desks)
#   scripts/kamailio.sh stop --dir DIR
#   scripts/kamailio.sh status --dir DIR
#
# The secret is the one the hub signs SIP credentials with: --secret, else
# IEUM_SIP_SECRET. `start` returns once the WebSocket port accepts connections
# and prints `kamailio: ready …`; on failure it prints the log's tail and exits 1.
# Kamailio comes from Debian: bash scripts/system-deps.sh telephony.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
template="$root/resources/kamailio/kamailio.cfg.tmpl"

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

cmd=${1:-}
[ -n "$cmd" ] && shift
dir='' ip=127.0.0.1 sip_port=5060 ws_port=8080 domain=ieum.local ring=30 debug=1 rtpengine='' hub_url='' queue_wait=10
waiting_callers=16 wss_port='' tls_cert='' tls_key=''
secret=${IEUM_SIP_SECRET:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --ip) ip=$2; shift 2 ;;
    --sip-port) sip_port=$2; shift 2 ;;
    --ws-port) ws_port=$2; shift 2 ;;
    --domain) domain=$2; shift 2 ;;
    --secret) secret=$2; shift 2 ;;
    --ring-seconds) ring=$2; shift 2 ;;
    --debug) debug=$2; shift 2 ;;
    --rtpengine) rtpengine=$2; shift 2 ;;
    --hub-url) hub_url=${2%/}; shift 2 ;;
    --queue-wait) queue_wait=$2; shift 2 ;;
    --waiting-callers) waiting_callers=$2; shift 2 ;;
    --wss-port) wss_port=$2; shift 2 ;;
    --tls-cert) tls_cert=$2; shift 2 ;;
    --tls-key) tls_key=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "kamailio.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || { echo "kamailio.sh: --dir is required" >&2; exit 2; }
pidfile="$dir/kamailio.pid"

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  # The group, not only the main process: children may linger after it.
  [ -n "$pid" ] && { kill -0 "$pid" 2>/dev/null || pgrep -g "$pid" >/dev/null 2>&1; } && echo "$pid"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    return 0
  fi
  # Kamailio's main process stops its children on SIGTERM; the process group
  # (its own, from setsid) catches any that linger.
  kill -TERM "$pid" 2>/dev/null || true
  # Returns only when the whole group is gone: the children outlive the main
  # process by a moment while they shut down.
  for _ in $(seq 1 50); do
    pgrep -g "$pid" >/dev/null 2>&1 || break
    sleep 0.1
  done
  if pgrep -g "$pid" >/dev/null 2>&1; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      pgrep -g "$pid" >/dev/null 2>&1 || break
      sleep 0.1
    done
  fi
  rm -f "$pidfile"
  echo "kamailio: stopped (pid $pid)"
}

modules_dir() {
  local d
  for d in /usr/lib/*/kamailio/modules /usr/lib/kamailio/modules /usr/lib64/kamailio/modules; do
    [ -f "$d/websocket.so" ] && { echo "$d"; return 0; }
  done
  return 1
}

start() {
  command -v kamailio >/dev/null 2>&1 || {
    echo "kamailio.sh: kamailio not installed — run: sudo bash scripts/system-deps.sh telephony" >&2
    exit 1
  }
  [ -n "$secret" ] || { echo "kamailio.sh: --secret or IEUM_SIP_SECRET is required" >&2; exit 2; }
  case "$secret" in *'"'* | *'\'* | *'|'*) echo "kamailio.sh: the secret may not contain \" \\ or |" >&2; exit 2 ;; esac
  local mods
  mods=$(modules_dir) || {
    echo "kamailio.sh: Kamailio's websocket module not found — run: sudo bash scripts/system-deps.sh telephony" >&2
    exit 1
  }
  if running_pid >/dev/null; then
    echo "kamailio.sh: already running in $dir (pid $(cat "$pidfile"))" >&2
    exit 1
  fi
  mkdir -p "$dir"
  local cfg="$dir/kamailio.cfg" log="$dir/kamailio.log" rtpe_define=''
  [ -n "$rtpengine" ] && rtpe_define='#!define WITH_RTPENGINE'
  # Queue numbers: Kamailio asks the hub, with a token derived from the shared
  # secret (the hub computes the same: server/telephony/queue-calls.ts).
  local hub_define='' hub_token=''
  if [ -n "$hub_url" ]; then
    case "$hub_url" in http://* | https://*) ;; *) echo "kamailio.sh: --hub-url must be http(s)://…" >&2; exit 2 ;; esac
    case "$hub_url" in *'|'* | *'"'*) echo "kamailio.sh: --hub-url may not contain | or \"" >&2; exit 2 ;; esac
    case "$queue_wait" in '' | *[!0-9]*) echo "kamailio.sh: --queue-wait must be whole seconds" >&2; exit 2 ;; esac
    case "$waiting_callers" in '' | 0 | *[!0-9]*) echo "kamailio.sh: --waiting-callers must be a positive number" >&2; exit 2 ;; esac
    command -v openssl >/dev/null 2>&1 || { echo "kamailio.sh: --hub-url needs openssl" >&2; exit 1; }
    hub_define='#!define WITH_HUB'
    hub_token=$(printf '%s' 'ieum-kamailio-route' | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= //')
  fi
  # wss:// for desks: Kamailio's own TLS with the given certificate and key.
  # With wss:// the plain WebSocket port serves only this host (a local TLS proxy, tests).
  local tls_define='' ws_ip=$ip
  if [ -n "$wss_port$tls_cert$tls_key" ]; then
    ws_ip=127.0.0.1
    [ -n "$wss_port" ] && [ -n "$tls_cert" ] && [ -n "$tls_key" ] || {
      echo "kamailio.sh: --wss-port, --tls-cert and --tls-key go together" >&2
      exit 2
    }
    case "$wss_port" in *[!0-9]*) echo "kamailio.sh: --wss-port must be a port number" >&2; exit 2 ;; esac
    for f in "$tls_cert" "$tls_key"; do
      [ -r "$f" ] || { echo "kamailio.sh: cannot read $f" >&2; exit 2; }
    done
    [ -n "$mods" ] && [ -f "$mods/tls.so" ] || {
      echo "kamailio.sh: Kamailio's tls module is missing — run: sudo bash scripts/system-deps.sh telephony" >&2
      exit 1
    }
    tls_define='#!define WITH_TLS'
    (
      umask 077
      printf '%s\n' \
        '# Written by scripts/kamailio.sh: the certificate desks see on wss://.' \
        '[server:default]' 'method = TLSv1.2+' 'verify_certificate = no' 'require_certificate = no' \
        "certificate = $(realpath "$tls_cert")" "private_key = $(realpath "$tls_key")" \
        '[client:default]' 'method = TLSv1.2+' 'verify_certificate = yes' 'require_certificate = yes' \
        >"$dir/tls.cfg"
    )
  fi
  (
    umask 077 # the rendered config holds the secret
    sed -e "s|{{LISTEN_IP}}|$ip|g" \
      -e "s|{{SIP_PORT}}|$sip_port|g" \
      -e "s|{{WS_PORT}}|$ws_port|g" \
      -e "s|{{SIP_DOMAIN}}|$domain|g" \
      -e "s|{{SIP_SECRET}}|$secret|g" \
      -e "s|{{RUN_DIR}}|$dir|g" \
      -e "s|{{MODULES_DIR}}|$mods|g" \
      -e "s|{{RING_SECONDS}}|$ring|g" \
      -e "s|{{RING_MS}}|$((ring * 1000))|g" \
      -e "s|{{CHILDREN}}|2|g" \
      -e "s|{{LOG_LEVEL}}|$debug|g" \
      -e "s|{{LOG_PREFIX}}|kamailio[$ws_port]|g" \
      -e "s|{{RTPENGINE_DEFINE}}|$rtpe_define|g" \
      -e "s|{{RTPENGINE_SOCK}}|$rtpengine|g" \
      -e "s|{{HUB_DEFINE}}|$hub_define|g" \
      -e "s|{{HUB_URL}}|$hub_url|g" \
      -e "s|{{HUB_TOKEN}}|$hub_token|g" \
      -e "s|{{QUEUE_WAIT}}|$queue_wait|g" \
      -e "s|{{ASYNC_WORKERS}}|$waiting_callers|g" \
      -e "s|{{TLS_DEFINE}}|$tls_define|g" \
      -e "s|{{WS_IP}}|$ws_ip|g" \
      -e "s|{{WSS_PORT}}|${wss_port:-$ws_port}|g" \
      -e "s|{{HUB_TIMEOUT}}|$((queue_wait + 5))|g" \
      "$template" >"$cfg"
  )
  if ! kamailio -c -f "$cfg" >"$dir/check.log" 2>&1; then
    echo "kamailio.sh: the rendered config does not parse:" >&2
    tail -n 20 "$dir/check.log" >&2
    exit 1
  fi
  # Foreground (-DD) in its own session, so stop can take the whole group.
  setsid kamailio -DD -E -f "$cfg" -Y "$dir" -w "$dir" -m 64 -M 8 </dev/null >"$log" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "kamailio.sh: kamailio exited at start:" >&2
      tail -n 30 "$log" >&2
      rm -f "$pidfile"
      exit 1
    fi
    if (exec 3<>"/dev/tcp/$ws_ip/$ws_port") 2>/dev/null; then
      echo "kamailio: ready pid $pid sip:$ip:$sip_port ws://$ws_ip:$ws_port${wss_port:+ wss://$ip:$wss_port} domain $domain"
      return 0
    fi
    sleep 0.1
  done
  echo "kamailio.sh: WebSocket port $ws_port not open after 10 s" >&2
  tail -n 30 "$log" >&2
  stop >/dev/null
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then echo "kamailio: running pid $pid"; else echo "kamailio: stopped"; exit 3; fi
    ;;
  *) usage >&2; exit 2 ;;
esac
