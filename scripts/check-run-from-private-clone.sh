#!/usr/bin/env bash
# Issue 12's proof, run by .ci/run before the specs: ./run.sh from a clone in a private folder (a fresh `mktemp -d`,
# 0700, as root's home is). It must start, keep its data in a folder of its own that the servers' users can reach,
# leave no PostgreSQL, Dovecot or Postfix process after SIGTERM, and find its data again: the administrator's
# password printed at the first start signs in at the second. Once with the demo mail server, once with --no-demo.
# Needs root (the demo does) and the packages ./run.sh installs. Prints PASS/FAIL lines; exits 1 on a failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse HEAD)
failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# shellcheck disable=SC2317
abort() {
  echo "FAIL: $*"
  [ -n "${log:-}" ] && [ -f "$log" ] && { echo "---- last lines of $log"; tail -n 30 "$log"; }
  exit 1
}

if [ "$(id -u)" -ne 0 ]; then
  echo "FAIL: this check runs ./run.sh with the demo, which needs root" >&2
  exit 1
fi

work=$(mktemp -d)
chmod 0700 "$work"
clone="$work/MailAccounts"
pid=""
data=""
# shellcheck disable=SC2317
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for server in $(server_pids); do kill -KILL "$server" 2>/dev/null || true; done
  rm -rf "$work"
  case "$data" in /var/lib/mailaccounts/?*) rm -rf "$data"; rmdir /var/lib/mailaccounts 2>/dev/null || true ;; esac
}
trap cleanup EXIT

port=""
for candidate in $(shuf -i 20000-60000 -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || abort "no free port found"
base="http://127.0.0.1:$port"

echo "Cloning $head into $work (mode $(stat -c %a "$work"), owner $(stat -c %U "$work"))"
git clone -q "$repo" "$clone"
git -C "$clone" checkout -q --detach "$head" 2>/dev/null \
  || { git -C "$clone" fetch -q "$repo" "$head" && git -C "$clone" checkout -q --detach FETCH_HEAD; }

# The processes of the servers over $data: each master's pid file, its children, and anything naming the folders.
# shellcheck disable=SC2317
server_pids() {
  [ -n "$data" ] || return 0
  local files=("$data/postgres/data/postmaster.pid") masters="" runtime master
  runtime=$(sed -n 's/^base_dir = //p' "$data/mail/dovecot.conf" 2>/dev/null || true)
  if [ -n "$runtime" ]; then files+=("$runtime/master.pid"); fi
  runtime=$(sed -n 's/^queue_directory = //p' "$data/mail/postfix/main.cf" 2>/dev/null || true)
  if [ -n "$runtime" ]; then files+=("$runtime/pid/master.pid"); fi
  for file in "${files[@]}"; do
    if [ -f "$file" ] && master=$(head -n 1 "$file" | tr -d ' ') && [ -n "$master" ] && kill -0 "$master" 2>/dev/null; then
      masters+=" $master $(pgrep -P "$master" | tr '\n' ' ')"
    fi
  done
  { echo "$masters" | tr ' ' '\n'; pgrep -f -- "$data" || true; if [ -n "${instance:-}" ]; then pgrep -f -- "$instance" || true; fi; } \
    | { grep -E '^[0-9]+$' || true; } | sort -u
}

# Starts ./run.sh in the clone in the background (a background job ignores SIGINT: it is stopped with SIGTERM).
start() {
  local name=$1; shift
  log="$work/$name.log"
  ( cd "$clone" && exec env -u MAILACCOUNTS_ADMIN_PASSWORD ASPNETCORE_URLS="$base" CI=true ./run.sh "$@" ) >"$log" 2>&1 </dev/null &
  pid=$!
  local deadline=$((SECONDS + ${WAIT_SECONDS:-600}))
  until curl -fsS -o /dev/null "$base/SignIn" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || abort "$name: ./run.sh $* ended before the sign-in page answered"
    [ $SECONDS -lt $deadline ] || abort "$name: no sign-in page at $base within ${WAIT_SECONDS:-600} s"
    sleep 2
  done
  # Pages answer before the host has run its start-up work (the administrator's seeding): stop only a started host.
  until grep -q "Application started" "$log"; do
    [ $SECONDS -lt $deadline ] || abort "$name: the host did not finish starting within ${WAIT_SECONDS:-600} s"
    sleep 1
  done
  pass "$name: ./run.sh $* serves the sign-in page at $base"
  data=$(sed -n 's/^MailAccounts: keeping data in //p' "$log" | head -n 1)
  case "$data" in
    /var/lib/mailaccounts/?*) pass "$name: the data lives in $data, printed at start" ;;
    *) abort "$name: the data folder should be under /var/lib/mailaccounts, the log says '$data'" ;;
  esac
  instance=$(sed -n 's/^instance_name = //p' "$data/mail/dovecot.conf" 2>/dev/null || true)
}

# SIGTERM, then: the host ends on its own, and every server process it had is gone.
stop() {
  local name=$1 servers rc=0 left
  servers=$(server_pids)
  [ -n "$servers" ] || abort "$name: found no server process over $data to watch"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 90))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || abort "$name: the host did not stop within 90 s of SIGTERM"
    sleep 1
  done
  wait "$pid" || rc=$?
  pid=""
  if [ "$rc" -eq 0 ]; then
    pass "$name: SIGTERM stopped the host (exit 0)"
  else
    fail "$name: the host exited with $rc after SIGTERM; last lines of $log:"
    tail -n 15 "$log"
  fi
  deadline=$((SECONDS + 20))
  while :; do
    left=""
    for server in $servers $(server_pids); do kill -0 "$server" 2>/dev/null && left+=" $server"; done
    [ -z "$left" ] && break
    if [ $SECONDS -ge $deadline ]; then
      fail "$name: processes left after SIGTERM:"
      for server in $left; do ps -o pid=,user=,args= -p "$server" || true; done
      return
    fi
    sleep 1
  done
  pass "$name: no PostgreSQL, Dovecot or Postfix process is left ($(echo "$servers" | wc -w) were running)"
}

sign_in() {
  local name=$1 password=$2 jar="$work/cookies" token status
  rm -f "$jar"
  token=$(curl -fsS -c "$jar" -b "$jar" "$base/SignIn" \
    | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | sed -n 1p)
  [ -n "$token" ] || { fail "$name: the sign-in page has no anti-forgery token"; return; }
  status=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -c "$jar" -b "$jar" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "Login=admin" \
    --data-urlencode "Password=$password" "$base/SignIn")
  case "$status" in
    302\ *SignIn*|302\ ) fail "$name: signing in as admin was refused ($status)"; return ;;
    302\ *) ;;
    *) fail "$name: signing in as admin answered $status"; return ;;
  esac
  # Read the whole page first: grep -q stops at the first match, and with pipefail curl's
  # failed write into the closed pipe (exit 23) would count as a failed check.
  local page
  page=$(curl -fsSL -c "$jar" -b "$jar" "$base/") || { fail "$name: the start page after signing in did not load"; return; }
  if grep -q 'action="/SignOut"' <<<"$page"; then
    pass "$name: admin signs in with the password printed at the first start"
  else
    fail "$name: after signing in, the start page does not show a signed-in user"
  fi
}

round() {
  local name=$1; shift
  start "$name, first start" "$@"
  local password="" deadline=$((SECONDS + 60))
  # The administrator is created just after the host has started listening.
  until [ -n "$password" ] || [ $SECONDS -ge $deadline ]; do
    sleep 1
    password=$(sed -n "s/^MailAccounts: created the administrator 'admin' with the password \([^ ]*\) .*/\1/p" "$log" | head -n 1)
  done
  [ -n "$password" ] && pass "$name: the first start printed the administrator's password" \
    || abort "$name: the first start printed no administrator password within 60 s"
  stop "$name, first start"
  WAIT_SECONDS=240 start "$name, second start" "$@"
  grep -q "created the administrator" "$log" && fail "$name: the second start created the administrator again" \
    || pass "$name: the second start found its data again"
  sign_in "$name, second start" "$password"
  stop "$name, second start"
}

round "with the demo"
# A fresh first start for --no-demo: its data goes the way the demo's did.
rm -rf "$data"
round "--no-demo" --no-demo

if [ "$failures" -gt 0 ]; then
  echo "FAIL: ./run.sh from a private clone: $failures check(s) failed"
  exit 1
fi
echo "PASS: ./run.sh from a private clone"
