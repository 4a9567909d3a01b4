#!/usr/bin/env bash
# Load test of the skill as a web service: builds spasmcoach, starts
# `spasmcoach serve --dev` on a free loopback port with a temporary state
# file, runs wrk with e2e/load.lua (realistic IntentRequests and
# LaunchRequests for 64 users) and prints throughput, latency percentiles and
# the server's peak memory (VmHWM). Then it stops the server.
#
#   e2e/load.sh                       10 s, 2 threads, 16 connections
#   DURATION=30s CONNECTIONS=64 e2e/load.sh
#
# Needs Go and wrk (Debian package wrk; installed here with apt-get when
# missing). Linux only (reads /proc). The server logs at warn level so that
# the figures measure the turn, not the per-turn log line.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}

if ! command -v wrk >/dev/null 2>&1; then
	echo "load: installing wrk with apt-get" >&2
	sudo_cmd=""
	if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/spasmcoach" ./cmd/spasmcoach
env -u TABLE_NAME -u SKILL_ID LOG_LEVEL=warn \
	"$tmp/spasmcoach" serve --dev --addr 127.0.0.1:0 --db "$tmp/state.db" >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!

url=""
for _ in $(seq 1 100); do
	url=$(sed -n 's/^spasmcoach serve: listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
	[ -n "$url" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "load: serve exited:" >&2
		cat "$tmp/serve.err" >&2
		exit 1
	fi
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "load: serve did not start" >&2
	cat "$tmp/serve.err" >&2
	exit 1
fi

echo "load: $url, $DURATION, $THREADS threads, $CONNECTIONS connections ($(nproc) cores)"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s e2e/load.lua "$url"

echo
echo "server peak memory: $(awk '/^VmHWM/ {print $2, $3}' "/proc/$pid/status") (VmHWM, resident)"
echo "server memory now:  $(awk '/^VmRSS/ {print $2, $3}' "/proc/$pid/status") (VmRSS)"
echo "write conflicts given up (one user, two requests at once): $(grep -c 'conflict; giving up' "$tmp/serve.err" || true)"
if grep -v 'SKILL_ID is not set\|development mode\|conflict; giving up' "$tmp/serve.err" | grep -q .; then
	echo "other server warnings and errors (first 5 lines):"
	grep -v 'SKILL_ID is not set\|development mode\|conflict; giving up' "$tmp/serve.err" | head -n 5
fi
