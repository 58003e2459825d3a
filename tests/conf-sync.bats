#!/usr/bin/env bats
# conf-sync: the service file (-s) and the meter and commit gate (-m) of confiture sync.
# (confiture sync itself: tests/sync.bats)

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
}

# dead_pid: the id of a process that has ended and been waited for
dead_pid() {
	sh -c 'exit 0' &
	DEAD=$!
	wait "$DEAD"
}

@test "conf-sync -s: a private service file from environment names or connection strings; its errors" {
	mkdir -p db/environments
	printf 'database_url: "host=/s port=5 dbname=a password=pw"\nrequire_confirmation: true\n' >db/environments/prod.yaml
	printf 'include_dirs: [db/schema]\n' >db/environments/empty.yaml
	CONFITURE_SYNC_FROM='postgresql://u:p%20w@h:6/db?sslmode=disable' CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc"
	assert_success
	assert_output "$(printf 'to-protected\tprod\trequire_confirmation: true')"
	assert_equal "$(stat -c %a "$T/svc")" 600
	assert_equal "$(cat "$T/svc")" "$(printf '[from]\nuser=u\npassword=p w\ndbname=db\nhost=h\nport=6\nsslmode=disable\n[to]\npassword=pw\ndbname=a\nhost=/s\nport=5')"
	CONFITURE_SYNC_FROM=dbname=x CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc"
	assert_failure 1
	assert_equal "$stderr" "conf-sync: $T/svc: File exists"
	CONFITURE_SYNC_FROM=empty CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc2"
	assert_failure 5
	assert_equal "$stderr" "conf-sync: --from empty: db/environments/empty.yaml sets no database_url"
	CONFITURE_SYNC_FROM='host=h password=Sent1nel junk' CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc2"
	assert_failure 5
	assert_equal "$stderr" "conf-sync: --from: the connection string cannot be parsed (libpq's reason is not shown: it may quote a password)"
	CONFITURE_SYNC_FROM='service=x' CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc2"
	assert_failure 5
	assert_equal "$stderr" "conf-sync: --from: a connection string naming a service (service=) cannot be used here: give its settings instead"
	CONFITURE_SYNC_FROM="host=h password='a b '" CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc2"
	assert_failure 5
	assert_equal "$stderr" "conf-sync: --from: the setting password holds a line break or ends in a blank, which a service file cannot hold"
	[ ! -e "$T/svc2" ]
	CONFITURE_SYNC_TO=prod run --separate-stderr conf-sync -s "$T/svc2"
	assert_failure 5
	assert_equal "$stderr" "conf-sync: --from is missing: an environment name or a connection string"
}

@test "conf-sync -m: the stream passes unchanged; one cut inside a COPY block is an error" {
	printf 'SET x = 1;\nCOPY public.t (a) FROM stdin;\n1\n\\.\nCOPY public.u (a) FROM stdin;\n2\n' >"$T/cut.sql"
	run --separate-stderr conf-sync -m <"$T/cut.sql"
	assert_failure 4
	assert_output "$(cat "$T/cut.sql")"
	assert_equal "$(sed -E 's/[0-9.]+ s, [0-9]+ rows/N s, N rows/' <<<"$stderr")" "$(printf 'conf-sync: public.t: 1 rows, 0.0 MB, N s, N rows/s\nconf-sync: the stream ends inside a COPY block (no \\. line)')"
}

@test "conf-sync -m: plain lines every -i seconds while a block is copied, when stderr is no terminal" {
	{ printf 'COPY public.t (a) FROM stdin;\n'; for i in 1 2 3; do seq 1 5000; sleep 1.1; done; printf '\\.\n'; } |
		conf-sync -m -i 1 2>"$T/plain" >/dev/null
	assert_equal "$(grep -c ' (copying)$' "$T/plain")" 2
	assert_equal "$(tail -n 1 "$T/plain" | sed -E 's/[0-9.]+ s, [0-9]+ rows/N s, N rows/')" "conf-sync: public.t: 15000 rows, 0.1 MB, N s, N rows/s"
}

@test "conf-sync -m -p: the closing COMMIT; passes while the process lives, is held back (exit 1) when it is gone" {
	printf 'BEGIN;\nCOPY public.t (a) FROM stdin;\n1\n2\n\\.\nCOMMIT;\n' >"$T/s.sql"
	run --separate-stderr conf-sync -m -p $$ <"$T/s.sql"
	assert_success
	assert_output "$(cat "$T/s.sql")"
	dead_pid
	run --separate-stderr conf-sync -m -p "$DEAD" <"$T/s.sql"
	assert_failure 1
	assert_output "$(printf 'BEGIN;\nCOPY public.t (a) FROM stdin;\n1\n2\n\\.')"
	assert_equal "$(sed 1d <<<"$stderr")" "conf-sync: process $DEAD (confiture) is gone: the load is not committed"
	# the COMMIT cut across reads is held back all the same
	run --separate-stderr bash -c "{ head -c 40 '$T/s.sql'; sleep 0.3; tail -c +41 '$T/s.sql' | head -c 4; sleep 0.3; tail -c +45 '$T/s.sql'; } | conf-sync -m -p $DEAD"
	assert_failure 1
	assert_equal "$(sed 1d <<<"$stderr")" "conf-sync: process $DEAD (confiture) is gone: the load is not committed"
	# a stream that does not end in COMMIT; has nothing to hold back
	printf 'COPY public.t (a) FROM stdin;\n1\n\\.\nSELECT 1;\n' >"$T/n.sql"
	run --separate-stderr conf-sync -m -p "$DEAD" <"$T/n.sql"
	assert_success
	assert_output "$(cat "$T/n.sql")"
}

@test "conf-sync -m -F: when the file exists at the end, exit 1 without a word and without the COMMIT;" {
	printf 'BEGIN;\nCOPY public.t (a) FROM stdin;\n1\n\\.\nCOMMIT;\n' >"$T/s.sql"
	run --separate-stderr conf-sync -m -F "$T/failed" <"$T/s.sql"
	assert_success
	assert_output "$(cat "$T/s.sql")"
	: >"$T/failed"
	run --separate-stderr conf-sync -m -F "$T/failed" <"$T/s.sql"
	assert_failure 1
	assert_output "$(printf 'BEGIN;\nCOPY public.t (a) FROM stdin;\n1\n\\.')"
	assert_equal "$(grep -vc '^conf-sync: public\.t: 1 rows, ' <<<"$stderr")" 0
}

@test "conf-sync -m -j: one stats line per block (table, rows, bytes of the rows, ms); the stream byte for byte, long rows and odd bytes too" {
	{
		printf 'SET a = 1;\nCOPY "S"."T x" (a, b) FROM stdin;\n'
		printf 'x\\\\.\t\\N\n\\.x\tb\r\n'
		head -c 300000 /dev/zero | tr '\0' 'y'
		printf '\t\\\\.\n\\.\nCOPY public.u (a) FROM stdin;\n\\.\nCOMMIT;'
	} >"$T/s.sql"
	run --separate-stderr conf-sync -m -j "$T/stats" -E /dev/null <"$T/s.sql"
	assert_success
	cmp "$T/s.sql" <(conf-sync -m <"$T/s.sql" 2>/dev/null)
	assert_equal "$(cut -f 1-3 "$T/stats")" "$(printf '"S"."T x"\t3\t300020\npublic.u\t0\t0')"
	grep -qE $'^public\\.u\t0\t0\t[0-9]+$' "$T/stats"
	assert_equal "$(cut -d, -f1 <<<"$stderr")" "$(printf 'conf-sync: "S"."T x": 3 rows\nconf-sync: public.u: 0 rows')"
}

@test "conf-sync: usage errors exit 5; a stats file that cannot be written exits 1" {
	run --separate-stderr conf-sync
	assert_failure 5
	assert_equal "$stderr" "conf-sync: usage: conf-sync -s file [-C dir] | conf-sync -m [-E estimates] [-j stats] [-i seconds] [-p pid] [-F file]"
	run --separate-stderr conf-sync -m -s x
	assert_failure 5
	run --separate-stderr conf-sync -m -i 0 </dev/null
	assert_failure 5
	run --separate-stderr conf-sync -m -j "$T/no/such/stats" </dev/null
	assert_failure 1
	assert_equal "$stderr" "conf-sync: $T/no/such/stats: No such file or directory"
}

@test "conf-sync -m: its pipes are 1 MB (the kernel's default 64 kB wakes the pipeline 16 times as often)" {
	# the reader asks for the size once the first bytes came, after conf-sync set it
	run bash -c "printf 'SET a = 1;\n' | conf-sync -m | python3 -c 'import fcntl, sys; sys.stdin.buffer.readline(); print(fcntl.fcntl(0, 1032))'"
	assert_success
	assert_output 1048576
}
