#!/bin/bash
# reject.sh: each line of stdin is one SQL case; print conf-parse -m's exit status and messages next to
# PostgreSQL's first ERROR for it (each case in a fresh database).
while IFS= read -r s; do
	[ -n "$s" ] || continue
	printf '%s\n' "$s" >/tmp/rej.$$.sql
	out=$(conf-parse -m /tmp/rej.$$.sql 2>&1 >/dev/null); prc=$?
	psql -Xq -d postgres -c 'create database rej'
	perr=$(psql -XAtq -d rej -f /tmp/rej.$$.sql 2>&1 | grep ERROR | head -1)
	psql -Xq -d postgres -c 'drop database rej'
	printf '%s\n  parse rc=%s %s\n  pg: %s\n' "$s" "$prc" "$out" "$perr"
done
rm -f /tmp/rej.$$.sql
