#!/usr/bin/env bats
# conf-map: the mapping YAML from two schema models. Its checks through the staging tables and
# the front (analyze) are in s2s.bats, on the acceptance change.

load helper

setup() {
	S=$BATS_TEST_TMPDIR
}

@test "conf-map offline: names YAML would misread are quoted, partitions travel with their parent" {
	cat >"$S/s.jsonl" <<'EOF'
{"kind":"table","id":"table:app.\"Mixed\"","columns":[{"name":"yes","type":"integer"},{"name":"a b","type":"text"}],"name":"Mixed","schema":"app"}
{"kind":"table","id":"table:public.m","columns":[{"name":"k","type":"integer"}],"name":"m","schema":"public","relkind":"partitioned"}
{"kind":"table","id":"table:public.m1","columns":[{"name":"k","type":"integer"}],"name":"m1","schema":"public","partition_of":"table:public.m"}
EOF
	cat >"$S/t.jsonl" <<'EOF'
{"kind":"table","id":"table:app.\"Mixed\"","columns":[{"name":"yes","type":"bigint","not_null":true},{"name":"a b","type":"text"},{"name":"g","type":"integer","generated":"1"},{"name":"n","type":"text"}],"name":"Mixed","schema":"app"}
{"kind":"table","id":"table:public.m","columns":[{"name":"k","type":"integer"}],"name":"m","schema":"public","relkind":"partitioned"}
{"kind":"table","id":"table:public.m1","columns":[{"name":"k","type":"integer"}],"name":"m1","schema":"public","partition_of":"table:public.m"}
EOF
	run --separate-stderr conf-map -S "$S/s.jsonl" -T "$S/t.jsonl"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "# confiture schema-to-schema mapping: source $S/s.jsonl -> target $S/t.jsonl
# Edit it, then: confiture migrate schema-to-schema migrate --mapping THIS_FILE
'app.\"Mixed\"':
  source_table: 'app.\"Mixed\"'
  target_table: 'app.\"Mixed\"'
  columns:
    'yes': 'yes'                    # cast integer -> bigint: not checked: analyze without the target (-d); NOT NULL in the target, not in the source: not checked: analyze without the target (-d)
    'a b': 'a b'
    g: {default: true}              # target-only generated column: computed by the target
    'n': {default: true}            # target-only column without a default: left NULL (or give an expression)
m:
  source_table: public.m
  target_table: public.m
  columns:
    k: k"
	run --separate-stderr conf-map -S "$S/s.jsonl"
	assert_failure 5
	assert_equal "$stderr" "conf-map: usage: conf-map -S source.jsonl -T target.jsonl [-s source-conninfo] [-d target-conninfo] [--staging-schema name] [--source-name text] [--target-name text]"
}
