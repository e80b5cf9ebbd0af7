# SPDX-License-Identifier: GPL-2.0 OR MIT
# smoke.sh - runs in the stock-kernel VM (scripts/check): load bufpool.ko
# with non-default parameters, read them back, drive it through the demo
# module, check the debugfs stats, reject every bad parameter, unload clean.
# Files: /root/bufpool.ko, /root/bufpool_demo.ko, /root/bufpool_stress.ko,
# /root/bufpool_sock.ko, /root/bufpoolstat, /root/dev_demo, /root/bufpool_client.ko,
# /root/tap.sh.
. /root/tap.sh
cd /root
free_pages() { sed -n 's/^nr_free_pages //p' /proc/vmstat; }

ok "insmod with page_size=16384 max_order=6 nr_arenas=2" \
	insmod bufpool.ko page_size=16384 max_order=6 nr_arenas=2
ok "param page_size reads back" is "$(cat /sys/module/bufpool/parameters/page_size)" 16384
ok "param max_order reads back" is "$(cat /sys/module/bufpool/parameters/max_order)" 6
ok "param nr_arenas reads back" is "$(cat /sys/module/bufpool/parameters/nr_arenas)" 2
ram=$(( $(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo) * 1024 ))
ok "max_bytes_total defaults to half of RAM and reads back" \
	is "$(cat /sys/module/bufpool/parameters/max_bytes_total)" $((ram / 2))
ok "debugfs stats is mode 0400" is "$(stat -c %a /sys/kernel/debug/bufpool/default/stats)" 400
for key in allocations frees active active_bytes chunks chunk_bytes huge_active \
	   huge_bytes invalid_frees tiny_allocations tiny_frees small_allocations \
	   small_frees normal_allocations normal_frees huge_allocations huge_frees \
	   arena_locks arena_lock_contended; do
	ok "stats has $key, zero at load" is "$(stat_of default $key)" 0
done

# The demo allocates 8 each of 100 B (tiny), 2000 B (small), 20000 B
# (normal: 32 KiB runs of 16 KiB pages) and 5 MiB (huge: > 1 MiB chunks).
ok "insmod bufpool_demo count=8" insmod bufpool_demo.ko count=8
cat /sys/kernel/debug/bufpool/default/stats | sed 's/^/# /'
ok "allocations = 32" is "$(stat_of default allocations)" 32
ok "active = 32" is "$(stat_of default active)" 32
ok "tiny_allocations = 8" is "$(stat_of default tiny_allocations)" 8
ok "small_allocations = 8" is "$(stat_of default small_allocations)" 8
ok "normal_allocations = 8" is "$(stat_of default normal_allocations)" 8
ok "huge_allocations = 8" is "$(stat_of default huge_allocations)" 8
ok "huge_bytes = 8 x 5 MiB" is "$(stat_of default huge_bytes)" $((8 * 5 << 20))
ok "active_bytes = 8 x (112 + 2048 + 32768 + 5 MiB)" \
	is "$(stat_of default active_bytes)" $((8 * (112 + 2048 + 32768 + (5 << 20))))
ok "chunks >= 1, chunk_bytes = chunks x 1 MiB" \
	sh -c '[ "$0" -ge 1 ] && [ "$1" -eq $(($0 << 20)) ]' \
	"$(stat_of default chunks)" "$(stat_of default chunk_bytes)"
ok "rmmod bufpool_demo" rmmod bufpool_demo
ok "frees = 32 after the demo unloads" is "$(stat_of default frees)" 32
ok "active = 0" is "$(stat_of default active)" 0
ok "active_bytes = 0" is "$(stat_of default active_bytes)" 0
ok "huge_bytes = 0" is "$(stat_of default huge_bytes)" 0
ok "invalid_frees = 0" is "$(stat_of default invalid_frees)" 0

# The freed buffers sit in per-CPU caches and pin their chunks until memory
# pressure: drop_caches runs every shrinker; bufpool's scan finds no empty
# chunk, queues the pool's drain (reclaim does not wait for it), and the
# drain flushes every CPU's cache and releases the chunks that empties.
ok "per-CPU caches hold the freed buffers" sh -c '[ "$0" -gt 0 ]' "$(stat_of default cached_bytes)"
held=$(stat_of default chunks)
ok "chunks held before reclaim" sh -c '[ "$0" -ge 1 ]' "$held"
echo 3 > /proc/sys/vm/drop_caches
i=0
while [ $i -lt 100 ] && { [ "$(stat_of default chunks)" != 0 ] ||
	[ "$(stat_of default shrinker_freed)" != $((held * 256)) ]; }; do
	sleep 0.1
	i=$((i + 1))
done
echo "# drain done $i x 100 ms after drop_caches returned"
grep -E "^(cached_bytes|chunks|shrinker_scans|shrinker_freed):" /sys/kernel/debug/bufpool/default/stats | sed 's/^/# after drop_caches: /'
ok "the shrinker ran" sh -c '[ "$0" -ge 1 ]' "$(stat_of default shrinker_scans)"
ok "the shrinker drained every CPU's cache" is "$(stat_of default cached_bytes)" 0
ok "the shrinker released every chunk" is "$(stat_of default chunks)" 0
# Those the drain empties count too, not only what the trim finds after it
ok "shrinker_freed counts every chunk it released (256 pages per 1 MiB chunk)" \
	is "$(stat_of default shrinker_freed)" $((held * 256))
ok "GFP_ATOMIC allocations from a timer (softirq)" insmod bufpool_demo.ko count=1 atomic=1
ok "rmmod bufpool_demo (atomic)" rmmod bufpool_demo
# One thread per CPU handing most buffers to the next CPU, one hopping
# between CPUs; every byte checked, stats balanced, all chunks trimmed.
ok "cross-CPU stress (bufpool_stress.ko: 200000 ops per thread)" insmod bufpool_stress.ko
dmesg | grep "bufpool_stress:" | sed 's/^/# /'
# busybox insmod retries a failed finit_module with init_module: the first
# run's verdict counts too.
ok "cross-CPU stress ran once and passed" \
	sh -c '[ "$(dmesg | grep -c "bufpool_stress: passed")" = 1 ] && ! dmesg | grep -q "bufpool_stress: FAILED"'
ok "rmmod bufpool_stress" rmmod bufpool_stress
ok "rmmod bufpool" rmmod bufpool
ok "no live allocations reported at unload" sh -c '! dmesg | grep -q "live allocations"'

# Time-based trim: with cache_trim_interval_ms a delayed work item trims
# every CPU's cache with nobody allocating (above, without it, the caches
# held their buffers until drop_caches).
ok "insmod bufpool cache_trim_interval_ms=500" insmod bufpool.ko cache_trim_interval_ms=500
ok "param cache_trim_interval_ms reads back" \
	is "$(cat /sys/module/bufpool/parameters/cache_trim_interval_ms)" 500
ok "insmod bufpool_demo count=8" insmod bufpool_demo.ko count=8
ok "rmmod bufpool_demo" rmmod bufpool_demo
waited=0
while [ "$(stat_of default cached_bytes)" != 0 ] && [ $waited -lt 20 ]; do
	sleep 0.5
	waited=$((waited + 1))
done
grep -E "^(cached_bytes|cache_trims|allocations|frees):" /sys/kernel/debug/bufpool/default/stats |
	sed "s/^/# after $waited half-seconds idle: /"
ok "the timer emptied every cache with no allocation" is "$(stat_of default cached_bytes)" 0
ok "cache_trims counted (one per CPU per tick)" sh -c '[ "$0" -ge 1 ]' "$(stat_of default cache_trims)"
ok "frees = allocations = 32" sh -c '[ "$0" -eq 32 ] && [ "$1" -eq 32 ]' \
	"$(stat_of default frees)" "$(stat_of default allocations)"
sleep 1
t1=$(stat_of default cache_trims)
sleep 2
ok "the timer keeps running while idle" sh -c '[ "$1" -gt "$0" ]' "$t1" "$(stat_of default cache_trims)"
# bufpoolstat reads the module through /dev/bufpool, with a process's
# allocations live, in the same numbers as debugfs.
ok "bufpoolstat reads /dev/bufpool" sh -c './bufpoolstat | grep -q "kernel, /dev/bufpool (ABI 1)"'
# (The first match of a key is in "stats"; the class rows come after.)
./dev_demo sh -c './bufpoolstat --json > /tmp/live.json; cat /sys/kernel/debug/bufpool/default/stats > /tmp/live.stats'
ok "bufpoolstat --json = debugfs while dev_demo holds 24 buffers" \
	sh -c 'for k in allocations active active_bytes; do
		j=$(grep -o "\"$k\": [0-9]*" /tmp/live.json | head -n 1 | grep -o "[0-9]*$")
		d=$(sed -n "s/^$k: //p" /tmp/live.stats)
		[ -n "$j" ] && [ "$j" = "$d" ] || { echo "# $k: json $j, debugfs $d"; exit 1; }
	done'
ok "24 live while dev_demo held them" is "$(sed -n 's/^active: //p' /tmp/live.stats)" 24
ok "dev_demo's close() freed them" is "$(stat_of default active)" 0
ok "rmmod bufpool stops the timer" rmmod bufpool
ok "bufpoolstat without the module: exit 1 and what to do" \
	sh -c './bufpoolstat 2>/tmp/err; [ $? -eq 1 ] && grep -q "is bufpool.ko loaded" /tmp/err'

# 100 load/unload cycles with parameters, each with an allocation made
# through the kernel API in between and /dev/bufpool appearing.
fails=0
i=0
while [ $i -lt 100 ]; do
	insmod bufpool.ko nr_arenas=$((i % 3)) tiny_cache_size=$((i * 7)) \
		max_handles_per_fd=$((i + 1)) || fails=$((fails + 1))
	[ -c /dev/bufpool ] || fails=$((fails + 1))
	insmod bufpool_demo.ko count=1 || fails=$((fails + 1))
	rmmod bufpool_demo || fails=$((fails + 1))
	rmmod bufpool || fails=$((fails + 1))
	i=$((i + 1))
done
ok "100 load/unload cycles with parameters" is "$fails" 0
ok "no live allocations reported in those cycles" sh -c '! dmesg | grep -q "live allocations"'

# Refcounted buffers from another module: the seed's PoolBufTest, and a
# planted leak reported (paranoid) in debugfs and at unload.
ok "insmod bufpool leak_detection=paranoid" insmod bufpool.ko leak_detection=paranoid
ok "PoolBufTest from bufpool_demo (buf=1): same descriptor twice, write after release fails" \
	sh -c 'insmod bufpool_demo.ko count=0 buf=1 leak=1 &&
	       dmesg | grep -q "buf round 2: descriptor recycled, readInt() = 10" &&
	       dmesg | grep -q "bufpool_demo: PoolBufTest passed"'
cat /sys/kernel/debug/bufpool/default/leaks | sed 's/^/# leaks: /'
ok "debugfs leaks names the planted leak's site" \
	sh -c 'grep -q "LEAK: 1 buffer never released" /sys/kernel/debug/bufpool/default/leaks &&
	       grep -q "demo_buf" /sys/kernel/debug/bufpool/default/leaks'
ok "buf_leaks_tracked = 1" is "$(stat_of default buf_leaks_tracked)" 1
ok "rmmod bufpool_demo" rmmod bufpool_demo
ok "rmmod bufpool reports the leak (the demo's code is gone: '?', no address)" \
	sh -c 'rmmod bufpool && dmesg | grep -q "pool .default.: LEAK: 1 buffer never released" &&
	       dmesg | grep -A3 "LEAK: 1 buffer never" | grep -q "#0 ? (code no longer loaded"'

# Unload with live allocations: the demo's leak=1 keeps its buffers.
ok "insmod bufpool (defaults)" insmod bufpool.ko
ok "default geometry: page_size 8192" is "$(cat /sys/module/bufpool/parameters/page_size)" 8192
ok "insmod bufpool_demo leak=1" insmod bufpool_demo.ko count=4 leak=1
ok "rmmod bufpool_demo (leaking)" rmmod bufpool_demo
ok "rmmod bufpool with live allocations" rmmod bufpool
dmesg | grep "live allocations" | sed 's/^/# /'
ok "unload reports live allocations per class" \
	sh -c 'dmesg | grep -q "tiny 4 (448 bytes), small 4 (8192 bytes), normal 4 (131072 bytes), huge 4 (20971520 bytes)"'

# Every chunk and huge allocation goes back to the page allocator, live or
# not.  nr_free_pages swings by up to ~11000 pages between identical cycles
# here (per-CPU page lists; measured over 40 cycles: 227k..238k with no
# drift), so compare the best of the first five cycles with the best of
# the last five, 25 cycles apart: leaking even one 4 MiB chunk per cycle
# would lose >= 25 x 1024 = 25600 pages between the windows; noise stays
# well under the 16384 allowed.
cycles() {
	early=0
	late=0
	for i in $(seq 1 30); do
		insmod bufpool.ko && insmod bufpool_demo.ko count=4 leak=1 &&
			rmmod bufpool_demo && rmmod bufpool || return 1
		f=$(free_pages)
		[ "$i" -le 5 ] && [ "$f" -gt "$early" ] && early=$f
		[ "$i" -ge 26 ] && [ "$f" -gt "$late" ] && late=$f
	done
	echo "# nr_free_pages best of cycles 1-5: $early, of cycles 26-30: $late"
	[ $((early - late)) -lt 16384 ]
}
ok "30 load/leak/unload cycles give every page back" cycles

# A module of its own (kmod/client), built out of tree against
# bufpool.ko's Module.symvers: it loads on bufpool.ko, uses its API, and
# its pool goes with it.
client() {
	insmod bufpool.ko || return 1
	insmod bufpool_client.ko || { dmesg | tail -n 3; rmmod bufpool; return 1; }
	dmesg | grep "bufpool_client: " | sed 's/^/# /'
	dmesg | grep -q "bufpool_client: ok: [1-9][0-9]* allocations" &&
		[ -d /sys/kernel/debug/bufpool/client ] &&
		rmmod bufpool_client && [ ! -d /sys/kernel/debug/bufpool/client ] &&
		rmmod bufpool
}
ok "client module loads on bufpool.ko, uses its API, unloads" client
# The seed's read path in the kernel (bufpool_sock.ko): a loopback TCP
# connection read into bufpool_bufs with the adaptive receive handle - every
# byte checked, the guess up on a bulk and down on small messages, EOF seen,
# its pool empty at the end; insmod fails otherwise.
ok "loopback interface up" sh -c 'ip link set lo up || ifconfig lo 127.0.0.1 up'
ok "insmod bufpool (for the socket reader)" insmod bufpool.ko
ok "in-kernel reader: loopback TCP into pooled buffers (bufpool_sock.ko)" insmod bufpool_sock.ko
dmesg | grep "bufpool_sock:" | sed 's/^/# /'
# As for the stress module: the first insmod's verdict counts.
ok "in-kernel reader ran once and passed" \
	sh -c '[ "$(dmesg | grep -c "bufpool_sock: passed")" = 1 ] && ! dmesg | grep -q "bufpool_sock: FAILED"'
ok "rmmod bufpool_sock" rmmod bufpool_sock
ok "rmmod bufpool (after the socket reader)" rmmod bufpool

# Bad parameters: insmod fails with EINVAL and one line names the value and range.
bad() {		# bad PARAM=VALUE EXPECTED-TEXT
	if insmod bufpool.ko "$1" 2>/tmp/err; then
		rmmod bufpool
		echo "# insmod $1 succeeded"
		return 1
	fi
	grep -q "Invalid argument\|Invalid parameters" /tmp/err || { cat /tmp/err; return 1; }
	[ ! -d /sys/module/bufpool ] || return 1
	dmesg | tail -n 3 | grep "bufpool: " | grep -q -- "$2" || { dmesg | tail -n 3; return 1; }
}
ok "page_size=4095 refused" bad page_size=4095 "page_size=4095 invalid: must be a power of two in 4096..65536"
ok "page_size=131072 refused" bad page_size=131072 "page_size=131072 invalid"
ok "page_size=2048 refused" bad page_size=2048 "page_size=2048 invalid"
ok "page_size=12288 refused" bad page_size=12288 "page_size=12288 invalid"
ok "max_order=10 refused (8 MiB chunk)" bad max_order=10 "max_order=10 invalid: must be in 0..9"
ok "max_order=99 refused" bad max_order=99 "max_order=99 invalid"
ok "nr_arenas=5000 refused" bad nr_arenas=5000 "nr_arenas=5000 invalid: must be in 0..2"
ok "max_handles_per_fd=0 refused" bad max_handles_per_fd=0 "max_handles_per_fd=0 invalid: must be in 1..16777216"
ok "max_bytes_per_fd=100 refused" bad max_bytes_per_fd=100 "max_bytes_per_fd=100 invalid: must be in 4096..1099511627776"
ok "dev_mode=0777 refused" bad dev_mode=0777 "dev_mode=0777 invalid: only read/write bits, not 0"
# 0 would read back 0 while the misc core makes the node 0600.
ok "dev_mode=0 refused" bad dev_mode=0 "dev_mode=0 invalid: only read/write bits, not 0"
# CPU n uses arena n % nr_arenas: on this 2-CPU VM a third would never be used.
ok "nr_arenas=3 refused (2 possible CPUs)" bad nr_arenas=3 "nr_arenas=3 invalid: must be in 0..2"
ok "max_bytes_total below max_bytes_per_fd refused" bad max_bytes_total=1048576 \
	"max_bytes_total=1048576 invalid: must be in 268435456.."
ok "max_bytes_total above RAM refused" bad max_bytes_total=$((ram * 2)) \
	"max_bytes_total=$((ram * 2)) invalid"
ok "leak_sample_rate=0 refused" bad leak_sample_rate=0 "leak_sample_rate=0 invalid: must be at least 1"
ok "leak_detection=sometimes refused" bad leak_detection=sometimes "leak_detection=sometimes invalid: must be disabled, simple, advanced or paranoid"
ok "buf_recycler_size=0 refused" bad buf_recycler_size=0 "buf_recycler_size=0 invalid: must be at least 1"
ok "page_size=abc refused by the parser" sh -c '! insmod bufpool.ko page_size=abc 2>/dev/null && [ ! -d /sys/module/bufpool ]'
finish
