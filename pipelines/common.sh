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
