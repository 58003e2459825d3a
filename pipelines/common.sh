# shellcheck shell=sh
# Helpers shared by the pipelines. Sourced, not run.

# die CODE MESSAGE: print "confiture: MESSAGE" and exit CODE
die() {
	_code=$1
	shift
	echo "confiture: $*" >&2
	exit "$_code"
}

say() {
	echo "confiture: $*" >&2
}

# need_value OPTION VALUE-COUNT: a usage error when an option has no value
need_value() {
	[ "$2" -ge 2 ] || die 5 "option $1 needs a value"
}

# header_field FILE NAME: a field of the "-- confiture:build" line of a built file
header_field() {
	sed -n "1s/.* $2=\\([^ ]*\\).*/\\1/p" "$1"
}

# exit_code COMMAND STATUS: STATUS as this tool's table has it, or, with
# CONFITURE_EXIT_CODES=upstream, as upstream Confiture exits for the same outcome
# (confiture(1), COMPATIBILITY)
exit_code() {
	[ "${CONFITURE_EXIT_CODES:-}" = upstream ] || { echo "$2"; return; }
	case $1:$2 in
	up:1) echo 3 ;;   # a failed migration: upstream's MIGR_* codes exit 3
	down:2) echo 0 ;; # upstream's down without a ledger has nothing to do
	*) echo "$2" ;;
	esac
}

# json_str TEXT: TEXT as a JSON string (one line of text: \ and " escaped, tabs as \t)
json_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/	/\\t/g')"
}

# abs_file FILE: FILE as an absolute path (its directory must exist)
abs_file() {
	echo "$(CDPATH='' cd -- "$(dirname -- "$1")" && pwd)/$(basename -- "$1")"
}

# envelope RC MESSAGE: upstream's error envelope on stdout, with the symbolic code that
# conf-migrate -U gives the same exit status
envelope() {
	case $1 in
	1) _c=SQL_001 ;;
	2) _c=PRECON_1001 ;;
	3) _c=CONFIG_006 ;;
	4) _c=SCHEMA_001 ;;
	5) _c=CONFIG_001 ;;
	6) _c=LOCK_1300 ;;
	7) _c=PFLIGHT_001 ;;
	8) _c=ROLLBACK_600 ;;
	*) _c=INTERRUPTED ;;
	esac
	printf '{"ok":false,"error":{"severity":"error","code":"%s","message":%s,"actionable":null,"details":{},"migration":null,"file":null,"line":null}}\n' \
		"$_c" "$(json_str "$2")"
}
