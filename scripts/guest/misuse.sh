# SPDX-License-Identifier: GPL-2.0 OR MIT
# misuse.sh - runs in a VM that allows warnings: a double free through the
# exported API is refused with one WARN naming the pool, counted, and the
# pool stays usable.
. /root/tap.sh
cd /root
ok "insmod bufpool" insmod bufpool.ko
ok "demo with misuse=1 loads" insmod bufpool_demo.ko count=2 misuse=1
ok "WARN names the pool and the misuse" \
	sh -c 'dmesg | grep -q "bufpool: pool .default.: invalid free of .*: double free"'
ok "one warning for three misuses (WARN_ONCE)" is "$(dmesg | grep -c 'bufpool: pool')" 1
ok "invalid_frees = 3" is "$(stat_of default invalid_frees)" 3
ok "the refused frees left the memory untouched" \
	sh -c 'dmesg | grep -q "bufpool_demo: misuse left memory intact"'
ok "the refused frees changed nothing else" is "$(stat_of default active)" 8
ok "rmmod bufpool_demo" rmmod bufpool_demo
ok "active = 0" is "$(stat_of default active)" 0
ok "rmmod bufpool" rmmod bufpool
finish
