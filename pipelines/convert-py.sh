#!/bin/sh
# confiture migrate convert-py [--down] FILE: the SQL that an upstream Python migration's up()
# (or down()) runs, when it only calls self.execute() with literal strings, as upstream's
# generated files do. Anything else is refused at its line: only Python could run it.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

fn=up
file=''
while [ $# -gt 0 ]; do
	case $1 in
	--down) fn=down ;;
	-h | --help) echo "usage: confiture migrate convert-py [--down] FILE"; exit 0 ;;
	-*) die 5 "unknown option: $1" ;;
	*) [ -z "$file" ] || die 5 "convert-py takes one file"; file=$1 ;;
	esac
	shift
done
[ -n "$file" ] || die 5 "usage: confiture migrate convert-py [--down] FILE"
if [ ! -f "$file" ] || [ ! -r "$file" ]; then die 5 "$file: cannot read the file"; fi

# The method's body is the lines indented deeper than its "def"; it is parsed as a whole so that
# a triple-quoted string may span lines. Output: each string, ended by ";" when it lacks one.
LC_ALL=C awk -v fn="$fn" -v file="$file" '
function indent(s) { match(s, /^[ \t]*/); return RLENGTH }
function fail(msg, p,   l) {
	l = lineof(p)
	t = src[l]; sub(/^[ \t]+/, "", t)
	printf "confiture: %s:%d: %s: %s\n", file, l, msg, t > "/dev/stderr"
	bad = 1
	exit 5
}
function lineof(p,   i) {
	for (i = first; i < last && start[i + 1] <= p; i++)
		;
	return i
}
function skipws(  c) {
	for (;;) {
		c = substr(body, pos, 1)
		if (c == " " || c == "\t" || c == "\n") { pos++; continue }
		if (c == "#") { while (pos <= n && substr(body, pos, 1) != "\n") pos++; continue }
		if (c == "\\" && substr(body, pos + 1, 1) == "\n") { pos += 2; continue }
		return
	}
}
# a string literal at pos: its value, pos after it; refused unless plain (r, u prefixes allowed)
function literal(   q, raw, p0, c, v, e) {
	p0 = pos
	raw = 0
	c = substr(body, pos, 1)
	if (c == "r" || c == "R") { raw = 1; pos++ } else if (c == "u" || c == "U") pos++
	c = substr(body, pos, 1)
	if (c != "\"" && c != "\047")
		fail("not a literal string (f-strings, variables and expressions need Python)", p0)
	q = substr(body, pos, 3) == c c c ? c c c : c
	pos += length(q)
	v = ""
	for (;;) {
		if (pos > n)
			fail("unterminated string", p0)
		if (substr(body, pos, length(q)) == q) { pos += length(q); return v }
		c = substr(body, pos, 1)
		if (c == "\n" && length(q) == 1)
			fail("unterminated string", p0)
		if (c == "\\" && !raw) {
			e = substr(body, pos + 1, 1)
			pos += 2
			if (e == "n") v = v "\n"
			else if (e == "t") v = v "\t"
			else if (e == "\\" || e == "\"" || e == "\047") v = v e
			else if (e == "\n") ;
			else fail("an escape other than \\n \\t \\\\ \\\" \\\047 in a string", p0)
			continue
		}
		if (c == "\\" && raw) { v = v c substr(body, pos + 1, 1); pos += 2; continue }
		v = v c
		pos++
	}
}
# the SQL of one self.execute(): state of each line start (outside any quoted text or
# comment, or not), the common indentation of those outside, and how the text ends
function sqlscan(s,   i, c, k, st, tag, depth, esc, L) {
	st = ""; depth = 0; lastsig = ""; nl = 1; lout[1] = 1
	k = length(s)
	for (i = 1; i <= k; i++) {
		c = substr(s, i, 1)
		if (c == "\n") { if (st == "-") st = ""; lout[++nl] = st == ""; continue }
		if (st == "-") continue
		if (st == "q") {
			if (esc && c == "\\") i++
			else if (c == "\047") st = ""
			continue
		}
		if (st == "d") { if (c == "\"") st = ""; continue }
		if (st == "$") { if (substr(s, i, length(tag)) == tag) { i += length(tag) - 1; st = "" } continue }
		if (st == "c") {
			if (substr(s, i, 2) == "*/") { i++; if (--depth == 0) st = "" }
			else if (substr(s, i, 2) == "/*") { i++; depth++ }
			continue
		}
		if (c == "-" && substr(s, i + 1, 1) == "-") { st = "-"; continue }
		if (c == "/" && substr(s, i + 1, 1) == "*") { st = "c"; depth = 1; i++; continue }
		if (c == "\047") { st = "q"; esc = i > 1 && substr(s, i - 1, 1) ~ /[eE]/ && (i == 2 || substr(s, i - 2, 1) !~ /[A-Za-z0-9_]/); lastsig = c; continue }
		if (c == "\"") { st = "d"; lastsig = c; continue }
		if (c == "$" && match(substr(s, i), /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/) && (i == 1 || substr(s, i - 1, 1) !~ /[A-Za-z0-9_]/)) {
			tag = substr(s, i, RLENGTH); i += RLENGTH - 1; st = "$"; lastsig = "$"; continue
		}
		if (c != " " && c != "\t" && c != "\r") lastsig = c
	}
	return st
}
# s less the indentation common to its lines that start outside quoted text: a line inside a
# string, a dollar-quoted body or a comment is part of a value and kept byte for byte
function dedent(s,   k, i, m, L, r) {
	k = split(s, L, "\n"); m = -1
	for (i = 1; i <= k; i++)
		if (lout[i] && L[i] !~ /^[ \t]*$/ && (m < 0 || indent(L[i]) < m)) m = indent(L[i])
	r = ""
	for (i = 1; i <= k; i++) r = r (i > 1 ? "\n" : "") (lout[i] ? substr(L[i], m + 1) : L[i])
	return r
}
{ src[NR] = $0 }
# a second method of that name (another class, a module-level function): which one runs is the
# choice of the loader upstream, not ours to guess
defline && $0 ~ ("^[ \t]*def[ \t]+" fn "[ \t]*\\(") {
	t = $0; sub(/^[ \t]+/, "", t)
	printf "confiture: %s:%d: a second %s() method (the first is at line %d): split the file, one migration per file: %s\n", file, NR, fn, defline, t > "/dev/stderr"
	bad = 1
	exit 5
}
!inbody && $0 ~ ("^[ \t]*def[ \t]+" fn "[ \t]*\\(") {
	inbody = 1; dent = indent($0); first = NR + 1; defline = NR; next
}
inbody == 1 {
	if ($0 ~ /^[ \t]*$/ || ($0 ~ /^[ \t]*#/ && indent($0) > dent) ) { start[NR] = length(body) + 1; body = body $0 "\n"; last = NR; next }
	if (indent($0) <= dent && !tq1 && !tq3) { inbody = 2; next }
	start[NR] = length(body) + 1; body = body $0 "\n"; last = NR
	# a line inside a triple-quoted string may be indented less: count quotes to know
	t = $0; while ((i = index(t, "\"\"\"")) > 0) { tq1 = !tq1; t = substr(t, i + 3) }
	t = $0; while ((i = index(t, "\047\047\047")) > 0) { tq3 = !tq3; t = substr(t, i + 3) }
	next
}
END {
	if (bad) exit 5
	if (!defline) { printf "confiture: %s: no %s() method\n", file, fn > "/dev/stderr"; exit 5 }
	n = length(body); pos = 1; stmts = 0
	skipws()
	# a docstring first
	if (substr(body, pos, 1) == "\"" || substr(body, pos, 1) == "\047") { literal(); skipws() }
	while (pos <= n) {
		p0 = pos
		if (substr(body, pos, 4) == "pass" && substr(body, pos + 4, 1) ~ /^[ \t\n#]?$/) { pos += 4; skipws(); continue }
		if (substr(body, pos, 13) != "self.execute(")
			fail("only self.execute(\"...\") with a literal string can be converted", p0)
		pos += 13
		skipws()
		sql = literal()
		skipws()
		if (substr(body, pos, 1) != ")")
			fail("self.execute() with more than one literal string (parameters, concatenation) needs Python", p0)
		pos++
		t = sql; sub(/[ \t\n]+$/, "", t); sub(/^([ \t]*\n)+/, "", t)
		if ((st = sqlscan(t)) != "" && st != "-")
			fail("the SQL ends inside a quoted string, a dollar-quoted body or a comment", p0)
		t = dedent(t)
		# upstream writes "# WARNING: Cannot auto-generate down migration ..." as the SQL of a
		# step it cannot revert: PostgreSQL would refuse it when it runs, so refuse it now
		if (t ~ /^#/)
			fail("not SQL (a # line, as upstream writes for a step it cannot generate): write this step by hand", p0)
		# a ";" after a trailing -- comment would be part of the comment: it goes on a line of its own
		if (lastsig != "") {
			out = out t (lastsig == ";" ? "" : st == "-" ? "\n;" : ";") "\n"
			stmts++
		}
		# the rest of the line: nothing but a comment
		while (substr(body, pos, 1) == " " || substr(body, pos, 1) == "\t") pos++
		c = substr(body, pos, 1)
		if (c != "" && c != "\n" && c != "#")
			fail("more than one statement on a line", pos)
		skipws()
	}
	# "pass  # No operations", as upstream generates an empty step: a file that does nothing too
	if (!stmts) { printf "-- %s() of %s runs no SQL\n", fn, file; exit 0 }
	printf "%s", out
}' "$file"
