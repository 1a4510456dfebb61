#!/usr/bin/env bash
# A private Postfix (SMTP) and Dovecot (IMAP) pair on loopback, for tests and
# demos: configs, queue, Maildirs, logs and pid files all in one run dir; no
# system service is touched and no well-known port is used.
#
#   scripts/mail-dev.sh start [--dir DIR] [--smtp-port 2525] [--imap-port 2143]
#                             [--domains "ieum.test customer.test"]
#                             [--user ADDRESS:PASSWORD]...   (default: demo mailboxes)
#                             [--bounce ADDRESS]...          (accepted, then bounced with a DSN)
#   scripts/mail-dev.sh stop [--dir DIR]
#   scripts/mail-dev.sh status [--dir DIR]
#
# DIR defaults to .ieum-data/mail. Every --user is an IMAP login (the full
# address) and a mailbox Postfix delivers to (virtual(8) into DIR/mail/ADDRESS/Maildir).
# Postfix relays for 127.0.0.0/8 without authentication, so the hub sends with
# no SMTP login. A --bounce address is accepted at RCPT and then bounced by
# Postfix's local(8) agent (no such user), so the sender gets a real delivery
# report. `start` returns once both ports accept connections and prints
# `mail: ready …`; on failure it prints the logs' tails and exits 1.
#
# Postfix's master must start as root (it drops to the postfix user), so this
# needs root or password-less sudo; the packages come from
# bash scripts/system-deps.sh mail.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }

cmd=${1:-}
[ -n "$cmd" ] && shift
dir="$root/.ieum-data/mail" smtp_port=2525 imap_port=2143 domains='ieum.test customer.test'
users=()
bounces=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --smtp-port) smtp_port=$2; shift 2 ;;
    --imap-port) imap_port=$2; shift 2 ;;
    --domains) domains=$2; shift 2 ;;
    --user) users+=("$2"); shift 2 ;;
    --bounce) bounces+=("$2"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "mail-dev.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ ${#users[@]} -eq 0 ] && users=('support@ieum.test:support' 'customer@customer.test:customer')

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "mail-dev.sh: Postfix's master runs as root; run this as root or with password-less sudo" >&2
  exit 1
fi

# Mail is owned by one unprivileged account that both virtual(8) and Dovecot use.
vmail_uid=$(id -u nobody) vmail_gid=$(id -g nobody)

postfix_cmd() { "${as_root[@]}" /usr/sbin/postfix -c "$dir/postfix" "$@"; }

wait_port() {
  local port=$1 i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

render() {
  mkdir -p "$dir/postfix/queue" "$dir/postfix/data" "$dir/dovecot/run" "$dir/mail"
  chmod 0755 "$dir" "$dir/mail"
  local maps="$dir/postfix/vmailbox" passwd="$dir/dovecot/users" transport="$dir/postfix/transport" u address password
  : >"$maps"
  : >"$passwd"
  : >"$transport"
  for address in "${bounces[@]}"; do
    echo "$address $address/Maildir/" >>"$maps"
    # Not error(8): smtpd refuses those at RCPT. local(8) finds no such user
    # after the mail was accepted and bounces it.
    echo "$address local:" >>"$transport"
  done
  for u in "${users[@]}"; do
    address=${u%%:*} password=${u#*:}
    echo "$address $address/Maildir/" >>"$maps"
    # The password is the test account's, kept in the run dir only.
    echo "$address:{PLAIN}$password:$vmail_uid:$vmail_gid::$dir/mail/$address" >>"$passwd"
    mkdir -p "$dir/mail/$address/Maildir/"{cur,new,tmp}
  done
  "${as_root[@]}" chown -R "$vmail_uid:$vmail_gid" "$dir/mail"
  # Postfix wants its queue owned by root and its data dir by its own user.
  "${as_root[@]}" chown root "$dir/postfix/queue"
  "${as_root[@]}" chown postfix "$dir/postfix/data"
  # Dovecot's auth process (user dovecot) reads it; nobody else may.
  "${as_root[@]}" chown "root:$(id -gn dovecot)" "$passwd"
  "${as_root[@]}" chmod 0640 "$passwd"

  cat >"$dir/postfix/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/postfix/queue
data_directory = $dir/postfix/data
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
myhostname = mail.ieum.test
mydomain = ieum.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = $domains
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = texthash:$maps
transport_maps = texthash:$transport
virtual_uid_maps = static:$vmail_uid
virtual_gid_maps = static:$vmail_gid
virtual_minimum_uid = 1
virtual_mailbox_limit = 0
message_size_limit = 52428800
mailbox_size_limit = 0
smtputf8_enable = yes
biff = no
alias_maps =
alias_database =
local_recipient_maps =
relayhost =
# Anything not for our own domains bounces at once instead of sitting in the queue.
default_transport = error:outside mail is off in this test instance
smtp_tls_security_level = none
smtpd_tls_security_level = none
EOF
  # Only the services a loopback instance uses, none chrooted (the run dir is its own root).
  cat >"$dir/postfix/master.cf" <<EOF
127.0.0.1:$smtp_port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

  cat >"$dir/dovecot/dovecot.conf" <<EOF
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
instance_name = ieum-mail-$imap_port
protocols = imap
listen = 127.0.0.1
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_uid = $vmail_uid
mail_gid = $vmail_gid
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
protocol imap {
  mail_max_userip_connections = 50
}
EOF
}

show_logs() {
  local f
  for f in "$dir/postfix.log" "$dir/dovecot.log"; do
    [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }
  done
  return 0
}

dovecot_pid() {
  local f="$dir/dovecot/run/master.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

stop() {
  if [ -f "$dir/postfix/main.cf" ]; then
    postfix_cmd stop >/dev/null 2>&1 || true
  fi
  local pid i
  if pid=$(dovecot_pid); then
    "${as_root[@]}" kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # postfix stop returns before master has exited; wait for its pid file to go.
  local ppid_file="$dir/postfix/queue/pid/master.pid"
  if [ -f "$ppid_file" ]; then
    pid=$(tr -d ' ' <"$ppid_file")
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  return 0
}

case "$cmd" in
  start)
    for b in /usr/sbin/postfix /usr/sbin/dovecot; do
      [ -x "$b" ] || { echo "mail-dev.sh: $b missing — bash scripts/system-deps.sh mail" >&2; exit 1; }
    done
    stop
    render
    # `postfix check` creates the queue directories with the right owners.
    if ! postfix_cmd check >"$dir/postfix-start.log" 2>&1 || ! postfix_cmd start >>"$dir/postfix-start.log" 2>&1; then
      cat "$dir/postfix-start.log" >&2
      show_logs >&2
      exit 1
    fi
    if ! "${as_root[@]}" /usr/sbin/dovecot -c "$dir/dovecot/dovecot.conf" 2>"$dir/dovecot-start.log"; then
      cat "$dir/dovecot-start.log" >&2
      stop
      exit 1
    fi
    if ! wait_port "$smtp_port" || ! wait_port "$imap_port"; then
      echo "mail-dev.sh: ports $smtp_port/$imap_port did not open" >&2
      show_logs >&2
      stop
      exit 1
    fi
    echo "mail: ready smtp=127.0.0.1:$smtp_port imap=127.0.0.1:$imap_port dir=$dir"
    ;;
  stop) stop ;;
  status)
    if pid=$(dovecot_pid) && postfix_cmd status >/dev/null 2>&1; then
      echo "mail: running (dovecot pid $pid)"
    else
      echo "mail: stopped"
      exit 3
    fi
    ;;
  logs) show_logs ;;
  *) usage >&2; exit 2 ;;
esac
