# SPDX-License-Identifier: GPL-2.0 OR MIT
# kunit.sh - runs in the debug-kernel VM: load KUnit, bufpool and its test
# module; print each suite's KTAP results between markers for the host to
# count; then exercise the real module (demo load/unload, with allocations
# from softirq too, refused frees, a leaking client) under KASAN, lockdep
# and kmemleak, then a cross-CPU stress.  Files: /root/kunit.ko, /root/bufpool.ko,
# /root/bufpool_test.ko, /root/bufpool_demo.ko, /root/bufpool_stress.ko.
cd /root
# Concurrency needs more than one CPU (scripts/check boots two).
[ "$(cat /sys/devices/system/cpu/online)" != 0 ] || exit 9
insmod kunit.ko || exit 10
insmod bufpool.ko nr_arenas=2 || exit 11
insmod bufpool_test.ko || exit 12
for r in /sys/kernel/debug/kunit/bufpool_*/results; do
	echo "BUFPOOL-KTAP-BEGIN $r"
	cat "$r"
	echo "BUFPOOL-KTAP-END"
done
rmmod bufpool_test || exit 13
insmod bufpool_demo.ko count=64 atomic=1 || exit 14
rmmod bufpool_demo || exit 15
# Memory pressure: the shrinker drains every CPU's cache from a workqueue.
echo 3 > /proc/sys/vm/drop_caches
grep -q "^shrinker_scans: [1-9]" /sys/kernel/debug/bufpool/default/stats || exit 21
grep -q "^chunks: 0$" /sys/kernel/debug/bufpool/default/stats || exit 22
# Refused frees (the one expected WARN), then a client that leaks: the
# unload must reclaim everything, as kmemleak checks after this script.
insmod bufpool_demo.ko count=2 misuse=1 leak=1 || exit 16
dmesg | grep -q "bufpool_demo: misuse left memory intact" || exit 17
rmmod bufpool_demo || exit 18
rmmod bufpool || exit 19
dmesg | grep -q "destroyed with live allocations: tiny 2" || exit 20
# Cross-CPU stress with content checks (insmod fails if anything is off),
# with a 100 ms time-based trim of every CPU's cache running throughout.
insmod bufpool.ko cache_trim_interval_ms=100 || exit 23
insmod bufpool_stress.ko ops=30000 || exit 24
dmesg | grep "bufpool_stress:"
# busybox insmod retries a failed finit_module with init_module: a failure
# of the first run must not hide behind a pass of the second.
dmesg | grep -q "bufpool_stress: FAILED" && exit 28
rmmod bufpool_stress || exit 25
grep -q "^cache_trims: [1-9]" /sys/kernel/debug/bufpool/default/stats || exit 26
rmmod bufpool || exit 27
