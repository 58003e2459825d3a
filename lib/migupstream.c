/* conf-migrate -U: its records turned into the JSON objects upstream Confiture's migrate
   commands print (status, up, down), and upstream's error envelope. */
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "migupstream.h"

/* -U on an error path: upstream's error envelope, with its symbolic code for our exit status
   (the message itself went to standard error). */
static json_t *
envelope(int rc)
{
	static const char *const codes[] = { "OK", "SQL_001", "PRECON_1001", "CONFIG_006", "SCHEMA_001",
		"CONFIG_001", "LOCK_1300", "PFLIGHT_001", "ROLLBACK_600" };
	const char *code = rc >= 0 && rc <= 8 ? codes[rc] : "INTERRUPTED";

	return json_pack("{s:b, s:{s:s, s:s, s:o, s:o, s:{}, s:o, s:o, s:o}}", "ok", 0, "error", "severity", "error",
	    "code", code, "message", json_sprintf("conf-migrate exited %d: the reason is on standard error", rc),
	    "actionable", json_null(), "details", "migration", json_null(), "file", json_null(), "line", json_null());
}

/* -U status: applied, pending, current, total, migrations[], summary, hints. A row whose file is
   gone or changed is applied; upstream has no state for either. */
static json_t *
upstream_status(const struct migup *u, int rc, json_t *urecs)
{
	json_t *applied = json_array(), *pending = json_array(), *migs = json_array(), *r, *o;
	const char *current = NULL;
	size_t i;

	json_array_foreach(urecs, i, r) {
		const char *v = json_string_value(json_object_get(r, "version"));
		int isapp = strncmp(json_string_value(json_object_get(r, "state")), "pending", 7) != 0;

		json_array_append_new(isapp ? applied : pending, json_string(v));
		if (isapp && (!current || strcmp(v, current) > 0))
			current = v;
		json_array_append_new(migs, json_pack("{s:O, s:O, s:s, s:O}", "version", json_object_get(r, "version"),
		    "name", json_object_get(r, "name"), "status", isapp ? "applied" : "pending",
		    "applied_at", json_object_get(r, "applied_at")));
	}
	o = json_pack("{s:o, s:O, s:O, s:o, s:i, s:o, s:[]}", "tracking_table", jsonl_str(u->lg->table), "applied", applied,
	    "pending", pending, "current", jsonl_str(current), "total", (int)json_array_size(migs), "migrations", migs,
	    "hints");
	json_object_set_new(o, "summary", json_pack("{s:i, s:i, s:i}", "applied", (int)json_array_size(applied),
	    "pending", (int)json_array_size(pending), "total", (int)json_array_size(migs)));
	if (rc == EX_NOTRACK)
		json_object_set_new(o, "warning", json_sprintf("tracking table %s does not exist: every migration is pending",
		    u->lg->name ? u->lg->name : "tb_confiture"));
	if (json_array_size(migs) == 0) {
		/* upstream's shape for a directory without migrations */
		json_object_del(o, "tracking_table");
		json_object_del(o, "summary");
	}
	json_decref(applied);
	json_decref(pending);
	return o;
}

/* -U up: success, applied[], skipped, pending, errors, ...; dry_run_execute for -n, which runs
   the migrations and rolls them back (upstream's --dry-run only analyses). */
static json_t *
upstream_up(const struct migup *u, int rc, json_t *urecs)
{
	json_t *applied = json_array(), *errors = json_array(), *skipped = json_array(), *pending = json_array(), *r;
	long total = 0;
	int failed = 0;
	size_t i;

	json_array_foreach(urecs, i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));

		if (strcmp(st, "applied") == 0 || strcmp(st, "would apply") == 0) {
			json_int_t ms = json_integer_value(json_object_get(r, "execution_time_ms"));

			total += (long)ms;
			json_array_append_new(applied, json_pack("{s:O, s:O, s:I, s:i}", "version", json_object_get(r, "version"),
			    "name", json_object_get(r, "name"), "duration_ms", ms, "rows_affected", 0));
		} else {
			failed += strcmp(st, "failed") == 0;
			json_array_append_new(errors, json_sprintf("%s_%s %s", json_string_value(json_object_get(r, "version")),
			    json_string_value(json_object_get(r, "name")), st));
		}
	}
	if (rc != EX_OK && !failed) {
		json_decref(applied);
		json_decref(errors);
		json_decref(skipped);
		json_decref(pending);
		return envelope(rc);
	}
	for (i = 0; i < u->lg->nrows; i++)
		json_array_append_new(skipped, json_string(u->lg->rows[i].version));
	for (i = 0; i < u->md->n; i++) {
		int done = ledger_find(u->lg, u->md->v[i].version) != NULL;

		for (size_t j = 0; !done && !u->dry_run && j < json_array_size(applied); j++)
			done = strcmp(json_string_value(json_object_get(json_array_get(applied, j), "version")), u->md->v[i].version) == 0;
		if (!done && (!u->target || strcmp(u->md->v[i].version, u->target) <= 0))
			json_array_append_new(pending, json_string(u->md->v[i].version));
	}
	return json_pack("{s:b, s:o, s:o, s:[], s:o, s:o, s:i, s:b, s:b, s:b, s:[]}", "success", rc == EX_OK,
	    "applied", applied, "skipped", skipped, "skipped_superuser", "pending", pending, "errors", errors,
	    "total_duration_ms", (int)total, "checksums_verified", strcmp(u->onmismatch, "ignore") != 0, "dry_run", 0,
	    "dry_run_execute", u->dry_run, "warnings");
}

/* -U down/down-to: success, rolled_back[] newest first, ... */
static json_t *
upstream_down(int rc, json_t *urecs)
{
	json_t *back = json_array(), *r;
	long total = 0;
	size_t i;

	if (rc != EX_OK) {
		json_decref(back);
		return envelope(rc);
	}
	json_array_foreach(urecs, i, r) {
		json_int_t ms = json_integer_value(json_object_get(r, "execution_time_ms"));

		total += (long)ms;
		json_array_append_new(back, json_pack("{s:O, s:O, s:I}", "version", json_object_get(r, "version"),
		    "name", json_object_get(r, "name"), "duration_ms", ms));
	}
	return json_pack("{s:b, s:o, s:b, s:i, s:[], s:n}", "success", 1, "rolled_back", back, "checksums_verified", 0,
	    "total_duration_ms", (int)total, "warnings", "error");
}

json_t *
migup_object(const struct migup *u, const char *cmd, int rc, json_t *urecs)
{
	json_t *o, *r;

	if (strcmp(cmd, "status") == 0 && (rc == EX_OK || rc == EX_FAIL || rc == EX_NOTRACK)) {
		o = upstream_status(u, rc, urecs);
	} else if (strcmp(cmd, "current") == 0 && rc == EX_OK) {
		r = json_array_get(urecs, 0);
		o = json_pack("{s:O, s:O, s:O, s:O}", "revision", json_object_get(r, "version"), "name",
		    json_object_get(r, "name"), "applied_at", json_object_get(r, "applied_at"), "checksum",
		    json_object_get(r, "checksum"));
	} else if (strcmp(cmd, "up") == 0) {
		o = upstream_up(u, rc, urecs);
	} else if (strncmp(cmd, "down", 4) == 0) {
		o = upstream_down(rc, urecs);
	} else if (rc == EX_OK) {
		/* baseline, verify: upstream's own shapes are not reproduced, our records are */
		o = json_pack("{s:b, s:O}", "success", 1, "results", urecs);
	} else {
		o = envelope(rc);
	}
	/* a record without the fields its shape needs: the envelope, never an empty stdout */
	return o ? o : envelope(rc == EX_OK ? EX_FAIL : rc);
}
