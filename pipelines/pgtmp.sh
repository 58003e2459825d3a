# shellcheck shell=sh
# A throwaway PostgreSQL cluster: Unix socket only, fsync off. Sourced, not run.
#   pgtmp_init DIR    initdb into DIR/data (if new)
#   pgtmp_start DIR   pgtmp_init DIR (a copy of $PGTMP_TEMPLATE/data if set) and start it; sets
#                     PGHOST PGPORT PGUSER PGDATABASE
#   pgtmp_stop DIR    stop it (immediate), keep the files
#   pgtmp_url DIR     print a libpq URI for it
# PGTMP_PORT sets the port (default 5432); PGTMP_TCP=ADDR also listens on TCP at that address,
# where a password (scram-sha-256) is required of every role.
# As root the server runs as the postgres user (initdb refuses root).

pgtmp_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		echo "$PG_BINDIR"
	elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
		echo /usr/lib/postgresql/15/bin
	else
		pg_config --bindir
	fi
}

pgtmp_run() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

pgtmp_init() {
	_d=$1
	_b=$(pgtmp_bindir)
	mkdir -p "$_d" || return 1
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 ||
			useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres
		chown postgres: "$_d" || return 1
	fi
	[ ! -f "$_d/data/PG_VERSION" ] || return 0
	# initdb costs a second or two; a test run starting many clusters copies one
	if [ -n "${PGTMP_TEMPLATE:-}" ] && [ -f "$PGTMP_TEMPLATE/data/PG_VERSION" ] &&
		cp -a "$PGTMP_TEMPLATE/data" "$_d/data"; then
		return 0
	fi
	pgtmp_run "$_b/initdb" -D "$_d/data" -U postgres -A trust -E UTF8 --locale=C -N \
		--no-instructions >"$_d/initdb.log" 2>&1 </dev/null || {
		cat "$_d/initdb.log" >&2
		return 1
	}
}

pgtmp_start() {
	pgtmp_init "$1" || return 1
	_d=$1
	_b=$(pgtmp_bindir)
	_port=${PGTMP_PORT:-5432}
	if [ -n "${PGTMP_TCP:-}" ] && ! grep -q "^host all all $PGTMP_TCP/32 scram-sha-256" "$_d/data/pg_hba.conf"; then
		# first: initdb's trust lines below it would let any role in without a password
		{ printf 'host all all %s/32 scram-sha-256\n' "$PGTMP_TCP"; cat "$_d/data/pg_hba.conf"; } >"$_d/hba.new" &&
			pgtmp_run cp "$_d/hba.new" "$_d/data/pg_hba.conf" && rm -f "$_d/hba.new" || return 1
	fi
	pgtmp_run "$_b/pg_ctl" -D "$_d/data" -l "$_d/server.log" -w -t 60 -s \
		-o "-c listen_addresses='${PGTMP_TCP:-}' -k $_d -p $_port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=1GB -c shared_buffers=128MB -c max_connections=60" \
		start </dev/null || {
		cat "$_d/server.log" >&2
		return 1
	}
	PGHOST=$_d PGPORT=$_port PGUSER=postgres PGDATABASE=postgres
	export PGHOST PGPORT PGUSER PGDATABASE
}

pgtmp_stop() {
	[ -f "$1/data/postmaster.pid" ] || return 0
	pgtmp_run "$(pgtmp_bindir)/pg_ctl" -D "$1/data" -m immediate -s stop </dev/null >/dev/null 2>&1 || true
}

pgtmp_running() {
	[ -f "$1/data/postmaster.pid" ] && pgtmp_run "$(pgtmp_bindir)/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

pgtmp_url() {
	echo "postgresql:///postgres?host=$1&port=5432&user=postgres"
}
