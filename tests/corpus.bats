#!/usr/bin/env bats
# real schemas nobody here wrote (../shared/corpus), built through confiture build

load helper

setup() {
	[ -d "$CORPUS/schemas" ] || skip "no corpus at $CORPUS"
	need_db
	P=$BATS_TEST_TMPDIR/p
	mkdir -p "$P/db/environments"
	DB=t${BATS_SUITE_TEST_NUMBER}_corpus
	URL="postgresql:///$DB?host=$PGHOST"
}

@test "pagila: schema then data (21 COPY blocks, 7 partitions) builds" {
	cat >"$P/db/environments/local.yaml" <<YAML
include_dirs:
  - path: $CORPUS/schemas
    include: [pagila-schema-*.sql]
    recursive: false
    order: 1
  - path: $CORPUS/schemas
    include: [pagila-data-*.sql]
    recursive: false
    order: 2
YAML
	run --separate-stderr confiture build --project-dir "$P" --database-url "$URL"
	assert_success
	[ "$(q 'SELECT count(*) FROM public.rental')" = 16044 ]
	[ "$(q 'SELECT count(*) FROM public.payment')" = 16049 ]
	[ "$(q "SELECT count(*) FROM pg_inherits")" -ge 7 ]
	[ "$(q "SELECT count(*) FROM pg_views WHERE schemaname = 'public'")" -ge 7 ]
}

@test "danbooru: a Rails structure.sql builds" {
	printf 'include_dirs:\n  - path: %s\n    include: [danbooru-structure.sql]\n    recursive: false\n' \
		"$CORPUS/schemas" >"$P/db/environments/local.yaml"
	run --separate-stderr confiture build --project-dir "$P" --database-url "$URL"
	assert_success
	[ "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" -ge 65 ]
}

@test "chinook: its DROP/CREATE DATABASE are refused at their line, and nothing is created" {
	printf 'include_dirs:\n  - path: %s\n    include: [chinook-postgresql.sql]\n    recursive: false\n' \
		"$CORPUS/schemas" >"$P/db/environments/local.yaml"
	line=$(grep -n '^DROP DATABASE' "$CORPUS/schemas/chinook-postgresql.sql" | head -1 | cut -d: -f1)
	run --separate-stderr confiture build --project-dir "$P" --database-url "$URL"
	assert_failure 4
	assert_equal "${stderr##*$'\n'}" "conf-apply: $CORPUS/schemas/chinook-postgresql.sql:$line:1: DROP DATABASE acts outside the database being built"
	run psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname IN ('$DB', 'chinook')"
	assert_output 0
}

@test "the regression SQL splits without a crash; every error has a position" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no regression SQL"
	n=0
	for f in "$CORPUS"/parse/postgres_regress/*.sql; do
		run --separate-stderr conf-concat -k -C / "${f#/}"
		[ "$status" -eq 0 ] || [ "$status" -eq 4 ] || fail "$f: status $status"
		if [ "$status" -eq 4 ]; then
			[[ $stderr =~ ^conf-concat:\ ${f#/}:[0-9]+:[0-9]+:\  ]] || fail "$f: $stderr"
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 200 ]
}

# psql -L's query log (or conf-apply -l) → one statement per line, in a form both sides share:
# leading comments and the final ';' off, literals as '?' (psql puts the values of variables
# in), empty lines out (psql drops them outside literals), newlines as \n.
split_norm() {
	awk '
	function norm(t,    i, depth, two) {
		for (;;) {
			sub(/^[ \t\n\r\f]+/, "", t)
			if (substr(t, 1, 2) == "--") {
				i = index(t, "\n")
				t = i ? substr(t, i + 1) : ""
				continue
			}
			if (substr(t, 1, 2) == "/*") {
				depth = 1
				for (i = 3; i <= length(t) && depth > 0; ) {
					two = substr(t, i, 2)
					if (two == "/*") { depth++; i += 2 }
					else if (two == "*/") { depth--; i += 2 }
					else i++
				}
				t = substr(t, i)
				continue
			}
			break
		}
		sub(/[ \t\n\r\f]+$/, "", t)
		sub(/;$/, "", t)
		sub(/[ \t\n\r\f]+$/, "", t)
		gsub(/:\047[A-Za-z_][A-Za-z0-9_]*\047/, "\047?\047", t)
		gsub(/:"[A-Za-z_][A-Za-z0-9_]*"/, "\"?\"", t)
		gsub(/\047[^\047]*\047/, "\047?\047", t)
		gsub(/\n\n+/, "\n", t)
		gsub(/\\/, "\\\\", t)
		gsub(/\n/, "\\n", t)
		return t
	}
	$0 == "********* QUERY **********" { inq = 1; q = ""; first = 1; next }
	inq && $0 == "**************************" { inq = 0; t = norm(q); if (t != "") print t; next }
	inq { q = first ? $0 : q "\n" $0; first = 0 }'
}

@test "statement boundaries agree with psql's on the regression SQL, but for psql-only constructs" {
	R=$CORPUS/parse/postgres_regress
	[ -d "$R" ] || skip "no regression SQL"
	copyfail="a COPY FROM stdin that the server refuses: psql reads the lines after it as SQL, the reader as data"
	gset="a query ended by a psql command (\\gset, \\g, \\gexec, \\crosstabview) instead of ';'"
	declare -A why=(
		[alter_table]=$copyfail [copy]=$copyfail [copy2]=$copyfail [generated]=$copyfail
		[privileges]=$copyfail [rowsecurity]=$copyfail [update]=$copyfail
		[collate.icu.utf8]=$gset [collate.linux.utf8]=$gset [create_index]=$gset [create_table]=$gset
		[errors]=$gset [infinite_recurse]=$gset [json_encoding]=$gset [jsonpath_encoding]=$gset
		[largeobject]=$gset [misc_functions]=$gset [mvcc]=$gset [psql]=$gset [psql_crosstab]=$gset
		[reloptions]=$gset [stats]=$gset [tablespace]=$gset [tuplesort]=$gset [txid]=$gset
		[unicode]=$gset [xid]=$gset
		[copydml]="\\copy: psql builds and sends a COPY of its own"
		[tsearch]="\\copy ... from stdin: psql reads the data lines after it"
		[copyselect]="\\; puts a ';' into the query without ending it"
		[transactions]="\\; puts a ';' into the query without ending it"
		[rules]="\\r throws away the query buffer"
		[plpgsql]="SET standard_conforming_strings = off, which the reader refuses"
		[strings]="SET standard_conforming_strings = off, which the reader refuses"
	)
	# psql runs the files for real (COPY data is data only when the server accepts the COPY):
	# in two throwaway clusters of their own, one per core, so nothing touches the suite's
	. "$REPO/pipelines/pgtmp.sh"
	L=$BATS_TEST_TMPDIR/log
	mkdir -p "$L"
	files=("$R"/*.sql)
	pids=()
	for k in 0 1; do
		d[$k]=$(mktemp -d "${PGTEST_DIR:-/tmp}/split.XXXXXX")
		chmod 755 "${d[$k]}"
		(
			pgtmp_start "${d[$k]}" >"${d[$k]}.log" 2>&1 || exit 1
			psql -XAtq -d postgres -c 'CREATE DATABASE regress' >/dev/null || exit 1
			for ((i = k; i < ${#files[@]}; i += 2)); do
				b=$(basename "${files[$i]}" .sql)
				[ -z "${why[$b]:-}" ] || continue
				(cd "$R" && PGOPTIONS='-c statement_timeout=10000' timeout 60 psql -X -q -d regress \
					-v ON_ERROR_STOP=0 -L "$L/$b.psql" -f "$b.sql" -o /dev/null >/dev/null 2>&1 </dev/null)
			done
			pgtmp_stop "${d[$k]}" >/dev/null 2>&1
		) &
		pids[$k]=$!
	done
	for k in 0 1; do
		wait "${pids[$k]}" || { cat "${d[$k]}.log" >&2; fail "the psql side's cluster failed"; }
		rm -rf "${d[$k]}" "${d[$k]}.log"
	done
	agree=0
	bad=()
	for f in "${files[@]}"; do
		b=$(basename "$f" .sql)
		[ -z "${why[$b]:-}" ] || continue
		split_norm <"$L/$b.psql" >"$L/$b.p"
		conf-apply -l "$f" 2>"$L/$b.err" | split_norm >"$L/$b.c"
		if cmp -s "$L/$b.p" "$L/$b.c"; then
			agree=$((agree + 1))
		else
			bad+=("$b: $(diff "$L/$b.p" "$L/$b.c" | head -3 | cut -c1-200) $(cat "$L/$b.err")")
		fi
	done
	echo "# $agree/${#files[@]} files agree; ${#why[@]} use psql-only constructs (listed in the test)" >&3
	[ ${#bad[@]} -eq 0 ] || fail "$(printf '%s\n' "${bad[@]}")"
	[ "$agree" -ge 170 ]
}
