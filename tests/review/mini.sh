#!/bin/sh
# mini.sh: SQL on stdin → load into a fresh database, print conf-parse -m stderr and the
# records that differ (after the agreement filter), raw with _sql fields: "<" parse, ">" inspect.
set -u
db=rvm_$$ f=/tmp/mini.$$.sql
cat >"$f"
psql -XAtq -d postgres -c "CREATE DATABASE $db" >/dev/null || exit 5
psql -XAtq -d $db -f "$f" 2>&1 >/dev/null | grep -E 'ERROR|FATAL' | sed 's/^/psql: /'
filt='walk(if type=="object" then with_entries(select(.key|test("^(file|line|col|sql)$|_sql$")|not)) else . end)'
conf-parse -m "$f" >/tmp/mini.$$.p 2>/tmp/mini.$$.e; echo "parse rc=$?"; sed 's/^/stderr: /' /tmp/mini.$$.e
conf-inspect -d "dbname=$db" >/tmp/mini.$$.i 2>/tmp/mini.$$.ie || echo "inspect rc=$?"; sed 's/^/istderr: /' /tmp/mini.$$.ie
jq -c "select(.kind!=\"unmodeled\")|$filt" /tmp/mini.$$.p >/tmp/mini.$$.pf
jq -c "$filt" /tmp/mini.$$.i >/tmp/mini.$$.if
if cmp -s /tmp/mini.$$.pf /tmp/mini.$$.if; then echo AGREE; else
  echo DISAGREE
  diff /tmp/mini.$$.pf /tmp/mini.$$.if | grep '^[<>]' | cut -c3- | jq -r .id | sort -u >/tmp/mini.$$.ids
  while IFS= read -r id; do
    jq -c --arg id "$id" 'select(.id==$id)|del(.file,.line,.col)' /tmp/mini.$$.p | sed 's/^/< /'
    jq -c --arg id "$id" 'select(.id==$id)' /tmp/mini.$$.i | sed 's/^/> /'
  done </tmp/mini.$$.ids
fi
[ -n "${SHOW:-}" ] && { echo "== parse"; cat /tmp/mini.$$.p; echo "== inspect"; cat /tmp/mini.$$.i; }
psql -XAtq -d postgres -c "DROP DATABASE $db WITH (FORCE)"
rm -f /tmp/mini.$$.*
