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

ip netns exec "$NS" "$BUILD/net-harness" --tap tap0 "net.ip=$GUEST_IP/24" \
	"net.echo_port=$PORT" >"$LOG.out" 2>"$LOG" &
HPID=$!
for _ in $(seq 50); do
	grep -q "harness: attached" "$LOG" 2>/dev/null && break
	sleep 0.1
done
sleep 0.3

pass=0; fail=0
result() { if [ "$1" = 0 ]; then pass=$((pass+1)); echo "PASS $2"; else fail=$((fail+1)); echo "FAIL $2"; fi; }

echo "== ping"
set +e
ip netns exec "$NS" ping -c 3 -i 0.2 -W 2 "$GUEST_IP"
result $? "ping -c 3 $GUEST_IP"

echo "== tcp echo"
ip netns exec "$NS" "$PY" "$HERE/host/tcp_tests.py" --host "$GUEST_IP" --port "$PORT" \
	--harness-pid "$HPID"
result $? "tcp tests"
set -e

kill -TERM "$HPID"
wait "$HPID" || true
HPID=
echo "== harness log"
cat "$LOG"
stats=$(grep '^stats:' "$LOG.out" || true)
echo "$stats"
get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" ${stats#stats: }"; }
[ "$(get tcp_aborted)" = "" ] && [ "$(get time_jumps)" -ge 2 ] && [ "$(get icmp_echo_replies)" -ge 3 ]
result $? "stats: no aborted connection, both pauses seen as time jumps, pings answered"

echo "net host test: $pass passed, $fail failed"
[ "$fail" = 0 ]
