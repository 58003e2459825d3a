#!/bin/sh
# agree1.sh FILE: load FILE into a fresh database (psql, autocommit) and diff every record of
# conf-parse -m and conf-inspect after the agreement filter (the full diff, not just the first).
set -u
f=$1 db=rv_$$
psql -XAtq -d postgres -c "CREATE DATABASE $db" >/dev/null || exit 5
psql -XAtq -d $db -f "$f" >/dev/null 2>/tmp/agree1.$$.err
grep ERROR /tmp/agree1.$$.err
filt='walk(if type=="object" then with_entries(select(.key|test("^(file|line|col|sql)$|_sql$")|not)) else . end)'
conf-parse -m "$f" 2>/tmp/agree1.$$.perr | jq -c "select(.kind!=\"unmodeled\")|$filt" >/tmp/agree1.$$.p
echo "parse rc=$? stderr:"; cat /tmp/agree1.$$.perr
conf-inspect -d "dbname=$db" | jq -c "$filt" >/tmp/agree1.$$.i
diff /tmp/agree1.$$.p /tmp/agree1.$$.i
psql -XAtq -d postgres -c "DROP DATABASE $db WITH (FORCE)"
rm -f /tmp/agree1.$$.*
