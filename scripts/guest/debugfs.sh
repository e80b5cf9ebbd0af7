# SPDX-License-Identifier: GPL-2.0 OR MIT
# debugfs.sh - runs in the stock-kernel VM: the debugfs views next to
# stats (arenas, chunks, sizeclasses, caches) exist with mode 0400, print
# no kernel address, and agree with stats and with each other, for the
# default geometry and for one-page chunks (many chunks in one arena, so
# the bounded chunk walk takes several lock holds).
# bufpoolstat (/root/bufpoolstat) reads a pool by name and its arenas.
# Files: /root/bufpool.ko, /root/bufpool_demo.ko, /root/tap.sh; optional:
# /root/bufpool_stress.ko (the views are then read in a loop while it runs).
. /root/tap.sh
cd /root
d=/sys/kernel/debug/bufpool/default
views="stats arenas chunks sizeclasses caches"

# Number of possible CPUs, from a list like "0-1" or "0,2-3".
possible=$(awk -F, '{ n = 0; for (i = 1; i <= NF; i++) {
	k = split($i, r, "-"); n += k == 2 ? r[2] - r[1] + 1 : 1 } print n }' \
	/sys/devices/system/cpu/possible)

no_address() {	# no_address FILE: no token of 16 hex digits (%px, %p)
	! grep -Eiq '[0-9a-f]{16}' "$1" ||
		{ grep -Ei '[0-9a-f]{16}' "$1" | sed 's/^/# address? /'; false; }
}
chunk_lines() { grep -vc '^#' $d/chunks; }
arena_chunks() { awk '/^arena / { n += $4 } END { print n + 0 }' $d/arenas; }
list_chunks() {	# sum of the chunks column of every list row
	awk '$1 ~ /^q(init|000|025|050|075|100)$/ { n += $2 } END { print n + 0 }' $d/arenas
}
histogram_ok() {	# each list row's buckets add up to its chunks
	awk '$1 ~ /^q(init|000|025|050|075|100)$/ {
		if ($3 + $4 + $5 + $6 + $7 != $2) bad = 1 } END { exit bad }' $d/arenas
}
elems_used() {	# elems_used CLASS SIZE: in use, summed over the arenas
	awk -v c="$1" -v s="$2" '$1 == c && $2 == s { split($5, u, "/"); n += u[1] }
		END { print n + 0 }' $d/arenas
}
chunks_sane() {	# usage 0..100, largest free run <= free bytes <= chunk size
	awk -v cs="$1" '!/^#/ { if ($3 < 0 || $3 > 100 || $4 > cs || $5 > $4) bad = 1 }
		END { exit bad }' $d/chunks
}
log2() { _v=$1 _l=0; while [ "$_v" -gt 1 ]; do _v=$((_v / 2)); _l=$((_l + 1)); done; echo $_l; }
class_rows() { grep -Ec '^ *[0-9]+ +(tiny|small|normal|huge) ' $d/sizeclasses; }
cache_held_bytes() {	# sum over CPUs and bins of entries held x size
	awk '$1 ~ /^[0-9]+$/ { split($3, h, "/"); n += h[1] * $2 } END { print n + 0 }' $d/caches
}
cache_sum() {	# cache_sum COLUMN: hits (2) or misses (3), all CPUs and classes
	awk -v col="$1" '$1 ~ /^(tiny|small|normal)$/ { n += $col } END { print n + 0 }' $d/caches
}
cpu_cached_bytes() { awk '/^cpu / { n += $4 } END { print n + 0 }' $d/caches; }

all_views() {	# all_views WHEN: the checks that hold in any quiet state
	for f in $views; do
		ok "$1: $f has no kernel address" no_address "$d/$f"
	done
	ok "$1: chunks has one line per chunk of stats" is "$(chunk_lines)" "$(stat_of default chunks)"
	ok "$1: arenas' chunk counts add up to stats" is "$(arena_chunks)" "$(stat_of default chunks)"
	ok "$1: arenas' list rows add up to stats" is "$(list_chunks)" "$(stat_of default chunks)"
	ok "$1: each list's usage histogram adds up" histogram_ok
	ok "$1: chunk lines are sane" chunks_sane "$(sed -n 's/^chunk_size: //p' $d/sizeclasses)"
	ok "$1: caches: held entries x size = stats cached_bytes" \
		is "$(cache_held_bytes)" "$(stat_of default cached_bytes)"
	ok "$1: caches: per-CPU cached_bytes add up to stats" \
		is "$(cpu_cached_bytes)" "$(stat_of default cached_bytes)"
	ok "$1: caches: per-CPU hits add up to stats" is "$(cache_sum 2)" "$(stat_of default cache_hits)"
	ok "$1: caches: per-CPU misses add up to stats" is "$(cache_sum 3)" "$(stat_of default cache_misses)"
}

geometry() {	# geometry PAGE_SIZE MAX_ORDER: sizeclasses matches it
	ok "sizeclasses: page_size $1" is "$(sed -n 's/^page_size: //p' $d/sizeclasses)" "$1"
	ok "sizeclasses: max_order $2" is "$(sed -n 's/^max_order: //p' $d/sizeclasses)" "$2"
	ok "sizeclasses: chunk_size" is "$(sed -n 's/^chunk_size: //p' $d/sizeclasses)" $(($1 << $2))
	# 31 tiny, log2(page) - 9 small, max_order + 1 normal, 1 huge
	expected=$((31 + $(log2 "$1") - 9 + $2 + 1 + 1))
	ok "sizeclasses: $expected classes listed" is "$(class_rows)" "$expected"
	ok "sizeclasses: classes: header agrees" \
		is "$(sed -n 's/^classes: //p' $d/sizeclasses)" "$expected"
}

# --- default geometry ----------------------------------------------------------
# One allocation per cache miss (cache_refill=1, as Netty), so that the
# arena views count exactly what the demo holds; batched refills are
# counted by the KUnit and userspace suites.
ok "insmod bufpool (default geometry, cache_refill=1)" insmod bufpool.ko cache_refill=1
for f in $views; do
	ok "$f exists" test -f "$d/$f"
	ok "$f is mode 0400" is "$(stat -c %a "$d/$f")" 400
done
geometry 8192 9
all_views "empty pool"
ok "empty pool: no chunk lines" is "$(chunk_lines)" 0
ok "one arena block per possible CPU" is "$(grep -c '^arena ' $d/arenas)" "$possible"
ok "one cache block per possible CPU" is "$(grep -c '^cpu ' $d/caches)" "$possible"

# The demo keeps 8 each of 100 B (tiny 112), 2000 B (small 2048), 20000 B
# (normal 32 KiB) and 5 MiB (huge) until it unloads.
ok "insmod bufpool_demo count=8" insmod bufpool_demo.ko count=8
sed 's/^/# /' $d/arenas
sed 's/^/# /' $d/chunks
all_views "demo loaded"
ok "demo loaded: at least one chunk" sh -c '[ "$0" -ge 1 ]' "$(chunk_lines)"
ok "arenas: 8 tiny 112 B elements in use" is "$(elems_used tiny 112)" 8
ok "arenas: 8 small 2048 B elements in use" is "$(elems_used small 2048)" 8
# bufpoolstat shows any kernel pool by name, its arenas as debugfs does.
./bufpoolstat --sort allocations | sed 's/^/# /'
ok "bufpoolstat --list names the default pool" sh -c './bufpoolstat --list | grep -qx default'
ok "bufpoolstat --pool default --arenas = debugfs arenas" \
	sh -c './bufpoolstat --pool default --arenas > /tmp/a.txt && cmp -s /tmp/a.txt $0' $d/arenas
ok "bufpoolstat --pool default --arenas --json: one arena object per arena" \
	sh -c '[ "$(./bufpoolstat --pool default --arenas --json | grep -o "{\"arena\": " | wc -l)" -eq "$0" ]' \
	"$possible"
ok "bufpoolstat --pool nosuch: exit 1, names the pool" \
	sh -c './bufpoolstat --pool nosuch 2> /tmp/err; [ $? -eq 1 ] && grep -q "no kernel pool .nosuch." /tmp/err'

# Freed, the buffers sit in the freeing CPU's cache: still allocated in
# their chunks, held in bins.
ok "rmmod bufpool_demo" rmmod bufpool_demo
sed 's/^/# /' $d/caches
all_views "demo unloaded"
ok "caches hold the freed buffers" sh -c '[ "$0" -gt 0 ]' "$(cache_held_bytes)"
ok "cached elements still count as in use" is "$(elems_used tiny 112)" 8

echo 3 > /proc/sys/vm/drop_caches
all_views "after drop_caches"
ok "after drop_caches: no chunk lines" is "$(chunk_lines)" 0
ok "rmmod bufpool" rmmod bufpool

# --- one-page chunks, one arena: many chunks, several lock holds per walk ------
ok "insmod bufpool page_size=4096 max_order=0 nr_arenas=1" \
	insmod bufpool.ko page_size=4096 max_order=0 nr_arenas=1
geometry 4096 0
# 32 tiny in 1 page, 32 small of 2048 B in 16 pages; 20000 B is huge here.
ok "insmod bufpool_demo count=32" insmod bufpool_demo.ko count=32
all_views "one-page chunks"
ok "one-page chunks: more chunks than one walk step (8)" \
	sh -c '[ "$0" -gt 8 ]' "$(chunk_lines)"
ok "one-page chunks: 32 small 2048 B elements in use" is "$(elems_used small 2048)" 32
ok "one-page chunks: one arena block" is "$(grep -c '^arena ' $d/arenas)" 1
ok "rmmod bufpool_demo" rmmod bufpool_demo
ok "rmmod bufpool" rmmod bufpool

# --- a CPU going offline gives its cache back --------------------------------
# Buffers freed on CPU 1 sit in CPU 1's cache; when CPU 1 goes offline the
# module's hotplug callback gives that cache back (the drains only visit
# online CPUs, so before it they stayed pinned until CPU 1 returned).
cpu1_cached() { awk '/^cpu 1:/ { print $4 }' $d/caches; }
if [ -w /sys/devices/system/cpu/cpu1/online ] && [ -x /root/dev_demo ]; then
	ok "insmod bufpool (CPU hotplug)" insmod bufpool.ko
	ok "dev_demo on CPU 1 frees its buffers there" taskset -c 1 /root/dev_demo true
	ok "CPU 1's cache holds them" sh -c '[ "$0" -gt 0 ]' "$(cpu1_cached)"
	ok "CPU 1 goes offline" sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'
	ok "CPU 1's cache was given back" is "$(cpu1_cached)" 0
	ok "stats cached_bytes = what the online CPUs hold" \
		is "$(stat_of default cached_bytes)" "$(cpu_cached_bytes)"
	ok "CPU 1 comes back" sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'
	ok "rmmod bufpool" rmmod bufpool
fi

# --- readers racing allocators ---------------------------------------------
if [ -f /root/bufpool_stress.ko ]; then
	ok "insmod bufpool nr_arenas=2" insmod bufpool.ko nr_arenas=2
	rm -f /tmp/stop /tmp/reads
	(
		reads=0
		while [ ! -f /tmp/stop ]; do
			for p in /sys/kernel/debug/bufpool/*; do
				cat "$p/arenas" "$p/chunks" "$p/caches" "$p/sizeclasses" > /dev/null 2>&1
			done
			reads=$((reads + 1))
		done
		echo $reads > /tmp/reads
	) &
	ok "cross-CPU stress with the views read in a loop" insmod bufpool_stress.ko ops=50000
	touch /tmp/stop
	wait
	echo "# $(cat /tmp/reads) rounds of reads during the stress"
	ok "the views were read during the stress" sh -c '[ "$0" -ge 1 ]' "$(cat /tmp/reads)"
	ok "rmmod bufpool_stress" rmmod bufpool_stress
	ok "rmmod bufpool" rmmod bufpool
fi
finish
