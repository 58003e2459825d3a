# shellcheck shell=sh
# Helpers of the benchmarks, sourced after setting work (a scratch directory) and log (a file).
# shellcheck disable=SC2154 # work and log belong to the benchmark that sources this file

fail() {
	echo "bench/${bench_name:-?}: $*" >&2
	if [ -s "$log" ]; then
		echo "--- last output:" >&2
		tail -n 20 "$log" >&2
	fi
	exit 2
}

# series files hold one time in microseconds per line, net of the timer overhead
t_start() { t0=$(date +%s%N); }
t_stop() {
	_t1=$(date +%s%N)
	echo $(((_t1 - t0) / 1000 - overhead)) >>"$work/t/$1"
}

# stat NAME: "median min max n" in microseconds
stat() {
	sort -n "$work/t/$1" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%d %d %d %d\n", m, v[1], v[NR], NR }'
}
median() { stat "$1" | cut -d' ' -f1; }

# row LABEL NAME BASE NOTE: one aligned line of the table, the ratio being median / baseline median
row() {
	awk -v l="$1" -v s="$(stat "$2")" -v b="$(median "$3")" -v note="${4:-}" 'BEGIN {
		split(s, v, " ")
		line = sprintf("  %-42s %4d %10.1f %10.1f %10.1f %8.2fx  %s", l, v[4], v[1] / 1000, v[2] / 1000, v[3] / 1000, v[1] / b, note)
		sub(/ +$/, "", line)
		print line }'
}

header() {
	printf '  %-42s %4s %10s %10s %10s %9s  %s\n' "$1" runs "median ms" "min ms" "max ms" ratio "$2"
}

# verdict A OP B: PASS when A OP B holds (OP is < or <=)
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = op == "<" ? a < b : a <= b; print ok ? "PASS" : "FAIL" }'; }

psql_() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@" >>"$log" 2>&1; }
dropdb_() { psql_ -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" || fail "cannot drop database $1"; }

# bench_init: measure the cost of the two date(1) calls around an empty command, subtracted from every time
bench_init() {
	mkdir -p "$work/t"
	overhead=0
	_i=0
	while [ "$_i" -lt 30 ]; do
		t_start
		t_stop timer
		_i=$((_i + 1))
	done
	overhead=$(median timer)
}

