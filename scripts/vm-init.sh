#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# vm-init.sh - /init of the throw-away initramfs built by scripts/vm-run.
# Not meant to be run on the host.
#
# Mounts the usual pseudo filesystems, runs /root/cmd with sh (stdout and
# stderr on the console, stdin from /dev/null, cwd /root), then prints
#   BUFPOOL-VM-EXIT=<rc>
# on the console and reboots at once (qemu runs with -no-reboot, so the
# reboot ends qemu).  /etc/vm-run.conf (written by vm-run) may set
#   VM_KMEMLEAK=1   clear kmemleak before the command; afterwards scan, dump
#                   what kmemleak found and print BUFPOOL-VM-KMEMLEAK=<count>
#                   (or =unavailable)
# Never exits: if init exited, the kernel would panic.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
TERM=dumb
export PATH HOME TERM

# vm-run created the applet links, so each step below is one exec (they
# cost ~0.1 s each on the KASAN kernel under TCG).
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The kernel opened /dev/console for us if the initramfs had the node; make
# sure of it either way, and keep stdin off the console.
exec </dev/null >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

VM_KMEMLEAK=0
# shellcheck disable=SC1091  # written by vm-run
[ -f /etc/vm-run.conf ] && . /etc/vm-run.conf

# Wait until everything written to the console tty has left the UART:
# stty sets the mode with TCSADRAIN (onlcr is on already).
drain() {
	stty -F /dev/console onlcr 2>/dev/null
}

# The boot may run quiet, but KUnit results and the like are pr_info():
# show at least levels 0..6 on the console while the command runs.
read -r level rest < /proc/sys/kernel/printk
if [ "${level:-0}" -lt 7 ]; then
	echo 7 > /proc/sys/kernel/printk
fi

kml=/sys/kernel/debug/kmemleak
if [ "$VM_KMEMLEAK" = 1 ] && [ -w $kml ]; then
	# Forget what boot left behind.  kmemleak only reports objects older
	# than 5 s, so let the last boot-time allocations age first.
	sleep 5
	echo scan > $kml
	n=$(grep -c '^unreferenced object' $kml)
	[ "$n" = 0 ] || echo "vm-init: kmemleak: ignoring $n object(s) leaked during boot"
	echo clear > $kml
fi

cd /root || cd /
sh /root/cmd </dev/null
rc=$?
cd /

if [ "$VM_KMEMLEAK" = 1 ]; then
	if [ -w $kml ]; then
		# Let whatever the command allocated reach kmemleak's minimum
		# age (5 s) and scan; if that finds something, scan once more
		# so that a pointer that was only in transit (or in a register)
		# during the first scan does not make a false positive.
		sleep 5
		echo scan > $kml
		n=$(grep -c '^unreferenced object' $kml)
		if [ "$n" != 0 ]; then
			echo scan > $kml
			n=$(grep -c '^unreferenced object' $kml)
		fi
		if [ "$n" != 0 ]; then
			echo "vm-init: kmemleak report:"
			cat $kml
		fi
		echo "BUFPOOL-VM-KMEMLEAK=$n"
	else
		echo "BUFPOOL-VM-KMEMLEAK=unavailable"
	fi
fi

echo "BUFPOOL-VM-EXIT=$rc"
drain
sync
reboot -f
# reboot -f should not return; if it does, do not let init exit quietly.
echo "vm-init: reboot failed" >&2
while :; do sleep 3600; done
