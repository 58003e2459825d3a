#!/usr/bin/env bats
# conf-anon: pg_dump's plain data stream -> the same stream with configured columns masked

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	export CONFITURE_ANON_KEY=test-key-0123456789
}

# mask 'STRATEGY[, options]' VALUE: the masked COPY field of VALUE (in COPY text form)
mask() {
	printf 'COPY t (v) FROM stdin;\n%s\n\\.\n' "$2" >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: %s}\n' "$1" >"$T/r.yaml"
	conf-anon -r "$T/r.yaml" "$T/s.sql" | sed -n 2p
}

luhn() {
	tr -cd 0-9 | rev | awk '{ s = 0; for (i = 1; i <= length($0); i++) { d = substr($0, i, 1) + 0; if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9 } s += d } print s % 10 }'
}

edge_db() {
	new_db "${1:-edge}"
	q "CREATE TABLE public.e (id int, t text, b bytea, a text[], j jsonb, js json, d timestamptz)"
	q "CREATE TABLE public.\"Odd Name\" (\"Mixed Col\" text, x text)"
	q "INSERT INTO e VALUES
	  (1, E'tab\there', '\\x00ff5c0a', '{a,\"b c\",NULL}', '{\"k\": \"v\\\\\\\\ \\\"q\\\"\"}', '{ \"raw\" : [1, 2] }', '2024-01-02 03:04:05+00'),
	  (2, E'new\nline\r\nand back\\\\slash', '\\x', '{}', 'null', '\"x\"', NULL),
	  (3, '', NULL, NULL, NULL, NULL, NULL),
	  (4, NULL, '\\xdeadbeef', '{\"\\\\\\\\\",\"\t\"}', '[\"é\", \"日本\"]', '{}', 'infinity'),
	  (5, E'\\\\N', NULL, NULL, NULL, NULL, NULL),
	  (6, E'ctl \\b \\f \\v \\001 end', NULL, NULL, NULL, NULL, NULL),
	  (7, 'ünïcödé 日本語 🎉', NULL, NULL, NULL, NULL, NULL)"
	q "INSERT INTO \"Odd Name\" VALUES ('secret one', 'keep')"
}

@test "no rules: a real pg_dump -a stream passes byte for byte (tabs, newlines, backslashes, \\N, empty, UTF-8, bytea, arrays, json)" {
	edge_db
	pg_dump -a -d "$DB" >"$T/dump.sql"
	run grep -c 'COPY public.e ' "$T/dump.sql"
	assert_output 1
	conf-anon "$T/dump.sql" >"$T/out.sql"
	cmp "$T/dump.sql" "$T/out.sql"
	conf-anon <"$T/dump.sql" >"$T/out2.sql"
	cmp "$T/dump.sql" "$T/out2.sql"
}

@test "rules on one column: every other field of every row passes byte for byte, the stream loads back" {
	edge_db
	pg_dump -a -d "$DB" >"$T/dump.sql"
	printf 'public.e:\n  - {column: t, strategy: redact}\n"public.\\"Odd Name\\"":\n  - {column: "\\"Mixed Col\\"", strategy: hash, length: 8}\n' >"$T/r.yaml"
	conf-anon -r "$T/r.yaml" "$T/dump.sql" >"$T/out.sql" 2>"$T/err"
	assert_equal "$(cat "$T/err")" ""
	assert_equal "$(wc -l <"$T/out.sql")" "$(wc -l <"$T/dump.sql")"
	diff <(grep -v -P '^[1-7]\t' "$T/dump.sql" | grep -v '^secret one') <(grep -v -P '^[1-7]\t' "$T/out.sql" | grep -v -P '^[0-9a-f]{8}\tkeep$')
	diff <(grep -P '^[1-7]\t' "$T/dump.sql" | cut -f1,3-) <(grep -P '^[1-7]\t' "$T/out.sql" | cut -f1,3-)
	assert_equal "$(grep -P '^[1-7]\t' "$T/out.sql" | cut -f2 | sort | uniq -c | sed 's/^ *//')" "$(printf '6 [REDACTED]\n1 \\N')"
	grep -qP '^[0-9a-f]{8}\tkeep$' "$T/out.sql"
	new_db back
	pg_dump -s -d t${BATS_SUITE_TEST_NUMBER}_edge | psql -XAtq -d "$DB" >/dev/null
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$T/out.sql" >/dev/null
	assert_equal "$(q 'SELECT count(*), count(t), count(b) FROM e')" "7|6|3"
}

@test "strategies with fixed output: redact, partial, partial_email, masking_retention, date generalize, null, preserve, text_redaction" {
	assert_equal "$(mask redact 'abc')" '[REDACTED]'
	assert_equal "$(mask 'redact, replacement: "XX"' 'abc')" 'XX'
	assert_equal "$(mask 'redact, preserve_length: true' 'héllo')" '*****'
	assert_equal "$(mask 'partial, prefix: 2, padding: "***", suffix: 1' 'abcdefgh')" 'ab***h'
	assert_equal "$(mask 'partial, prefix: 1, padding: "·", suffix: 1' 'éàü')" 'é·ü'
	assert_equal "$(mask partial_email 'daamien@gmail.com')" 'da******@gm******.com'
	assert_equal "$(mask 'masking_retention, preserve_start_chars: 2, preserve_end_chars: 2, preserve_delimiters: true' '555-123-4567')" '55*-***-**67'
	assert_equal "$(mask 'masking_retention, preserve_end_chars: 4, mask_char: "#"' '4111111111111111')" '############1111'
	assert_equal "$(mask 'date, generalize: month' '2024-03-17 12:34:56.123+01')" '2024-03-01 00:00:00+01'
	assert_equal "$(mask 'date, generalize: year' '2024-03-17')" '2024-01-01'
	assert_equal "$(mask null 'abc')" '\N'
	assert_equal "$(mask preserve 'a\tb')" 'a\tb'
	assert_equal "$(mask text_redaction 'mail a.b@ex.com, tel (555) 123-4567, card 4111-1111-1111-1111 on 2024-01-15 id 12345')" \
		'mail [REDACTED], tel [REDACTED], card [REDACTED] on 2024-01-15 id 12345'
	assert_equal "$(mask 'text_redaction, patterns: [email], replacement: "<e>"' 'to x@y.io or +33 6 12 34 56 78')" 'to <e> or +33 6 12 34 56 78'
	assert_equal "$(mask 'redact, max_length: 4' 'abc')" '[RED'
}

@test "a masked field is decoded from COPY text (\\NNN, \\xHH, \\b...) and written back escaped" {
	# partial with a prefix longer than the value is the identity on the decoded value
	assert_equal "$(mask 'partial, prefix: 100' 'a\101\x42\x7\tc\\d\b\f\v\r\n\q')" "aAB"$'\a''\tc\\d\b\f\v\r\nq'
	assert_equal "$(mask 'partial, prefix: 3, padding: "…"' 'é日本語')" 'é日本…'
	assert_equal "$(mask 'partial, prefix: 1' '\N')" '\N'
	assert_equal "$(mask 'partial, prefix: 1, padding: "\t"' '')" '\t'
}

@test "hash is HMAC-SHA256 keyed with the key's SHA-256, over seed NUL value; prefix and length" {
	k=$(printf '%s' "$CONFITURE_ANON_KEY" | sha256sum | cut -c1-64)
	want=$(printf 's1\0secret' | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$k" | sed 's/.*= //')
	assert_equal "$(mask 'hash, seed: s1' 'secret')" "$want"
	assert_equal "$(mask 'hash, seed: s1, prefix: "h_", length: 12' 'secret')" "h_${want:0:12}"
}

@test "keyed strategies keep their shape: email, phone, names, credit_card (Luhn), ip_address (subnet), date jitter, noise, address" {
	run mask email 'Alice.Smith@corp.example.org'
	assert_output --regexp '^user_[a-z2-7]{26}@example\.com$'
	run mask 'email, preserve_domain: true' 'Alice.Smith@corp.example.org'
	assert_output --regexp '^user_[a-z2-7]{26}@corp\.example\.org$'
	run mask 'email, preserve_domain: true, max_length: 30' 'x@corp.example.org'
	assert_output --regexp '^[a-z2-7]{13}@corp\.example\.org$'
	run mask phone '+33 (6) 12-34.56.78'
	assert_output --regexp '^\+[0-9]{2} \([0-9]\) [0-9]{2}-[0-9]{2}\.[0-9]{2}\.[0-9]{2}$'
	refute_output '+33 (6) 12-34.56.78'
	run mask 'phone, preserve_country_code: true' '+33 6 12 34 56 78'
	assert_output --regexp '^\+33 [0-9] [0-9]{2} [0-9]{2} [0-9]{2} [0-9]{2}$'
	run mask name 'Alice Smith'
	assert_output --regexp '^[A-Z][a-z]+ [A-Z][a-z]+$'
	for c in 4111111111111111 '5500 0000 0000 0004' 378282246310005; do
		run mask credit_card "$c"
		assert_equal "${output: -4}" "${c: -4}"
		refute_output "$c"
		assert_equal "$(tr -cd 0-9 <<<"$output" | wc -c)" "$(tr -cd 0-9 <<<"$c" | wc -c)"
		assert_equal "$(luhn <<<"$output")" 0
	done
	run mask 'credit_card, preserve_bin: true' '4111 1111 1111 1111'
	assert_output --regexp '^4111 11[0-9]{2} [0-9]{4} 1111$'
	run mask ip_address '192.168.1.77'
	assert_output --regexp '^192\.168\.1\.[0-9]+$'
	run mask 'ip_address, subnet_bits_ipv4: 16' '10.20.30.40/32'
	assert_output --regexp '^10\.20\.[0-9]+\.[0-9]+/32$'
	run mask ip_address '2001:db8:1:2:3:4:5:6'
	assert_output --regexp '^2001:db8:1:2:[0-9a-f:]+$'
	refute_output '2001:db8:1:2:3:4:5:6'
	d=$(mask 'date, jitter_days: 5' '2024-03-01')
	run echo $(( ($(date -ud "$d" +%s) - $(date -ud 2024-03-01 +%s)) / 86400 ))
	[ "$output" -ge -5 ] && [ "$output" -le 5 ]
	assert_equal "$(mask 'date, jitter_days: 5' '2024-03-01 10:00:00+00' | cut -c11-)" ' 10:00:00+00'
	run mask 'noise, percent: 10' '200.00'
	assert_output --regexp '^[0-9]+\.[0-9]{2}$'
	awk -v v="$output" 'BEGIN { exit !(v >= 180 && v <= 220) }'
	run mask 'noise, percent: 10' '1000'
	assert_output --regexp '^[0-9]+$'
	assert_equal "$(mask date infinity)" infinity
	assert_equal "$(mask 'date, generalize: year' -infinity)" -infinity
	assert_equal "$(mask noise NaN)" NaN
	run --separate-stderr mask date 'May 1st'
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table t: column v: date: not a date (YYYY-MM-DD…)"
	run --separate-stderr mask noise '12abc'
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table t: column v: noise: not a number"
	run mask address '12 Real Road'
	assert_output --regexp '^[0-9]+ [A-Z][a-z]+ (Street|Avenue|Road|Lane|Drive|Court|Way|Place), [A-Z][a-z]+$'
}

@test "json: the paths' values are masked by the mask strategy, arrays walked, the result is valid JSON" {
	run mask 'json, paths: [contact.email, tags, "*.phone"], mask: redact' '{"contact": {"email": "a@b.c", "phone": "555"}, "tags": ["x", "y"], "n": 1}'
	assert_output '{"contact": {"email": "[REDACTED]", "phone": "[REDACTED]"}, "tags": ["[REDACTED]", "[REDACTED]"], "n": 1}'
	run mask 'json, paths: [a.b]' '[{"a": {"b": "s"}}, {"a": {"b": null}}]'
	assert_output '[{"a": {"b": "[REDACTED]"}}, {"a": {"b": null}}]'
	run mask 'json, paths: [e], mask: email' '{"e": "x@y.z"}'
	jq -e '.e | test("^user_[a-z2-7]{26}@example.com$")' <<<"$output"
	run --separate-stderr mask 'json, paths: [a]' '{"a": '
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table t: column v: json: not valid JSON"
}

@test "the Anonymizer's partial and partial_email vectors pass exactly" {
	f=$CORPUS/anon/tests-expected/partial.out
	[ -f "$f" ] || skip "corpus absent: $f"
	n=0
	while IFS= read -r l; do
		if [[ $l =~ ^SELECT\ anon\.partial\(\'([^\']*)\',([0-9]+),\'([^\']*)\',([0-9]+)\)\ =\ \'([^\']*)\'\;$ ]]; then
			assert_equal "$(mask "partial, prefix: ${BASH_REMATCH[2]}, padding: \"${BASH_REMATCH[3]}\", suffix: ${BASH_REMATCH[4]}" "${BASH_REMATCH[1]}")" "${BASH_REMATCH[5]}"
			n=$((n + 1))
		elif [[ $l =~ ^SELECT\ anon\.partial_email\(\'([^\']*)\'\)\ =\ \'([^\']*)\'\;$ ]]; then
			assert_equal "$(mask partial_email "${BASH_REMATCH[1]}")" "${BASH_REMATCH[2]}"
			n=$((n + 1))
		elif [[ $l =~ ^SELECT\ anon\.partial(_email)?\(NULL ]]; then
			assert_equal "$(mask "partial${BASH_REMATCH[1]}" '\N')" '\N'
			n=$((n + 1))
		fi
	done <"$f"
	assert_equal "$n" 7
}

@test "NULL stays NULL under every strategy" {
	for s in email phone name first_name last_name hash redact partial partial_email masking_retention credit_card \
		ip_address date noise address text_redaction 'json, paths: [a]' null preserve; do
		assert_equal "$(mask "$s" '\N')" '\N'
	done
}

@test "deterministic: same key, same output in every table; another key or seed, other values" {
	printf 'COPY a.users (id, email) FROM stdin;\n1\tjo@x.org\n2\tann@y.org\n\\.\nCOPY b.orders (email, n) FROM stdin;\nann@y.org\t5\n\\.\n' >"$T/s.sql"
	printf 'a.users:\n  - {column: email, strategy: email}\norders:\n  - {column: email, strategy: email}\n' >"$T/r.yaml"
	conf-anon -r "$T/r.yaml" "$T/s.sql" >"$T/o1"
	conf-anon -r "$T/r.yaml" "$T/s.sql" >"$T/o2"
	cmp "$T/o1" "$T/o2"
	assert_equal "$(sed -n 3p "$T/o1" | cut -f2)" "$(sed -n 6p "$T/o1" | cut -f1)"
	refute [ "$(sed -n 2p "$T/o1" | cut -f2)" = "$(sed -n 3p "$T/o1" | cut -f2)" ]
	CONFITURE_ANON_KEY=other-key-0123456789 conf-anon -r "$T/r.yaml" "$T/s.sql" >"$T/o3"
	refute [ "$(sed -n 2p "$T/o1")" = "$(sed -n 2p "$T/o3")" ]
	printf 'a.users:\n  - {column: email, strategy: email, seed: 7}\norders:\n  - {column: email, strategy: email}\n' >"$T/r2.yaml"
	conf-anon -r "$T/r2.yaml" "$T/s.sql" >"$T/o4"
	refute [ "$(sed -n 2p "$T/o1")" = "$(sed -n 2p "$T/o4")" ]
	assert_equal "$(sed -n 6p "$T/o1")" "$(sed -n 6p "$T/o4")"
}

@test "email: 200000 distinct addresses give 200000 distinct outputs" {
	{ printf 'COPY t (v) FROM stdin;\n'; seq 200000 | sed 's/.*/u&@x.org/'; printf '\\.\n'; } >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: email}\n' >"$T/r.yaml"
	assert_equal "$(conf-anon -r "$T/r.yaml" "$T/s.sql" | sed '1d;$d' | sort -u | wc -l)" 200000
}

@test "key: refused without one (exit 5); --insecure-default-key warns; --key-file; never from the rules" {
	printf 'COPY t (v) FROM stdin;\nx\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: hash}\n' >"$T/r.yaml"
	unset CONFITURE_ANON_KEY
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$output" ""
	assert_equal "$stderr" "conf-anon: no masking key: set CONFITURE_ANON_KEY or give --key-file (--insecure-default-key for tests only)"
	run --separate-stderr conf-anon --insecure-default-key -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" "conf-anon: WARNING: --insecure-default-key: the key is public, anyone can recompute the masked values from guessed originals; never use it for real data"
	printf 'test-key-0123456789\n' >"$T/key"
	run conf-anon --key-file "$T/key" -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$output" "$(CONFITURE_ANON_KEY=test-key-0123456789 conf-anon -r "$T/r.yaml" "$T/s.sql")"
	: >"$T/empty"
	run --separate-stderr conf-anon --key-file "$T/empty" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/empty: the key file is empty"
	printf 'key: x\nt:\n  - {column: v, strategy: hash}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:1:6: the masking key is never read from the rules file: set CONFITURE_ANON_KEY or give --key-file"
}

@test "a rule whose table or column never comes is an error at the end (exit 1) unless --allow-missing" {
	printf 'COPY public.t (v) FROM stdin;\nx\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: redact}\n  - {column: w, strategy: redact}\nother.t:\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-anon: $T/r.yaml:3:5: column w of table t never came in the stream
conf-anon: $T/r.yaml:5:5: table other.t never came in the stream"
	run --separate-stderr conf-anon --allow-missing -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_output "$(printf 'COPY public.t (v) FROM stdin;\n[REDACTED]\n\\.')"
}

@test "malformed rows: wrong field count, lone backslash, no end marker, no column list: exit 4 naming table and line" {
	printf 't:\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	printf 'SELECT 1;\nCOPY public.t (id, v) FROM stdin;\n1\ta\n2\n\\.\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:4: table public.t: the row has 1 fields, the COPY line names 2 columns"
	printf 'COPY public.t (id, v) FROM stdin;\n1\ta\tb\n\\.\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.t: the row has 3 fields, the COPY line names 2 columns"
	printf 'COPY public.t (id, v) FROM stdin;\n1\tab\\\n\\.\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.t: the field of column v ends with a lone backslash"
	printf 'COPY public.t (id, v) FROM stdin;\n1\tab\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.t: the COPY data is not ended by a line \\."
	printf 'COPY public.t FROM stdin;\n1\tab\n\\.\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:1: table public.t: the COPY line has no column list, so no field can be named"
	printf 'COPY public.t (v) FROM stdin;\nnot-an-ip\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: ip_address}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.t: column v: ip_address: not an IP address"
}

@test "COPY is recognised only where a statement starts: not inside a literal, a dollar quote or a comment" {
	printf 't:\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	printf "SELECT 'a\nCOPY t (v) FROM stdin;\n';\nDO \$x\$\nCOPY t (v) FROM stdin;\n\$x\$;\n/* \nCOPY t (v) FROM stdin;\n*/\nCOPY t (v) FROM stdin;\nsecret\n\\\\.\n" >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$(sed -n 11p <<<"$output")" '[REDACTED]'
	assert_equal "$(grep -c secret <<<"$output")" 0
	assert_equal "$(grep -c '^COPY' <<<"$output")" 4
}

@test "rules files: upstream's profile format; errors with file:line:col (exit 5)" {
	printf 'COPY public.users (id, email, ssn) FROM stdin;\n1\tjo@x.org\t123-45-6789\n\\.\n' >"$T/s.sql"
	cat >"$T/p.yaml" <<'YAML'
name: prod
version: "1.0"
global_seed: 42
strategies:
  mail:
    type: email
    config: {preserve_domain: true}
  hide:
    type: redact
    config: {replacement: "***"}
tables:
  public.users:
    rules:
      - {column: email, strategy: mail}
      - column: ssn
        strategy: hide
YAML
	run --separate-stderr conf-anon -r "$T/p.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 --regexp '^1	user_[a-z2-7]{26}@x\.org	\*\*\*$'
	printf 't:\n  - {column: v, strategy: scramble}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:27: unknown strategy scramble"
	printf 't:\n  - {column: v, strategy: email, colour: red}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:34: strategy email has no option colour"
	printf 't:\n  - {column: v, strategy: name, format_type: initials}\n' >"$T/r.yaml"
	printf 'COPY t (v) FROM stdin;\nAlice\n\\.\n' >"$T/n.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/n.sql"
	assert_success
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:33: strategy name: option format_type (upstream's) is not acted on"
	assert_line --index 1 --regexp '^[A-Z][a-z]+ [A-Z][a-z]+$'
	printf 't:\n  - {column: v, strategy: hash}\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:3:5: a second rule for column v of t (the first at 2:5)"
	printf 't:\n  - {column: v strategy: hash\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:24: did not find expected ',' or '}'"
	run --separate-stderr conf-anon -r "$T/nope.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/nope.yaml: No such file or directory"
}

@test "no leak: a fixture dumped, masked and loaded back holds no original value of a masked column" {
	new_db leak
	q "CREATE TABLE people (id int PRIMARY KEY, email text, phone text, full_name text, card text, ip inet, prefs jsonb, note text, born date)"
	q "CREATE TABLE orders (id int, email text, total numeric)"
	q "INSERT INTO people SELECT i, 'person' || i || '@mail' || i || '.example.com', '+1 415 ' || lpad((5550000 + i)::text, 7, '0'),
	   'Given' || i || ' Family' || i, '4000 0012 3456 ' || lpad(i::text, 4, '0'), ('10.1.' || (i % 200) || '.' || (i % 250))::inet,
	   jsonb_build_object('contact', jsonb_build_object('email', 'inner' || i || '@corp.example'), 'lang', 'en'),
	   'reach me at note' || i || '@free.example or +44 20 7946 ' || lpad(i::text, 4, '0'), date '1980-01-01' + i
	   FROM generate_series(1, 300) i"
	q "INSERT INTO orders SELECT i, 'person' || i || '@mail' || i || '.example.com', i * 1.5 FROM generate_series(1, 300) i"
	cat >"$T/r.yaml" <<'YAML'
people:
  - {column: email, strategy: email}
  - {column: phone, strategy: phone}
  - {column: full_name, strategy: name}
  - {column: card, strategy: credit_card, preserve_last4: false}
  - {column: ip, strategy: ip_address, subnet_bits_ipv4: 8}
  - {column: prefs, strategy: json, paths: [contact.email], mask: email}
  - {column: note, strategy: text_redaction}
  - {column: born, strategy: date, generalize: year}
orders:
  - {column: email, strategy: email}
YAML
	q "COPY (SELECT email FROM people UNION ALL SELECT phone FROM people UNION ALL SELECT full_name FROM people
	   UNION ALL SELECT card FROM people UNION ALL SELECT host(ip) FROM people
	   UNION ALL SELECT prefs->'contact'->>'email' FROM people UNION ALL SELECT 'note' || id || '@free.example' FROM people
	   UNION ALL SELECT '7946 ' || lpad(id::text, 4, '0') FROM people UNION ALL SELECT born::text FROM people) TO STDOUT" >"$T/orig"
	assert_equal "$(wc -l <"$T/orig")" 2700
	pg_dump -a -d "$DB" | conf-anon -r "$T/r.yaml" >"$T/masked.sql"
	pg_dump -s -d "$DB" >"$T/schema.sql"
	new_db leak2
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$T/schema.sql" >/dev/null
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$T/masked.sql" >/dev/null
	assert_equal "$(q 'SELECT count(*) FROM people JOIN orders USING (email)')" 300
	pg_dump -d "$DB" >"$T/target.sql"
	run grep -c -w -F -f "$T/orig" "$T/target.sql"
	assert_output 0
	run grep -c -F 'person1@mail1' "$T/target.sql"
	assert_output 0
}

@test "writing to a full device is an error" {
	printf 'COPY t (v) FROM stdin;\nx\n\\.\n' >"$T/s.sql"
	run bash -c "conf-anon '$T/s.sql' >/dev/full"
	assert_failure 1
	assert_output "conf-anon: standard output: No space left on device"
}

@test "INSERT statements (pg_dump --column-inserts, --rows-per-insert): only the masked literals' bytes change" {
	edge_db
	pg_dump -a --column-inserts --rows-per-insert=3 -d "$DB" >"$T/dump.sql"
	printf 'e:\n  - {column: t, strategy: redact, replacement: "it'"'"'s"}\n  - {column: j, strategy: json, paths: [k]}\n' >"$T/r.yaml"
	conf-anon -r "$T/r.yaml" "$T/dump.sql" >"$T/out.sql"
	run grep -c "'it''s'" "$T/out.sql"
	assert_output 6
	run grep -c -e 'tab\\there' -e 'ünïcödé' -e 'and back' -e '"v\\\\' "$T/out.sql"
	assert_output 0
	run grep -c -e 'tab\\there' -e 'ünïcödé' -e 'and back' -e '"v\\\\' "$T/dump.sql"
	assert_output 3
	grep -v -e "'it''s'" -e '"k": "\[REDACTED\]"' "$T/out.sql" >"$T/untouched"
	grep -F -x -f "$T/untouched" "$T/dump.sql" | cmp - "$T/untouched"
	new_db back
	pg_dump -s -d t${BATS_SUITE_TEST_NUMBER}_edge | psql -XAtq -d "$DB" >/dev/null
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$T/out.sql" >/dev/null
	assert_equal "$(q "SELECT count(*) FILTER (WHERE t = 'it''s'), count(t), count(*), min(j->>'k') FROM e")" "6|6|7|[REDACTED]"
	assert_equal "$(q "SELECT b FROM e WHERE id = 1")" '\x00ff5c0a'
	pg_dump -a --inserts -d t${BATS_SUITE_TEST_NUMBER}_edge >"$T/plain.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/plain.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/plain.sql:$(grep -n -m1 '^INSERT INTO public.e ' "$T/plain.sql" | cut -d: -f1): table e: the INSERT has no column list, so no value can be named (dump with pg_dump --column-inserts)"
}

@test "--scan: columns that look like personal data by name or type and have no rule, JSON Lines, exit 1" {
	printf '%s\n' 'CREATE TABLE public.users (id int, email text, "Phone" varchar(20), birth_date date, note text, name text, last_ip inet);' \
		'CREATE SCHEMA s;' 'CREATE TABLE s.products (name text, sku text, telco text, "creditCardNumber" text, ssn text);' >"$T/s.sql"
	conf-parse -m "$T/s.sql" >"$T/model"
	run --separate-stderr conf-anon --scan "$T/model"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_output '{"kind":"pii","table":"public.users","column":"email","type":"text","category":"email","found_by":"name"}
{"kind":"pii","table":"public.users","column":"Phone","type":"character varying(20)","category":"phone","found_by":"name"}
{"kind":"pii","table":"public.users","column":"birth_date","type":"date","category":"birth_date","found_by":"name"}
{"kind":"pii","table":"public.users","column":"name","type":"text","category":"name","found_by":"name"}
{"kind":"pii","table":"public.users","column":"last_ip","type":"inet","category":"ip_address","found_by":"type"}
{"kind":"pii","table":"s.products","column":"creditCardNumber","type":"text","category":"card_number","found_by":"name"}
{"kind":"pii","table":"s.products","column":"ssn","type":"text","category":"national_id","found_by":"name"}'
	printf '%s\n' 'users:' '  - {column: email, strategy: email}' '  - {column: "\"Phone\"", strategy: phone}' \
		'  - {column: birth_date, strategy: date}' '  - {column: name, strategy: name}' '  - {column: last_ip, strategy: ip_address}' \
		's.products:' '  - {column: "\"creditCardNumber\"", strategy: credit_card}' '  - {column: ssn, strategy: "null"}' >"$T/r.yaml"
	run --separate-stderr conf-anon --scan -r "$T/r.yaml" <"$T/model"
	assert_success
	assert_output ""
}

@test "--scan -d: samples the values of text columns with unremarkable names" {
	new_db scan
	q "CREATE TABLE contacts (id int, c1 text, c2 varchar(40), c3 text, c4 text, c5 text)"
	q "INSERT INTO contacts SELECT i, 'someone' || i || '@example.org', '+44 20 7946 ' || lpad(i::text, 4, '0'),
	   '4111 1111 1111 1111', '10.0.0.' || i, 'just words ' || i FROM generate_series(1, 20) i"
	run --separate-stderr conf-anon --scan -d "$DBURL"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_output '{"kind":"pii","table":"public.contacts","column":"c1","type":"text","category":"email","found_by":"values"}
{"kind":"pii","table":"public.contacts","column":"c2","type":"character varying(40)","category":"phone","found_by":"values"}
{"kind":"pii","table":"public.contacts","column":"c3","type":"text","category":"card_number","found_by":"values"}
{"kind":"pii","table":"public.contacts","column":"c4","type":"text","category":"ip_address","found_by":"values"}'
	run --separate-stderr conf-anon --scan -d "postgresql:///nope?host=$T&port=1&user=postgres"
	assert_failure 3
	assert_equal "$stderr" "conf-anon: cannot connect to user='postgres' dbname='nope' host='$T' port='1': connection to server on socket \"$T/.s.PGSQL.1\" failed: No such file or directory"
	run --separate-stderr conf-anon --scan --key-file x
	assert_failure 5
}

@test "streaming: a 25 MB stream is masked in a few MB of memory" {
	case $CONF_BINDIR in *asan*) skip "the sanitizer's shadow memory is not the tool's" ;; esac
	[ -x /usr/bin/time ] || skip "no GNU time"
	awk 'BEGIN { print "COPY public.people (id, name, email) FROM stdin;"
		for (i = 1; i <= 600000; i++) printf "%d\tPerson %d\tperson%d@example.org\n", i, i, i
		print "\\." }' >"$T/s.sql"
	printf 'people:\n  - {column: email, strategy: email}\n  - {column: name, strategy: name}\n' >"$T/r.yaml"
	/usr/bin/time -f %M -o "$T/rss" conf-anon -r "$T/r.yaml" "$T/s.sql" >"$T/out"
	assert_equal "$(wc -l <"$T/out")" 600002
	[ "$(wc -c <"$T/s.sql")" -gt 20000000 ]
	[ "$(cat "$T/rss")" -lt 20000 ]
}

@test "no leak on pagila: customers' and staff's names, emails, addresses and phones masked, no original left in the target" {
	s=$CORPUS/schemas/pagila-schema-pg15compatible-e0e35a6.sql d=$CORPUS/schemas/pagila-data-e0e35a6.sql
	[ -f "$s" ] && [ -f "$d" ] || skip "corpus absent: pagila"
	new_db pagila
	src=$DB
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$s" >/dev/null 2>&1
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$d" >/dev/null 2>&1
	cat >"$T/r.yaml" <<'YAML'
public.customer:
  - {column: first_name, strategy: first_name}
  - {column: last_name, strategy: last_name}
  - {column: email, strategy: email}
public.staff:
  - {column: first_name, strategy: first_name}
  - {column: last_name, strategy: last_name}
  - {column: email, strategy: email, preserve_domain: true}
  - {column: username, strategy: hash, length: 12}
  - {column: password, strategy: "null"}
  - {column: picture, strategy: "null"}
public.address:
  - {column: address, strategy: address}
  - {column: address2, strategy: redact}
  - {column: phone, strategy: phone}
  - {column: postal_code, strategy: masking_retention}
YAML
	q "COPY (SELECT first_name || E'\\t' || last_name FROM customer UNION ALL SELECT first_name || E'\\t' || last_name FROM staff
	   UNION ALL SELECT email FROM customer UNION ALL SELECT email FROM staff UNION ALL SELECT username FROM staff
	   UNION ALL SELECT address FROM address UNION ALL SELECT phone FROM address WHERE phone <> '') TO STDOUT" >"$T/orig"
	[ "$(wc -l <"$T/orig")" -gt 2000 ]
	pg_dump -a -d "$DB" | conf-anon -r "$T/r.yaml" >"$T/masked.sql"
	new_db pagila2
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$s" >/dev/null 2>&1
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$T/masked.sql" >/dev/null 2>&1
	assert_equal "$(q 'SELECT count(*) FROM customer JOIN address USING (address_id) JOIN rental USING (customer_id)')" \
		"$(psql -XAtq -d "$src" -c 'SELECT count(*) FROM customer JOIN address USING (address_id) JOIN rental USING (customer_id)')"
	pg_dump -d "$DB" >"$T/target.sql"
	run grep -c -w -F -f "$T/orig" "$T/target.sql"
	assert_output 0
	assert_equal "$(q "SELECT count(*) FROM address WHERE postal_code !~ '^[*]*\$'")" 0
	run grep -c -F 'MARY.SMITH@sakilacustomer.org' "$T/masked.sql"
	assert_output 0
	run grep -c -F 'MARY.SMITH@sakilacustomer.org' <(pg_dump -a -d "$src")
	assert_output 1
}

@test "quoted names with commas, parentheses and quotes in the COPY line and in the rules" {
	printf 'COPY "we,ird"."t(1)" ("a""b", "C d", e) FROM stdin;\nx\ty\tz\n\\.\nCOPY we.t (e) FROM stdin;\nw\n\\.\n' >"$T/s.sql"
	printf '%s\n' "'\"we,ird\".\"t(1)\"':" "  - {column: '\"a\"\"b\"', strategy: redact}" "  - {column: '\"C d\"', strategy: redact, replacement: R}" \
		"  - {column: E, strategy: redact, replacement: lower}" >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 1 "$(printf '[REDACTED]\tR\tlower')"
	assert_line --index 4 'w'
}

@test "--limits MODEL: the target's varchar(n) and char(n) lengths bound the masked values" {
	printf 'CREATE TABLE public.users (email varchar(30), name character(8), note text, nick varchar(3));\n' | conf-parse -m >"$T/model"
	printf 'COPY public.users (email, name, note, nick) FROM stdin;\nsomeone@corp.example.org\tAlice Smith\thello\tbob\n\\.\n' >"$T/s.sql"
	printf '%s\n' 'users:' '  - {column: email, strategy: email, preserve_domain: true, max_length: 30}' '  - {column: name, strategy: name}' \
		'  - {column: note, strategy: redact}' '  - {column: nick, strategy: redact, max_length: 2}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 --regexp '^[a-z2-7]{13}@corp\.example\.org	[A-Za-z ]{1,8}	\[REDACTED\]	\[R$'
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_line --index 1 --regexp '^[a-z2-7]{13}@corp\.example\.org	[A-Z][a-z]+ [A-Z][a-z]+	\[REDACTED\]	\[R$'
	run --separate-stderr conf-anon --limits "$T/model" "$T/s.sql"
	assert_failure 5
	printf 'not json\n' >"$T/bad"
	run --separate-stderr conf-anon --limits "$T/bad" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/bad:1:3: '[' or '{' expected near 'not'"
}

# ---- h/fmask: masking strategies (issue 10 fix round) ----

@test "h/fmask email: base32 of the 128-bit hash; the form depends on the rule's max_length only, never on --limits" {
	run mask email 'alice@corp.org'
	assert_output --regexp '^user_[a-z2-7]{26}@example\.com$'
	full=$output
	# max_length 43 still holds the whole form; 42 drops user_; 25 keeps 13 characters (65 bits)
	assert_equal "$(mask 'email, max_length: 43' 'alice@corp.org')" "$full"
	assert_equal "$(mask 'email, max_length: 42' 'alice@corp.org')" "${full:5:26}@example.com"
	assert_equal "$(mask 'email, max_length: 25' 'alice@corp.org')" "${full:5:13}@example.com"
	# --limits never shortens an email: a column too short for it is an error at the row
	printf 'CREATE TABLE public.users (email varchar(40), e2 text);\n' | conf-parse -m >"$T/model"
	printf 'COPY public.users (email, e2) FROM stdin;\nalice@corp.org\talice@corp.org\n\\.\n' >"$T/s.sql"
	printf '%s\n' 'users:' '  - {column: email, strategy: email}' '  - {column: e2, strategy: email}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.users: column email: email: the masked email has 43 characters, more than the column's limit of 40: set max_length: 40 in the rule (and the same in every rule whose column it joins)"
	# the same max_length in both rules: both columns mask alike, so they still join
	printf '%s\n' 'users:' '  - {column: email, strategy: email, max_length: 40}' '  - {column: e2, strategy: email, max_length: 40}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 "$(printf '%s\t%s' "${full:5:26}@example.com" "${full:5:26}@example.com")"
}

@test "h/fmask email: a max_length leaving fewer than 13 base32 characters (64 bits) is refused at rule load" {
	printf 'COPY t (v) FROM stdin;\nAlice@x.org\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: email, max_length: 24}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:5: max_length 24 leaves 12 characters before @example.com: an email keeps at least 13 (64 bits), so a limit of 25 or more"
	# preserve_domain: the domain is known at the row only
	printf 't:\n  - {column: v, strategy: email, preserve_domain: true, max_length: 20}\n' >"$T/r.yaml"
	printf 'COPY t (v) FROM stdin;\nAlice@x.org\nbob@a-long-domain.org\n\\.\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:3: table t: column v: email: max_length 20 leaves 2 characters before @a-long-domain.org: an email keeps at least 13 (64 bits)"
}

@test "h/fmask email: 300,000 distinct inputs give 300,000 distinct outputs at the shortest max_length" {
	printf 't:\n  - {column: v, strategy: email, max_length: 25}\n' >"$T/r.yaml"
	{ echo 'COPY t (v) FROM stdin;'; seq 300000 | awk '{print "u" $1 "@corp.org"}'; echo '\.'; } >"$T/s.sql"
	run sh -c "conf-anon -r '$T/r.yaml' '$T/s.sql' | sed '1d;\$d' | sort -u | wc -l"
	assert_output 300000
}

@test "h/fmask text_redaction: emails with non-ASCII letters and quoted local parts are redacted whole" {
	run mask text_redaction 'josé@mail.com, jöhn@exämple.de, müller@firma.de, "john q"@ex.com; ok'
	assert_output '[REDACTED], [REDACTED], [REDACTED], [REDACTED]; ok'
}

@test "h/fmask: a masked value never equals its original (random inputs, every keyed strategy)" {
	awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) {
		n = int(rand() * 10); d = sprintf("%04d-%02d-%02d", 1 + int(rand() * 2999), 1 + int(rand() * 12), 1 + int(rand() * 28))
		printf "%d\t%d.%d\t%s\t%d.%d.%d.%d\t41111%07d\t%s\t%s\tP%d\t+33 %d\n", int(rand() * 20) - 10, int(rand() * 3), int(rand() * 10), d,
		    int(rand() * 256), int(rand() * 256), int(rand() * 256), int(rand() * 256), int(rand() * 1e7), substr("abcdefghij", 1, n),
		    substr("Bob", 1, 1 + int(rand() * 3)), i, int(rand() * 1e9) } }' >"$T/in.tsv"
	{ echo 'COPY t (a, b, c, d, e, f, g, h, i) FROM stdin;'; cat "$T/in.tsv"; echo '\.'; } >"$T/s.sql"
	printf '%s\n' 't:' '  - {column: a, strategy: noise}' '  - {column: b, strategy: noise, percent: 1}' '  - {column: c, strategy: date, jitter_days: 1}' \
		'  - {column: d, strategy: ip_address}' '  - {column: e, strategy: credit_card, preserve_bin: true}' \
		'  - {column: f, strategy: masking_retention, preserve_start_chars: 2, preserve_end_chars: 2}' \
		'  - {column: g, strategy: first_name}' '  - {column: h, strategy: name}' '  - {column: i, strategy: phone}' >"$T/r.yaml"
	conf-anon -r "$T/r.yaml" "$T/s.sql" | sed '1d;$d' >"$T/out.tsv"
	run wc -l <"$T/out.tsv"
	assert_output 3000
	# empty strings (f) have nothing to mask; every other field must differ from its input
	run sh -c "paste '$T/in.tsv' '$T/out.tsv' | awk -F'\t' '{ for (i = 1; i <= 9; i++) if (\$i == \$(i + 9) && \$i != \"\") print NR, i, \$i }'"
	assert_output ''
}

@test "h/fmask noise and date: small numbers move by one printed unit; dates near the range ends, BC and 5-digit years" {
	printf 'COPY t (v) FROM stdin;\n0\n3\n-0.4\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: noise}\n' >"$T/r.yaml"
	run conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_line --index 1 --regexp '^(-1|1)$'
	assert_line --index 2 --regexp '^(2|4)$'
	assert_line --index 3 --regexp '^-0\.(3|5)$'
	printf 'COPY t (v) FROM stdin;\n0001-01-01\n10000-01-01\n0044-03-15 BC\ninfinity\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: date, jitter_days: 3}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 --regexp '^0001-01-0[234]$'
	assert_line --index 2 --regexp '^(9999-12-(29|30|31)|10000-01-0[234])$'
	assert_line --index 3 --regexp '^0044-03-1[234678] BC$'
	assert_line --index 4 'infinity'
	printf 't:\n  - {column: v, strategy: date, generalize: year}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_equal "$(printf '%s\n' "${lines[@]:1:4}")" "$(printf '0001-01-01\n10000-01-01\n0044-01-01 BC\ninfinity')"
}

@test "h/fmask ip_address: a network (host bits zero, as cidr) stays a network; an inet keeps its prefix; subnet_bits_ipv6 is its own" {
	printf 'COPY t (v) FROM stdin;\n10.1.2.0/24\n10.1.2.77/24\n10.1.2.0/28\n2001:db8::/32\n2001:db8::5/64\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: ip_address, subnet_bits_ipv4: 8, subnet_bits_ipv6: 16}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 --regexp '^10\.[0-9]+\.[0-9]+\.0/24$'
	assert_line --index 2 --regexp '^10\.[0-9]+\.[0-9]+\.[0-9]+/24$'
	assert_line --index 3 --regexp '^10\.[0-9]+\.[0-9]+\.(0|16|32|48|64|80|96|112|128|144|160|176|192|208|224|240)/28$'
	assert_line --index 4 --regexp '^2001:[0-9a-f]{1,4}::/32$'
	assert_line --index 5 --regexp '^2001:[0-9a-f:]+/64$'
	refute_line --index 1 '10.1.2.0/24'
	refute_line --index 5 --regexp '^2001:db8:'
	# each one loads into a cidr or inet column
	new_db ipc
	q "CREATE TABLE c (v cidr); CREATE TABLE i (v inet)"
	conf-anon -r "$T/r.yaml" "$T/s.sql" | sed -n '2p;4p;5p' | q "COPY c FROM stdin"
	conf-anon -r "$T/r.yaml" "$T/s.sql" | sed -n '2,6p' | q "COPY i FROM stdin"
	run q "SELECT count(*) FROM c"
	assert_output 3
}

@test "h/fmask json: only the masked values are rewritten; big integers, 1.0, 1e2, spacing and order stay as written" {
	run --separate-stderr mask 'json, paths: [contact.email, tags, x]' '{"id": 123456789012345678901234567890, "a": 1.0, "b": 1e2,"d":1.23456789012345678, "contact": {"email": "a@b.c"},"tags":["x",["y",{"k":1}],null], "x": {"y": 2}}'
	assert_success
	assert_output '{"id": 123456789012345678901234567890, "a": 1.0, "b": 1e2,"d":1.23456789012345678, "contact": {"email": "[REDACTED]"},"tags":["[REDACTED]",["[REDACTED]","[REDACTED]"],null], "x": "[REDACTED]"}'
	# a string's escapes are decoded before masking: the same address as a plain value masks alike
	want=$(mask email 'josé🎉@x.org')
	run mask 'json, paths: [e], mask: email' '{"e": "jos\\u00e9\\ud83c\\udf89@x.org"}'
	assert_output "{\"e\": \"$want\"}"
	# noise on a number writes a number
	run mask 'json, paths: [n], mask: noise' '{"n": 3, "m": 3}'
	assert_output --regexp '^\{"n": (2|4), "m": 3\}$'
	mask 'json, paths: [a]' '{"a": 1} x' || true
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table t: column v: json: not valid JSON"
}

@test "h/fmask names: made-up pronounceable names; 100,000 distinct people keep 100,000 distinct full names" {
	run mask name 'Alice Smith'
	assert_output --regexp '^[A-Z][a-z]{2,} [A-Z][a-z]{3,}$'
	printf 't:\n  - {column: n, strategy: name}\n  - {column: f, strategy: first_name}\n  - {column: l, strategy: last_name}\n' >"$T/r.yaml"
	{ echo 'COPY t (n, f, l) FROM stdin;'; seq 100000 | awk '{print "Person " $1 "\tP" $1 "\tL" $1}'; echo '\.'; } >"$T/s.sql"
	conf-anon -r "$T/r.yaml" "$T/s.sql" | sed '1d;$d' >"$T/out"
	run sh -c "cut -f1 '$T/out' | sort -u | wc -l"
	assert_output 100000
	run sh -c "cut -f2 '$T/out' | sort -u | wc -l"
	[ "$output" -ge 98500 ]
	run sh -c "cut -f3 '$T/out' | sort -u | wc -l"
	[ "$output" -ge 99800 ]
}

@test "h/fmask salted_hashing is hash with the salt as seed; differential_privacy adds keyed Laplace noise of scale sensitivity/epsilon" {
	want=$(mask 'hash, seed: s1, prefix: "h_", length: 12' 'x')
	assert_equal "$(mask 'salted_hashing, salt: s1, prefix: "h_", length: 12' 'x')" "$want"
	assert_equal "$(SALT_X=s1 mask 'salted_hashing, salt_env_var: SALT_X, prefix: "h_", length: 12' 'x')" "$want"
	run --separate-stderr mask 'salted_hashing, salt_env_var: NO_SUCH_SALT_VAR' 'x'
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:57: salt_env_var: the environment has no NO_SUCH_SALT_VAR"
	run --separate-stderr mask 'differential_privacy, mechanism: gaussian' '1'
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:60: mechanism: only laplace is supported, not gaussian"
	# 20,000 distinct values: the noise has mean ~0 and mean absolute value ~b (here 2), never 0
	printf 't:\n  - {column: v, strategy: differential_privacy, epsilon: 0.5, sensitivity: 1}\n' >"$T/r.yaml"
	{ echo 'COPY t (v) FROM stdin;'; seq 20000 | awk '{printf "%d.000\n", $1 * 10}'; echo '\.'; } >"$T/s.sql"
	run bash -c "conf-anon -r '$T/r.yaml' '$T/s.sql' | sed '1d;\$d' | paste - <(seq 20000) | awk '{ d = \$1 - \$2 * 10; s += d; a += d < 0 ? -d : d; z += d == 0 } END { m = s / NR; b = a / NR; print (m > -0.1 && m < 0.1) \" \" (b > 1.9 && b < 2.1) \" \" z + 0 }'"
	assert_output '1 1 0'
}

# ---- h/fstream: stream and rules side (review 10: F1 F11 F6 F7 F14 F22 F20 F27 F18) ----

@test "--model: a rule on a table reaches its inheritance children (any depth) and its partitions, in COPY and INSERT dumps" {
	new_db
	q "CREATE TABLE people (id int, email text);
	  CREATE TABLE employees (salary int) INHERITS (people);
	  CREATE TABLE bosses (car text) INHERITS (employees);
	  CREATE TABLE m (id int, email text) PARTITION BY RANGE (id);
	  CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100);
	  INSERT INTO people VALUES (1,'parent@corp.org'); INSERT INTO employees VALUES (2,'child@corp.org',100);
	  INSERT INTO bosses VALUES (3,'boss@corp.org',9,'car'); INSERT INTO m VALUES (1,'part@corp.org')"
	conf-inspect -d "$DBURL" >"$T/model"
	printf 'people:\n  - {column: email, strategy: redact}\nm:\n  - {column: email, strategy: redact}\n' >"$T/r.yaml"
	pg_dump -a -d "$DB" >"$T/dump.sql"
	run --separate-stderr conf-anon --model "$T/model" -r "$T/r.yaml" "$T/dump.sql"
	assert_success
	assert_equal "$stderr" ""
	refute_output --partial corp.org
	assert_equal "$(grep -cxP '\d\t\[REDACTED\](\t.*)?' <<<"$output")" 4
	assert_line "$(printf '3\t[REDACTED]\t9\tcar')"
	pg_dump -a --column-inserts -d "$DB" >"$T/ins.sql"
	run --separate-stderr conf-anon --model "$T/model" -r "$T/r.yaml" "$T/ins.sql"
	assert_success
	refute_output --partial corp.org
	assert_line "INSERT INTO public.bosses (id, email, salary, car) VALUES (3, '[REDACTED]', 9, 'car');"
	# without the model, the children's blocks pass as before and the partitioned parent is missing
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/dump.sql"
	assert_failure 1
	assert_output --partial 'child@corp.org'
	assert_equal "$stderr" "conf-anon: $T/r.yaml:4:5: table m never came in the stream"
}

@test "--model: a rule met only through a child counts as met; a child's own rule wins; a child without the column is left alone" {
	printf '%s\n' 'CREATE TABLE p (id int, email text);' 'CREATE TABLE c (x int) INHERITS (p);' 'CREATE TABLE o (id int);' \
		'CREATE TABLE q (z text) INHERITS (o);' | conf-parse -m >"$T/model"
	printf 'COPY public.c (id, email, x) FROM stdin;\n1\ta@b.c\t2\n\\.\nCOPY public.q (id, z) FROM stdin;\n1\tzz\n\\.\n' >"$T/s.sql"
	printf 'p:\n  - {column: email, strategy: redact}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon --model "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 1 "$(printf '1\t[REDACTED]\t2')"
	printf 'p:\n  - {column: email, strategy: redact}\nc:\n  - {column: email, strategy: redact, replacement: "own"}\no:\n  - {column: id, strategy: "null"}\n' >"$T/r2.yaml"
	run --separate-stderr conf-anon --model "$T/model" -r "$T/r2.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 "$(printf '1\town\t2')"
	assert_line --index 4 "$(printf '\\N\tzz')"
	run --separate-stderr conf-anon --model "$T/model" "$T/s.sql"
	assert_failure 5
	printf 'not json\n' >"$T/bad"
	run --separate-stderr conf-anon --model "$T/bad" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/bad:1:3: '[' or '{' expected near 'not'"
}

@test "INSERT literals with a prefix (B'…', X'…', N'…', U&'…' UESCAPE) are replaced whole" {
	printf 'bb:\n  - {column: bits, strategy: redact}\n  - {column: u, strategy: redact}\n  - {column: n, strategy: hash, length: 6}\n' >"$T/r.yaml"
	printf '%s\n' "INSERT INTO public.bb (id, bits, u, n) VALUES (1, B'1010', U&'d\\0061t' UESCAPE '\\', N'abc');" \
		"INSERT INTO public.bb (id, bits, u, n) VALUES (2, X'1F', U&'x', NULL);" >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp "^INSERT INTO public\.bb \(id, bits, u, n\) VALUES \(1, '\[REDACTED\]', '\[REDACTED\]', '[0-9a-f]{6}'\);$"
	assert_line --index 1 "INSERT INTO public.bb (id, bits, u, n) VALUES (2, '[REDACTED]', '[REDACTED]', NULL);"
	refute_output --partial 1010
	refute_output --partial 1F
	refute_output --partial UESCAPE
}

@test "a rules file without a rule is an error at its place: empty file, {}, tables: {}, an empty rule list" {
	printf 'COPY t (v) FROM stdin;\nx\n\\.\n' >"$T/s.sql"
	for y in '' '{}\n'; do
		printf "$y" >"$T/r.yaml"
		run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
		assert_failure 5
		assert_equal "$stderr" "conf-anon: $T/r.yaml:1:1: no rules: the file names no table"
	done
	printf 'name: x\ntables: {}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:9: no rules: the profile's tables: names no table"
	printf 't:\n  - {column: v, strategy: redact}\nusers: []\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:3:8: no rules: the rule list of table users is empty"
	printf 'tables:\n  users:\n    rules: []\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:3:12: no rules: the rule list of table users is empty"
	assert_equal "$output" ""
}

@test "names in rules: as written (Email is the column \"Email\"), folded too (Low is low); \"Quoted\" only as quoted" {
	printf 'COPY public."Cu" (id, "Email", "Name", low, "NAME") FROM stdin;\n1\ta@corp.org\tBob\tx\tkeep\n\\.\n' >"$T/s.sql"
	printf 'Cu:\n  - {column: Email, strategy: redact}\n  - {column: "\\"Name\\"", strategy: redact, replacement: N}\n  - {column: Low, strategy: redact, replacement: L}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 1 "$(printf '1\t[REDACTED]\tN\tL\tkeep')"
	printf 'cu:\n  - {column: email, strategy: redact}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:5: table cu never came in the stream"
}

@test "array columns: each element masked, array_out's quoting, NULL elements kept, nested and dimensioned literals (array: true or --model)" {
	printf '%s\t%s\n' 1 '{a@x.org,"b c",NULL}' 2 '{{"x,y",z},{NULL,"q\\\\\\"r"}}' 3 '[0:1]={" s ",nUlL}' 4 '{}' 5 '\N' >"$T/rows"
	{ printf 'COPY public.c (id, emails) FROM stdin;\n'; cat "$T/rows"; printf '\\.\n'; } >"$T/s.sql"
	printf 'c:\n  - {column: emails, strategy: partial, prefix: 1, padding: "*", suffix: 0, array: true}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(sed -n 2,6p <<<"$output")" "$(printf '%s\t%s\n' 1 '{a*,b*,NULL}' 2 '{{x*,z*},{NULL,q*}}' 3 '[0:1]={" *",NULL}' 4 '{}' 5 '\N')"
	printf 'c:\n  - {column: emails, strategy: redact, replacement: "a\\"b{c"}\n' >"$T/r2.yaml"
	printf 'CREATE TABLE c (id int, emails text[]);\n' | conf-parse -m >"$T/model"
	run --separate-stderr conf-anon --model "$T/model" -r "$T/r2.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 "$(printf '1\t{"a\\\\"b{c","a\\\\"b{c",NULL}')"
	# without the model nor array: true, the whole value is one value
	run --separate-stderr conf-anon -r "$T/r2.yaml" "$T/s.sql"
	assert_line --index 1 "$(printf '1\ta"b{c')"
	printf 'COPY public.c (id, emails) FROM stdin;\n1\t{a,b\n\\.\n' >"$T/bad.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/bad.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/bad.sql:2: table public.c: column emails: partial: not an array literal (an unclosed {)"
	printf "INSERT INTO public.c (id, emails) VALUES (1, '{a@x.org,\"b c\"}');\n" >"$T/i.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/i.sql"
	assert_success
	assert_output "INSERT INTO public.c (id, emails) VALUES (1, '{a*,b*}');"
}

@test "INSERT statements of tables without rules pass unparsed, byte for byte (even text the parser would refuse)" {
	printf '%s\n' "INSERT INTO public.other (id) VALUES (1, 'not (valid;" "');" "INSERT INTO public.t (id, v) VALUES (1, 'x');" >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$(printf '%s\n' "INSERT INTO public.other (id) VALUES (1, 'not (valid;" "');" "INSERT INTO public.t (id, v) VALUES (1, '[REDACTED]');")"
	printf '%s\n' "INSERT INTO public.t (id, v) VALUES (1, 'not (valid;" >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:1: an INSERT statement does not parse: unterminated quoted string at or near \"'not (valid;
\""
}

@test "a failed write is reported once, naming standard output, exit 1 (not as a bad stream)" {
	{ printf 'COPY public.t (id, v) FROM stdin;\n'; seq 1 100000 | sed 's/$/\tsome@mail.org/'; printf '\\.\n'; } >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: email}\n' >"$T/r.yaml"
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 64; conf-anon -r "$1" "$2" >"$3"' - "$T/r.yaml" "$T/s.sql" "$T/out"
	assert_failure 1
	assert_equal "$stderr" "conf-anon: standard output: File too large"
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 64; conf-anon "$1" >"$2"' - "$T/s.sql" "$T/out"
	assert_failure 1
	assert_equal "$stderr" "conf-anon: standard output: File too large"
}

@test "COPY … (FORMAT text), WITH (FORMAT 'text') and a trailing -- comment are text COPY; other options are refused for a masked table" {
	printf 't:\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	for l in 'COPY t (v) FROM stdin (FORMAT text);' "COPY t (v) FROM stdin WITH (format 'text');" 'COPY t (v) FROM stdin;  -- data'; do
		printf '%s\nsecret\n\\.\n' "$l" >"$T/s.sql"
		run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
		assert_success
		assert_equal "$output" "$(printf '%s\n[REDACTED]\n\\.' "$l")"
	done
	printf 'COPY t (v) FROM stdin (FORMAT csv);\nsecret\n\\.\n' >"$T/s.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:1: table t: only COPY text format can be masked (this COPY has options)"
}

@test "a key file's one trailing LF or CR LF is not part of the key; a YAML null replacement is an error; users + public.users: no false \"never came\"" {
	printf 'COPY public.users (id, email) FROM stdin;\n1\ta@corp.org\n\\.\n' >"$T/s.sql"
	printf 'users:\n  - {column: email, strategy: hash}\n' >"$T/r.yaml"
	want=$(CONFITURE_ANON_KEY=abc-0123456789abcdef conf-anon -r "$T/r.yaml" "$T/s.sql")
	for k in 'abc-0123456789abcdef\r\n' 'abc-0123456789abcdef\n' 'abc-0123456789abcdef'; do
		printf "$k" >"$T/key"
		assert_equal "$(conf-anon --key-file "$T/key" -r "$T/r.yaml" "$T/s.sql")" "$want"
	done
	printf 'abc-0123456789abcdef\n\n' >"$T/key"
	[ "$(conf-anon --key-file "$T/key" -r "$T/r.yaml" "$T/s.sql")" != "$want" ]
	printf 't:\n  - {column: v, strategy: redact, replacement: null}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/r.yaml:2:48: replacement wants a text, not null (quote it for the word: \"null\")"
	printf 't:\n  - {column: v, strategy: redact, replacement: "null"}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon --allow-missing -r "$T/r.yaml" "$T/s.sql"
	assert_success
	printf 'users:\n  - {column: email, strategy: redact}\npublic.users:\n  - {column: email, strategy: redact, replacement: Q}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_line --index 1 "$(printf '1\tQ')"
	assert_equal "$stderr" ""
}

@test "--scan: a rule on a parent covers its inheritance children and partitions" {
	printf '%s\n' 'CREATE TABLE people (id int, email text);' 'CREATE TABLE staff (x int) INHERITS (people);' \
		'CREATE TABLE m (id int, email text) PARTITION BY LIST (id);' 'CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);' \
		'CREATE TABLE other (email text);' | conf-parse -m >"$T/model"
	printf 'people:\n  - {column: email, strategy: email}\nm:\n  - {column: email, strategy: email}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon --scan -r "$T/r.yaml" "$T/model"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_output '{"kind":"pii","table":"public.other","column":"email","type":"text","category":"email","found_by":"name"}'
}

@test "INSERT: pg_dump's plain form is read without the parser and masks as the parser path does; other forms go to the parser" {
	printf 't:\n  - {column: v, strategy: hash, length: 8}\n  - {column: w, strategy: redact}\n' >"$T/r.yaml"
	printf '%s\n' "INSERT INTO public.t (id, v, w) VALUES (-1.5e3, 'it''s', NULL), (2, 'b', true);" >"$T/plain.sql"
	printf '%s\n' "INSERT INTO public.t (id, v, w) VALUES (-1.5e3, 'it''s'::text, NULL), (2, 'b', true) ;" >"$T/cast.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/plain.sql"
	assert_success
	assert_output --regexp "^INSERT INTO public\.t \(id, v, w\) VALUES \(-1\.5e3, '[0-9a-f]{8}', NULL\), \(2, '[0-9a-f]{8}', '\[REDACTED\]'\);$"
	plain=$output
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/cast.sql"
	assert_success
	assert_equal "$(sed "s/::text//; s/ ;/;/" <<<"$output")" "$plain"
	printf '%s\n' "INSERT INTO public.t (id, v, w) VALUES (1, DEFAULT, 'x');" >"$T/def.sql"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/def.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/def.sql:1: table t: column v: the value is not a literal"
}

# ---- h/g2anon: join keys never cut by --limits; short keys refused (issue 10) ----

@test "h/g2anon hash and salted_hashing: a column too short for the hash is an error at the row, never a cut" {
	printf 'CREATE TABLE public.users (h varchar(40), h2 text, s varchar(10), r varchar(3));\n' | conf-parse -m >"$T/model"
	printf 'COPY public.users (h, h2, s, r) FROM stdin;\nalice\talice\tbob\tsecret\n\\.\n' >"$T/s.sql"
	printf '%s\n' 'users:' '  - {column: h, strategy: hash}' '  - {column: h2, strategy: hash}' '  - {column: r, strategy: redact}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.users: column h: hash: the hash has 64 characters, more than the column's limit of 40: set length: 40 or max_length: 40 in the rule (and the same in every rule whose column it joins)"
	# the length suggested leaves room for the prefix
	printf '%s\n' 'users:' '  - {column: s, strategy: salted_hashing, salt: x, prefix: "h_"}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.users: column s: salted_hashing: the hash has 66 characters, more than the column's limit of 10: set length: 8 or max_length: 10 in the rule (and the same in every rule whose column it joins)"
	# a prefix as long as the column: only max_length can help
	printf '%s\n' 'users:' '  - {column: s, strategy: hash, prefix: "0123456789ab"}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-anon: $T/s.sql:2: table public.users: column s: hash: the hash has 76 characters, more than the column's limit of 10: set max_length: 10 in the rule (and the same in every rule whose column it joins)"
	# the same length in both rules: the narrow and the wide column hash alike, so they join; redact still cuts
	printf '%s\n' 'users:' '  - {column: h, strategy: hash, length: 40}' '  - {column: h2, strategy: hash, length: 40}' \
		'  - {column: s, strategy: salted_hashing, salt: x, prefix: "h_", max_length: 10}' '  - {column: r, strategy: redact}' >"$T/r.yaml"
	run --separate-stderr conf-anon --limits "$T/model" -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 1 --regexp '^([0-9a-f]{40})	\1	h_[0-9a-f]{8}	\[RE$'
	# without --limits the rule alone decides: the same outputs
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_line --index 1 --regexp '^([0-9a-f]{40})	\1	h_[0-9a-f]{8}	\[REDACTED\]$'
}

@test "h/g2anon key: fewer than 16 bytes is refused (exit 5) unless --insecure-default-key, which warns" {
	printf 'COPY t (v) FROM stdin;\nx\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: v, strategy: hash}\n' >"$T/r.yaml"
	CONFITURE_ANON_KEY=0123456789abcde run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$output" ""
	assert_equal "$stderr" "conf-anon: CONFITURE_ANON_KEY: the key has 15 bytes, fewer than 16: use a longer one (--insecure-default-key for tests only)"
	CONFITURE_ANON_KEY=0123456789abcdef run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" ""
	want=$output
	# the file's trailing newline is not counted
	printf '0123456789abcde\n' >"$T/key"
	run --separate-stderr conf-anon --key-file "$T/key" -r "$T/r.yaml" "$T/s.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-anon: $T/key: the key has 15 bytes, fewer than 16: use a longer one (--insecure-default-key for tests only)"
	printf '0123456789abcdef\n' >"$T/key"
	run --separate-stderr conf-anon --key-file "$T/key" -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$output" "$want"
	CONFITURE_ANON_KEY=short run --separate-stderr conf-anon --insecure-default-key -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$stderr" "conf-anon: WARNING: CONFITURE_ANON_KEY: the key has 5 bytes, fewer than 16: --insecure-default-key lets it through; never use it for real data"
	refute [ "$output" = "$want" ]
}

@test "email, phone and names are pinned for one key: a faster build masks as the one before it (targets of two versions still join)" {
	printf 'COPY t (e, p, n, f, l, k) FROM stdin;\nalice@corp.org\t+1 415 555 0100\tAlice Smith\tAlice\tSmith\tkept\\tas\\\\is\nbob.o\\x27neil@example.net\t(020) 7946-0958\tBob O\\x27Neil\tBob\tO\\x27Neil\t\\N\n\\N\t\\N\t\\N\t\\N\t\\N\t日本\n\\.\n' >"$T/s.sql"
	printf 't:\n  - {column: e, strategy: email}\n  - {column: p, strategy: phone}\n  - {column: n, strategy: name}\n  - {column: f, strategy: first_name}\n  - {column: l, strategy: last_name}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_output "$(printf '%s\n' 'COPY t (e, p, n, f, l, k) FROM stdin;' \
		$'user_akbhc2sqrh3yjy25yea76ukkgg@example.com\t+5 397 691 8318\tBandum Sortlourtthomes\tReandaigian\tWerasen\tkept\\tas\\\\is' \
		$'user_supuxgohu5sk7oamksnmnq5hjh@example.com\t(580) 4200-7536\tTartdre Drertstabeaini\tChennairou\tThelbrertseard\t\\N' \
		$'\\N\t\\N\t\\N\t\\N\t\\N\t日本' '\.')"
}

@test "a masked value is escaped for COPY wherever its special bytes are (every position of values of 1 to 25 bytes)" {
	# partial with a long prefix gives the decoded value back: written again, it must be the same text
	: >"$T/want"
	{
		echo 'COPY t (g, x) FROM stdin;'
		for l in $(seq 1 25); do
			for p in $(seq 0 $((l - 1))); do
				for e in '\\' '\t' '\n' '\r' '\b' '\f' '\v' '\x01' '\x1f' '\x7f' '\x20'; do
					printf '%s%s%s\tw\n' "$(head -c "$p" /dev/zero | tr '\0' a)" "$e" "$(head -c $((l - p - 1)) /dev/zero | tr '\0' b)"
				done
			done
		done
		echo '\.'
	} >"$T/s.sql"
	# the form conf-anon writes: the two-character escapes, other bytes raw
	sed -e 's/\\x01/\x01/; s/\\x1f/\x1f/; s/\\x7f/\x7f/; s/\\x20/ /' "$T/s.sql" >"$T/want"
	printf 't:\n  - {column: g, strategy: partial, prefix: 100}\n' >"$T/r.yaml"
	run --separate-stderr conf-anon -r "$T/r.yaml" "$T/s.sql"
	assert_success
	assert_equal "$(wc -l <"$T/s.sql")" 3577
	conf-anon -r "$T/r.yaml" "$T/s.sql" | cmp - "$T/want"
}

@test "conf-anon's pipes are 1 MB (fewer wake-ups between pg_dump, conf-anon and the loader)" {
	printf 't:\n  - {column: v, strategy: redact}\n' >"$T/r.yaml"
	run bash -c "printf 'SET a = 1;\n' | conf-anon --allow-missing -r '$T/r.yaml' | python3 -c 'import fcntl, sys; sys.stdin.buffer.readline(); print(fcntl.fcntl(0, 1032))'"
	assert_success
	assert_output 1048576
}
