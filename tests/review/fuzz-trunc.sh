#!/bin/bash
# fuzz-trunc.sh BINDIR FILE...: every 211-byte prefix of each FILE through conf-parse and conf-parse -m (ASan build);
# reports any exit status above 5 or sanitizer message.
b=$1; shift
for f in "$@"; do
	sz=$(stat -c %s "$f")
	for ((off = 13; off < sz; off += 211)); do
		head -c "$off" "$f" >/tmp/fuzz-trunc.$$.sql
		for m in "" -m; do
			"$b/conf-parse" $m /tmp/fuzz-trunc.$$.sql >/dev/null 2>/tmp/fuzz-trunc.$$.err; rc=$?
			if [ $rc -gt 5 ] || grep -q -e Sanitizer -e 'runtime error' /tmp/fuzz-trunc.$$.err; then
				echo "rc=$rc $f prefix=$off $m"
			fi
		done
	done
done
rm -f /tmp/fuzz-trunc.$$.*
