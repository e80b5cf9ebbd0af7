# SPDX-License-Identifier: GPL-2.0 OR MIT
# run.sh - `make run` in the stock-kernel VM: the module with parameters,
# another module allocating through its exported API, the stats changing;
# bufpoolstat before and while a process allocates through /dev/bufpool;
# the debugfs views.
cd /root
show() { echo "--- /sys/kernel/debug/bufpool/default/stats ($1)"; grep -E "^(allocations|frees|active|active_bytes|chunks|chunk_bytes|huge_active|huge_bytes|invalid_frees):" /sys/kernel/debug/bufpool/default/stats; }
echo '$ insmod bufpool.ko page_size=16384 max_order=7 nr_arenas=2 leak_detection=paranoid'
insmod bufpool.ko page_size=16384 max_order=7 nr_arenas=2 leak_detection=paranoid || exit 1
for p in page_size max_order nr_arenas; do
	echo "/sys/module/bufpool/parameters/$p = $(cat /sys/module/bufpool/parameters/$p)"
done
show "after load"
echo '$ insmod bufpool_demo.ko count=16   # allocates 16 x {100 B, 2000 B, 20000 B, 5 MiB}'
insmod bufpool_demo.ko count=16 || exit 1
show "16 x 4 buffers live"
echo '$ rmmod bufpool_demo                 # frees them'
rmmod bufpool_demo || exit 1
show "after the demo freed everything"
echo
echo '$ bufpoolstat                        # reads /dev/bufpool (ioctls INFO, STATS)'
./bufpoolstat
echo '$ ./dev_demo ./bufpoolstat           # a process allocating through /dev/bufpool'
./dev_demo ./bufpoolstat
echo '$ bufpoolstat                        # close() freed them'
./bufpoolstat
for f in arenas chunks sizeclasses caches; do
	[ -f /sys/kernel/debug/bufpool/default/$f ] || continue
	echo "\$ cat /sys/kernel/debug/bufpool/default/$f"
	head -n 25 /sys/kernel/debug/bufpool/default/$f
done
echo
echo '$ insmod bufpool_demo.ko count=0 buf=1 leak=1   # PoolBufTest, then one buffer leaked'
insmod bufpool_demo.ko count=0 buf=1 leak=1 || exit 1
dmesg | grep "bufpool_demo: buf\|PoolBufTest"
echo '$ cat /sys/kernel/debug/bufpool/default/leaks'
cat /sys/kernel/debug/bufpool/default/leaks
rmmod bufpool_demo
echo '$ rmmod bufpool                       # reports the leak and the live memory'
rmmod bufpool || exit 1
echo '$ dmesg | grep bufpool'
dmesg | grep bufpool
