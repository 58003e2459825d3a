#!/usr/bin/env bats
# A drop-in for teams on the Python Confiture (issue 7): its command lines, environment files,
# build order, JSON shapes and exit codes, on a project laid out as its `confiture init` does.

load helper

FIX=$REPO/tests/fixtures/upstream-project

setup() {
	cd "$BATS_TEST_TMPDIR" || exit 1
}

# upstream_project: a copy of the fixture project in ./p, the current directory
upstream_project() {
	cp -R "$FIX" p
	cd p || exit 1
}

@test "build order is upstream's: sorted path by path component, not by whole-path bytes" {
	for p in 10_tables/z.sql z/deep.sql sub-a/x.sql sub/x.sql sub/y/z.sql a.b/c.sql a/c.sql a_b.sql \
		a/b/c.sql 00_common/x.sql 10_tables/a-b.sql 10_tables/a/b.sql 10_tables/a.sql A/b.sql 'b c/x.sql' \
		b/x.sql x.y/z.sql x/y.sql x-y.sql 20_views/v.sql 2_views/v.sql; do
		mkdir -p "db/schema/$(dirname "$p")"
		printf 'SELECT 1;\n' >"db/schema/$p"
	done
	run --separate-stderr conf-concat db/schema
	assert_success
	# the order of Python's sorted(Path("db/schema").rglob("*.sql")), as upstream's builder sorts
	assert_equal "$(printf '%s\n' "$output" | sed -n 's/^-- confiture:file \(.*\) sha256=.*/\1/p')" "db/schema/00_common/x.sql
db/schema/10_tables/a/b.sql
db/schema/10_tables/a-b.sql
db/schema/10_tables/a.sql
db/schema/10_tables/z.sql
db/schema/20_views/v.sql
db/schema/2_views/v.sql
db/schema/A/b.sql
db/schema/a/b/c.sql
db/schema/a/c.sql
db/schema/a.b/c.sql
db/schema/a_b.sql
db/schema/b/x.sql
db/schema/b c/x.sql
db/schema/sub/x.sql
db/schema/sub/y/z.sql
db/schema/sub-a/x.sql
db/schema/x/y.sql
db/schema/x-y.sql
db/schema/x.y/z.sql
db/schema/z/deep.sql"
}
