#!/bin/sh
# both.sh FILE JQSELECT: records matching the jq selector from conf-parse -m FILE and from
# conf-inspect of a database FILE was loaded into (raw, with the _sql fields).
set -u
f=$1 sel=$2 db=rvb_$$
psql -XAtq -d postgres -c "CREATE DATABASE $db" >/dev/null || exit 5
psql -XAtq -d $db -f "$f" 2>&1 >/dev/null | grep ERROR
echo "--- parse"; conf-parse -m "$f" | jq -c "select($sel)"
echo "--- inspect"; conf-inspect -d "dbname=$db" | jq -c "select($sel)"
psql -XAtq -d postgres -c "DROP DATABASE $db WITH (FORCE)"
