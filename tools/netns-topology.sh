#!/bin/sh
# One layer-2 segment with three hosts, built from network namespaces (paper §4: the desktops and
# the consolidation server share a LAN, so a VM keeps its MAC and IP address wherever it runs).
#
#   NAME-lan  the LAN switch: bridge lan0, one port per host
#   NAME-d    the desktop host: bridge br0 (10.0.2.1/24) with the uplink as a port; the desktop
#             daemon's VM gets a tap on br0 (jettison desktop --bridge br0)
#   NAME-s    the consolidation server host: bridge br0 (10.0.2.2/24) and uplink, likewise
#             (jettison server --bridge br0)
#   NAME-c    a client host: eth0 (10.0.2.3/24), e.g. talking to the test guest at 10.0.2.15
#
# usage: netns-topology.sh up NAME          build it (a failed build removes what it made)
#        netns-topology.sh down NAME        remove it, and every process still in its namespaces
#        netns-topology.sh run NAME CMD...  build it, run CMD, remove it whatever CMD did
#                                           (exit status is CMD's; NAME-d etc. are for CMD to use)
# NAME: 1-8 letters, digits or dashes. Needs root and iproute2. Nothing leaves the namespaces.
set -eu

usage() { echo "usage: $0 up|down NAME | run NAME CMD..." >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1 name=$2
shift 2
case $name in
    *[!a-z0-9-]* | "") echo "$0: NAME must be lower-case letters, digits or dashes: '$name'" >&2; exit 2 ;;
esac
[ ${#name} -le 8 ] || { echo "$0: NAME of at most 8 characters (interface names are short): '$name'" >&2; exit 2; }

HOSTS="d s c"
addr() { case $1 in d) echo 10.0.2.1 ;; s) echo 10.0.2.2 ;; c) echo 10.0.2.3 ;; esac; }

down() {
    for ns in "$name-d" "$name-s" "$name-c" "$name-lan"; do
        ip netns list | grep -q "^$ns\( \|\$\)" || continue
        # Daemons left in a namespace would keep it (and their taps) alive: end them by id.
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    done
}

up() {
    trap 'status=$?; if [ $status -ne 0 ]; then down; fi' EXIT
    ip netns add "$name-lan"
    ip -n "$name-lan" link add lan0 type bridge
    ip -n "$name-lan" link set lan0 up
    for h in $HOSTS; do
        ns=$name-$h
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        # The veth pair is made inside the host's namespace, so its names never meet the caller's.
        ip -n "$ns" link add up0 type veth peer name "p$h" netns "$name-lan"
        ip -n "$name-lan" link set "p$h" master lan0 up
        if [ "$h" = c ]; then
            ip -n "$ns" link set up0 name eth0
            ip -n "$ns" addr add "$(addr "$h")/24" dev eth0
            ip -n "$ns" link set eth0 up
        else
            ip -n "$ns" link add br0 type bridge
            # The VM's MAC moves between hosts: learn a new port at once (no forward delay, no STP).
            ip -n "$ns" link set br0 type bridge forward_delay 0 stp_state 0
            ip -n "$ns" link set up0 master br0 up
            ip -n "$ns" addr add "$(addr "$h")/24" dev br0
            ip -n "$ns" link set br0 up
        fi
    done
    ip -n "$name-lan" link set lan0 type bridge forward_delay 0 stp_state 0
    # The segment works: the client reaches both hosts.
    ip netns exec "$name-c" ping -c 1 -W 5 10.0.2.1 >/dev/null
    ip netns exec "$name-c" ping -c 1 -W 5 10.0.2.2 >/dev/null
    trap - EXIT
}

case $action in
    up) up ;;
    down) down ;;
    run)
        [ $# -ge 1 ] || usage
        up
        trap down EXIT
        trap 'exit 130' INT TERM
        status=0
        "$@" || status=$?
        exit $status ;;
    *) usage ;;
esac
