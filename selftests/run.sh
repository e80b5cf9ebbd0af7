#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# run.sh - load bufpool.ko with the limits bufpool_dev_test expects, run
# it, unload.  As root, in the directory holding bufpool.ko and the test
# (scripts/check copies both into the VM's /root).
KO=${BUFPOOL_KO:-./bufpool.ko}
insmod "$KO" max_handles_per_fd=100 max_bytes_per_fd=16777216 max_bytes_total=83886080 || {
	echo "1..0 # SKIP cannot load $KO"
	exit 4
}
./bufpool_dev_test
rc=$?
rmmod bufpool || rc=1
exit $rc
