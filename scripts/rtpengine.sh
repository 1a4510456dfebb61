#!/usr/bin/env bash
# Runs rtpengine in userspace (no kernel module, no root) as the current user:
# the media relay that bridges WebRTC (ICE, DTLS-SRTP) from the desks to plain
# RTP for phones and trunks. Kamailio drives it over the NG protocol.
#
#   scripts/rtpengine.sh start --dir DIR [--ip 127.0.0.1] [--ng-port 22222]
#                              [--port-min 30000] [--port-max 30999]
#   scripts/rtpengine.sh stop --dir DIR
#
# `start` returns once rtpengine answers an NG ping and prints `rtpengine: ready …`.
# rtpengine comes from Debian: bash scripts/system-deps.sh telephony.
set -euo pipefail

cmd=${1:-}
[ -n "$cmd" ] && shift
dir='' ip=127.0.0.1 ng_port=22222 port_min=30000 port_max=30999
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --ip) ip=$2; shift 2 ;;
    --ng-port) ng_port=$2; shift 2 ;;
    --port-min) port_min=$2; shift 2 ;;
    --port-max) port_max=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "rtpengine.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || { echo "rtpengine.sh: --dir is required" >&2; exit 2; }
pidfile="$dir/rtpengine.pid"

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# An NG ping over UDP: "<cookie> d7:command4:pinge" → "<cookie> d6:result4:ponge".
# Node, which the project needs anyway: bash's /dev/udp cannot wait for a reply without a newline.
ng_ping() {
  node -e '
    const s = require("dgram").createSocket("udp4");
    const done = (code) => { s.close(); process.exit(code); };
    s.on("message", (m) => done(m.includes("pong") ? 0 : 1));
    s.on("error", () => done(1));
    setTimeout(() => done(1), 500);
    s.send("p d7:command4:pinge", Number(process.argv[2]), process.argv[1]);
  ' "$ip" "$ng_port" 2>/dev/null
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "rtpengine: stopped (pid $pid)"
}

start() {
  command -v rtpengine >/dev/null 2>&1 || {
    echo "rtpengine.sh: rtpengine not installed — run: sudo bash scripts/system-deps.sh telephony" >&2
    exit 1
  }
  if running_pid >/dev/null; then
    echo "rtpengine.sh: already running in $dir" >&2
    exit 1
  fi
  mkdir -p "$dir"
  local log="$dir/rtpengine.log"
  # --config-file=none: ignore /etc/rtpengine/rtpengine.conf; --table=-1: userspace forwarding only.
  rtpengine --config-file=none --table=-1 --foreground --log-stderr --log-level=5 \
    --interface="$ip" --listen-ng="$ip:$ng_port" --port-min="$port_min" --port-max="$port_max" \
    --pidfile="$dir/rtpengine.self.pid" </dev/null >"$log" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"
  for _ in $(seq 1 50); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "rtpengine.sh: rtpengine exited at start:" >&2
      tail -n 20 "$log" >&2
      rm -f "$pidfile"
      exit 1
    fi
    if ng_ping; then
      echo "rtpengine: ready pid $pid ng udp:$ip:$ng_port media $ip:$port_min-$port_max"
      return 0
    fi
    sleep 0.1
  done
  echo "rtpengine.sh: no answer to an NG ping on $ip:$ng_port after 5 s" >&2
  tail -n 20 "$log" >&2
  stop >/dev/null
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
