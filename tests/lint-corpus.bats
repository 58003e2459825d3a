#!/usr/bin/env bats
# conf-lint against squawk's own 273 test cases, output formats, and the schema corpus

load helper

CASES=$CORPUS/lint/cases
SCHEMAS=$CORPUS/schemas

# Where conf-lint and squawk disagree, and why (file: reason). The agreement test fails when the
# disagreements are not exactly these.
KNOWN='adding-field-with-default/docs_example_error_on_pg_11.err.sql: PostgreSQL 11 added constant defaults without a rewrite (release notes, "fast default"); squawk counts 11 as older, we follow the server
ban-char-field/all_the_types.err.sql: "int array[]" is not PostgreSQL syntax (the server and libpg_query reject it; squawk'"'"'s own parser is lenient), so the file does not parse
ban-uncommitted-transaction/fix_adds_commit_with_cr_line_endings.fix.sql: the case file holds a Rust string literal ("BEGIN;\rCREATE ..."), not SQL: it does not parse
identifier-too-long/quoted_identifier_with_escaped_quotes_message_unescapes_quotes.err.sql: the case file holds squawk'"'"'s format template "{}""b", not the 64-byte name its test builds from it
require-timeout-settings/fixes_preserve_cr_line_endings.fix.sql: the case file holds a Rust string literal, not SQL: it does not parse
require-timeout-settings/ok_only_lock_timeout_rule_enabled.ok.sql: squawk enables only its require-lock-timeout sub-rule there, a setting index.json does not carry (conf-lint --select require-lock-timeout agrees: tests/conf-lint.bats)
require-timeout-settings/ok_only_statement_timeout_rule_enabled.ok.sql: squawk enables only its require-statement-timeout sub-rule there, a setting index.json does not carry'

# agree: one line "RULE EXPECT GOT FILE" a case, GOT ok or err, from conf-lint --select RULE
agree() {
	cd "$CASES" || return 1
	jq -r '.[] | "\(.rule)|\(.expect)|\(.settings)|\(.file)"' index.json |
		while IFS='|' read -r rule exp set file; do
			local flags=() n got=ok
			case $set in
			*assume_in_transaction*) flags=(--assume-in-transaction) ;;
			*pg_version*) flags=(--pg-version "$(printf '%s' "$set" | sed 's/[^0-9]*"\([0-9]*\)".*/\1/')") ;;
			esac
			n=$(conf-lint --select "$rule" "${flags[@]}" --fail-on never -j "$file" 2>/dev/null | wc -l)
			[ "$n" -eq 0 ] || got=err
			echo "$rule $exp $got $file"
		done
}

@test "squawk's cases: every err and fix case flagged by its rule, no ok case, but the known disagreements" {
	agree >"$BATS_TEST_TMPDIR/res"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/res")" -eq 273 ]
	# the agreement rate per rule and overall, on fd 3 (bats prints it)
	awk '{ ok = ($2 == "ok") ? ($3 == "ok") : ($3 == "err"); t[$1]++; a[$1] += ok; T++; A += ok }
		END { for (r in t) printf "# %-46s %3d/%-3d %5.1f%%\n", r, a[r], t[r], 100 * a[r] / t[r] | "sort";
		      close("sort"); printf "# overall %d/%d %.1f%%\n", A, T, 100 * A / T }' "$BATS_TEST_TMPDIR/res" >&3
	awk '{ ok = ($2 == "ok") ? ($3 == "ok") : ($3 == "err"); if (!ok) print $4 }' "$BATS_TEST_TMPDIR/res" >"$BATS_TEST_TMPDIR/dis"
	printf '%s\n' "$KNOWN" | sed 's/:.*//' >"$BATS_TEST_TMPDIR/known"
	run diff "$BATS_TEST_TMPDIR/known" "$BATS_TEST_TMPDIR/dis"
	assert_success
	# 266 of 273 (97.4%)
	[ "$(awk '{ ok = ($2 == "ok") ? ($3 == "ok") : ($3 == "err"); A += ok } END { print A }' "$BATS_TEST_TMPDIR/res")" -eq 266 ]
}

@test "JSON Lines: every line valid, with the nine keys (kind first)" {
	cd "$CASES"
	run --separate-stderr conf-lint -j --fail-on never --select all-rules-below \
		prefer-robust-stmts/*.sql
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-lint: --select: no rule named all-rules-below" ]
	conf-lint -j --fail-on never */*.sql >"$BATS_TEST_TMPDIR/out" 2>/dev/null || true
	[ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -gt 300 ]
	jq -c . "$BATS_TEST_TMPDIR/out" >/dev/null
	run jq -r 'select((keys_unsorted | join(",")) != "kind,rule,severity,file,line,col,message,help,url"
		or (.line | type) != "number" or (.col | type) != "number" or .line < 1 or .col < 1)' "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_output ''
}

@test "SARIF: a 2.1.0 log with the properties the schema requires" {
	cd "$CASES"
	conf-lint --format sarif --fail-on never */*.sql >"$BATS_TEST_TMPDIR/sarif" 2>/dev/null || true
	# required by the SARIF 2.1.0 schema: log.version and runs; run.tool.driver.name; result.message
	# (with text); every ruleIndex within the driver's rules; region lines and columns >= 1
	run jq -e '.version == "2.1.0" and (.runs | type == "array" and length == 1)
		and (.runs[0].tool.driver.name | type == "string")
		and ([.runs[0].tool.driver.rules[] | select((.id | type) != "string")] | length == 0)
		and (.runs[0].results | length > 300)
		and ([.runs[0].results[] as $r | select(($r.message.text | type) != "string"
			or ($r.level | IN("none", "note", "warning", "error") | not)
			or .runs[0].tool.driver.rules[$r.ruleIndex].id != $r.ruleId
			or ($r.locations[0].physicalLocation.artifactLocation.uri | type) != "string"
			or $r.locations[0].physicalLocation.region.startLine < 1
			or $r.locations[0].physicalLocation.region.startColumn < 1)] | length == 0)' "$BATS_TEST_TMPDIR/sarif"
	assert_success
}

@test "gcc format parses back: FILE:LINE:COL: severity: rule: message, same findings as JSON" {
	cd "$CASES"
	conf-lint --fail-on never */*.sql >"$BATS_TEST_TMPDIR/gcc" 2>/dev/null || true
	conf-lint -j --fail-on never */*.sql 2>/dev/null |
		jq -r '"\(.file):\(.line):\(.col): \(.severity): \(.rule): \(.message)"' >"$BATS_TEST_TMPDIR/fromjson" || true
	run grep -Evc '^[^:]+:[0-9]+:[0-9]+: (error|warning|info): [a-z0-9_-]+: .+$' "$BATS_TEST_TMPDIR/gcc"
	assert_output 0
	cmp "$BATS_TEST_TMPDIR/gcc" "$BATS_TEST_TMPDIR/fromjson"
}

@test "GitHub annotations: one workflow command a finding" {
	run conf-lint --format github --select ban-drop-column,prefer-robust-stmts - <<<'select 1;
alter table t drop column c, drop column d;'
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = '::error file=<stdin>,line=2,col=1,title=ban-drop-column::column t.c is dropped (stop using the column in the application first, then drop it in a later release)' ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[3]}" = '::warning file=<stdin>,line=2,col=1,title=prefer-robust-stmts::missing IF EXISTS: the migration cannot be rerun if it fails part way (use IF [NOT] EXISTS, or run the migration in a transaction)' ]
}

# Counts on the schema corpus, default rules. Spot-checked against squawk's definitions: the
# squawk rules fire for the reasons squawk gives (pg_dump output runs outside a transaction,
# so prefer-robust-stmts flags each CREATE and ALTER; integer and timestamp columns; no
# lock_timeout in chinook's script; its DROP DATABASE). Tables, constraints and indexes are
# created in the same file, so the lock rules (require-concurrent-index-creation,
# constraint-missing-not-valid, adding-foreign-key-constraint) stay quiet: a table the file
# created is new. squawk counts a table as new only when it was created inside the same
# transaction, and pg_dump's output has none, so squawk also reports each index and constraint
# of these dumps: those are findings squawk has and conf-lint has not, never the other way. The
# others are Confiture's hygiene rules, which squawk does not have.
counts() {
	conf-lint --fail-on never -j "$1" | jq -r .rule | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'
}

@test "schema corpus: pagila" {
	run counts "$SCHEMAS/pagila-schema-pg15compatible-e0e35a6.sql"
	assert_output 'ban-char-field=1 ban-create-domain-with-constraint=1 missing-table-comment=15 prefer-bigint-over-int=64 prefer-bigint-over-smallint=2 prefer-robust-stmts=156 security-definer-search-path=1 sensitive-column-comment=1 '
}

@test "schema corpus: danbooru" {
	run counts "$SCHEMAS/danbooru-structure.sql"
	assert_output 'ban-char-field=1 missing-primary-key=1 missing-table-comment=66 prefer-bigint-over-int=232 prefer-bigint-over-smallint=4 prefer-robust-stmts=674 prefer-text-field=1 prefer-timestamptz=147 sensitive-column-comment=2 '
}

@test "schema corpus: chinook" {
	run counts "$SCHEMAS/chinook-postgresql.sql"
	assert_output 'ban-drop-database=1 missing-table-comment=11 prefer-bigint-over-int=24 prefer-robust-stmts=33 prefer-text-field=34 prefer-timestamptz=3 require-lock-timeout=1 require-statement-timeout=1 '
}
