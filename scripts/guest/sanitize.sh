# SPDX-License-Identifier: GPL-2.0 OR MIT
# sanitize.sh - runs in the debug-kernel VM (KASAN, kmemleak; booted with
# kasan_multi_shot): bufpool_san_test.ko plants a use-after-free and a
# one-byte overflow per class, an overflow of a vmalloc'd huge allocation
# (the debug kernel has KASAN_VMALLOC), and three leaked buffers (one huge, one a
# chunk's first element); each plant must get exactly one KASAN report of
# its kind, tied to it by the marker line the module prints before it,
# correct use none, and kmemleak must report the three leaks and nothing
# else.  The host (scripts/vm-sanitize) then scans the
# console for any kernel report other than the planted ones.
# Files: /root/bufpool.ko, /root/bufpool_san_test.ko, /root/tap.sh.
cd /root
. ./tap.sh
insmod bufpool.ko || exit 10
insmod bufpool_san_test.ko || exit 11
dmesg > /tmp/dmesg

# reports MARKER N [KIND]: N KASAN reports between "== MARKER" and the next
# marker, each of KIND and in a planting function.
reports() {
	awk -v m="bufpool_san_test: == $1" -v want="$2" -v kind="${3:-}" '
		index($0, "bufpool_san_test: == ") { on = index($0, m) > 0 }
		on && /BUG: KASAN: / { n++; if (kind != "" && index($0, kind) && /san_plant_/) good++ }
		END {
			printf("# %s: %d report(s), %d of kind \"%s\"\n", m, n, good, kind)
			exit !(n == want && (kind == "" || good == want))
		}' /tmp/dmesg
}
ok "no KASAN report on correct use of every class" reports "clean start" 0
for c in tiny small normal huge; do
	ok "KASAN reports a $c use-after-free" reports "plant $c uaf" 1 use-after-free
	ok "KASAN reports a $c one-byte overflow" reports "plant $c overflow" 1 out-of-bounds
done
ok "the vmalloc'd huge plant is vmalloc'd" grep -q "plant vhuge overflow (vmalloc'd)" /tmp/dmesg
ok "KASAN reports a vmalloc'd huge one-byte overflow" reports "plant vhuge overflow" 1 out-of-bounds

# kmemleak: objects younger than 5 s are never reported; two scans settle it.
leaks() {
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > /tmp/kmemleak
	sed 's/^/# /' /tmp/kmemleak | head -n 40
	[ "$(grep -c 'unreferenced object' /tmp/kmemleak)" = 3 ] &&
		grep -q 'unreferenced object 0x[0-9a-f]* (size 200)' /tmp/kmemleak &&
		grep -q 'san_plant_leak' /tmp/kmemleak &&
		grep -q 'unreferenced object 0x[0-9a-f]* (size 270336)' /tmp/kmemleak &&
		grep -q 'san_plant_huge_leak' /tmp/kmemleak &&
		grep -q 'unreferenced object 0x[0-9a-f]*000 (size 300)' /tmp/kmemleak &&
		grep -q 'san_plant_first_leak' /tmp/kmemleak
}
ok "kmemleak reports the three leaked buffers (one huge, one a chunk's first), and nothing else" leaks
echo clear > /sys/kernel/debug/kmemleak
# Unload destroys the pool with the leaked buffer: kmemleak forgets it (the
# host's --kmemleak scan after this script must find nothing).
ok "the test module unloads" rmmod bufpool_san_test
ok "bufpool unloads" rmmod bufpool
finish
