#!/usr/bin/env bash
# End-to-end test of the guest network stack without the guest kernel: the
# host harness runs the stack on a tap device inside a private network
# namespace; the tap's kernel side (10.0.2.2) is the Linux peer. No traffic
# leaves the namespace, which is deleted at the end even on failure.
#
# Needs root (namespaces, tap). Usage: guest/net/test-host.sh
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$HERE/host/build
NS=jts-net-$$-$RANDOM
GUEST_IP=10.0.2.15
PEER_IP=10.0.2.2
PORT=7
LOG=$BUILD/harness.log
HARNESS=${NET_HARNESS:-$BUILD/net-harness}   # e.g. host/build/san/net-harness
HPID=

if [ "$(id -u)" != 0 ]; then
	echo "test-host.sh: needs root (network namespace + tap)"; exit 2
fi
if ! command -v ip >/dev/null || ! command -v ping >/dev/null; then
	apt-get install -y -qq iproute2 iputils-ping >/dev/null || {
		apt-get update -qq && apt-get install -y -qq iproute2 iputils-ping >/dev/null; }
fi
PY=$(command -v python3)

make -s -C "$HERE/host" all

cleanup() {
	local rc=$?
	if [ -n "$HPID" ] && kill -0 "$HPID" 2>/dev/null; then
		kill -CONT "$HPID" 2>/dev/null || true
		kill -TERM "$HPID" 2>/dev/null || true
		wait "$HPID" 2>/dev/null || true
	fi
	ip netns del "$NS" 2>/dev/null || true
	exit $rc
}
trap cleanup EXIT INT TERM

echo "== unit tests"
"$BUILD/unit"

echo "== namespace $NS: tap0 $PEER_IP/24 (Linux peer), stack at $GUEST_IP"
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" tuntap add tap0 mode tap
ip -n "$NS" addr add "$PEER_IP/24" dev tap0
ip -n "$NS" link set tap0 up
# keep the peer quiet: no IPv6 chatter on the tap
ip netns exec "$NS" sysctl -q -w net.ipv6.conf.tap0.disable_ipv6=1 || true

start_harness() {   # extra harness options...
	: >"$LOG"
	ip netns exec "$NS" "$HARNESS" --tap tap0 "net.ip=$GUEST_IP/24" \
		"net.echo_port=$PORT" "$@" >"$LOG.out" 2>"$LOG" &
	HPID=$!
	for _ in $(seq 50); do
		grep -q "harness: attached" "$LOG" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3
}
stop_harness() {
	sleep 1                         # let the last FIN/ACK exchanges finish
	kill -TERM "$HPID"
	wait "$HPID" || true
	HPID=
	stats=$(grep '^stats:' "$LOG.out" || true)
}
# value of one counter in the last stats line (absent = 0)
get() { local v; v=$(sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" ${stats#stats: }"); echo "${v:-0}"; }

pass=0; fail=0
result() { if [ "$1" = 0 ]; then pass=$((pass+1)); echo "PASS $2"; else fail=$((fail+1)); echo "FAIL $2"; fi; }

start_harness
echo "== ping"
set +e
ip netns exec "$NS" ping -c 3 -i 0.2 -W 2 "$GUEST_IP"
result $? "ping -c 3 $GUEST_IP"

echo "== tcp echo"
ip netns exec "$NS" "$PY" "$HERE/host/tcp_tests.py" --host "$GUEST_IP" --port "$PORT" \
	--harness-pid "$HPID"
result $? "tcp tests"
set -e
stop_harness
echo "== harness log"
cat "$LOG"
echo "$stats"
[ "$(get tcp_aborted)" = 0 ] && [ "$(get time_jumps)" -ge 2 ] &&
	[ "$(get icmp_echo_replies)" -ge 3 ] && [ "$(get tcp_active)" = 0 ] &&
	[ "$(get tcp_accepted)" = "$(get tcp_closed)" ]
result $? "stats: no aborts, both pauses seen as time jumps, pings answered, all connections closed"

echo "== lossy link: harness drops 5% of frames each way"
start_harness --loss 5
set +e
ip netns exec "$NS" "$PY" "$HERE/host/tcp_tests.py" --host "$GUEST_IP" --port "$PORT" \
	--harness-pid "$HPID" --lossy
result $? "lossy tcp tests"
set -e
sleep 2                                 # lost FINs need a retransmission or two
stop_harness
echo "$stats"
grep '^harness: lost' "$LOG.out" || true
[ "$(get tcp_aborted)" = 0 ] && [ "$(get tcp_retransmits)" -gt 0 ] && [ "$(get tcp_active)" = 0 ]
result $? "lossy stats: we retransmitted, nothing aborted, all connections closed"

echo "net host test: $pass passed, $fail failed"
[ "$fail" = 0 ]
