# SPDX-License-Identifier: GPL-2.0 OR MIT
# tap.sh - sourced by the guest scripts: TAP lines the host counts.
n=0
failed=0
ok() {		# ok DESCRIPTION COMMAND...: run COMMAND, report it
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		failed=$((failed + 1))
	fi
}
stat_of() {	# stat_of POOL KEY: a value from the pool's debugfs stats
	sed -n "s/^$2: //p" "/sys/kernel/debug/bufpool/$1/stats"
}
is() {		# is ACTUAL EXPECTED
	[ "$1" = "$2" ] || { echo "# got '$1', expected '$2'"; return 1; }
}
finish() {
	echo "1..$n"
	exit $((failed > 0))
}
