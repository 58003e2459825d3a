#!/bin/sh
# confiture verify-checksums: whether each applied migration's file still has the checksum
# recorded when it was applied. 0 all match, 1 a mismatch, 2 no tracking table (0 with
# --allow-uninitialized). Read through conf-migrate status, which compares them.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

format='' uninit=''
n=$#
while [ "$n" -gt 0 ]; do
	a=$1
	shift
	n=$((n - 1))
	case $a in
	-f | --format) [ "$n" -ge 1 ] || die 5 "option $a needs a value"; format=$1; shift; n=$((n - 1)) ;;
	--format=*) format=${a#*=} ;;
	--allow-uninitialized) uninit=1 ;;
	--fix) die 5 "--fix is not supported: rewriting the recorded checksums would hide a changed migration; restore the file, or write a new migration for the change" ;;
	-h | --help)
		echo "usage: confiture verify-checksums [--allow-uninitialized] [--format text|json] [-e ENV | -c FILE | --no-config] [-d URL] [--migrations-dir DIR] [--project-dir DIR]"
		exit 0
		;;
	*) set -- "$@" "$a" ;; # the options of confiture migrate, passed on
	esac
done
case $format in
'' | text | json) ;;
*) die 5 "--format is text or json, not $format" ;;
esac
tmp=$(mktemp "${TMPDIR:-/tmp}/confiture-checksums.XXXXXX") || die 1 "cannot create a temporary file"
rc=0
sh "$CONFITURE_PIPELINES/migrate.sh" "$@" status --format jsonl >"$tmp" 2>"$tmp.err" || rc=$?
# status says 1 for pending migrations too: that is not this command's business
if [ "$rc" -gt 2 ]; then
	cat "$tmp.err" >&2
	# --format json: upstream's error envelope, with the error said last
	if [ "$format" = json ]; then
		msg=$(tail -n 1 "$tmp.err")
		envelope "$rc" "${msg#*: }"
	fi
	rm -f "$tmp" "$tmp.err"
	exit "$rc"
fi
grep -v 'every migration is pending$' "$tmp.err" | grep -v ' applied, [0-9]* pending, ' >&2 || :
# one line per applied migration: STATE<TAB>VERSION<TAB>FILE (file as written in the JSON string)
rows=$(sed -n 's/^{"kind":"migration","version":"\([^"]*\)",.*"state":"\([^"]*\)",.*"file":\("\([^"\\]\|\\.\)*"\|null\)}$/\2	\1	\3/p' "$tmp" |
	grep -v '^pending')  || rows=''
rm -f "$tmp" "$tmp.err"
present=true
if [ "$rc" -eq 2 ]; then
	present=false
	if [ -z "$uninit" ]; then
		m="no tracking table: nothing was ever applied here (--allow-uninitialized makes this exit 0)"
		[ "$format" != json ] || envelope 2 "$m"
		die 2 "$m"
	fi
fi
checked=$(printf '%s\n' "$rows" | grep -c '^\(applied\|checksum mismatch\)	') || checked=0
bad=$(printf '%s\n' "$rows" | grep '^checksum mismatch	') || bad=''
nbad=0
[ -z "$bad" ] || nbad=$(printf '%s\n' "$bad" | wc -l)
if [ "$format" = json ]; then
	issues='' sep=''
	if [ -n "$bad" ]; then
		while IFS='	' read -r _ version file; do
			issues="$issues$sep{\"severity\":\"error\",\"code\":\"CHECKSUM_MISMATCH\",\"message\":$(json_str "migration $version changed since it was applied"),\"actionable\":\"restore the file, or write a new migration for the change\",\"details\":{},\"migration\":$(json_str "$version"),\"file\":$file,\"line\":null}"
			sep=,
		done <<EOF2
$bad
EOF2
	fi
	printf '{"ok":%s,"ledger_present":%s,"summary":{"checked":%d,"mismatched":%d},"issues":[%s]}\n' \
		"$([ "$nbad" -eq 0 ] && echo true || echo false)" "$present" "$checked" "$nbad" "$issues"
else
	if [ -n "$bad" ]; then
		printf '%s\n' "$bad" | while IFS='	' read -r _ version file; do
			echo "checksum mismatch $version $file" | sed 's/ "\(.*\)"$/ \1/'
		done
	fi
	say "$checked applied migrations checked, $nbad changed since applied"
fi
[ "$nbad" -eq 0 ] || exit 1
exit 0
