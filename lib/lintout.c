/* The output of conf-lint's findings: gcc-style lines, JSON Lines, GitHub workflow commands,
   SARIF 2.1.0; and the rule list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lint.h"

/* The documentation of rule r: squawk's page, or this tool's manual. */
static const char *
rule_url(int r, char *buf, size_t n)
{
	if (!strcmp(lint_rules[r].family, "squawk"))
		snprintf(buf, n, "https://squawkhq.com/docs/%s", lint_rules[r].id);
	else
		snprintf(buf, n, "man:conf-lint(1)#%s", lint_rules[r].id);
	return buf;
}

/* GitHub workflow command escaping: data (prop 0) or a property value (prop 1). */
static void
gh_put(const char *s, int prop)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", stdout);
		else if (*s == '\r')
			fputs("%0D", stdout);
		else if (*s == '\n')
			fputs("%0A", stdout);
		else if (prop && *s == ':')
			fputs("%3A", stdout);
		else if (prop && *s == ',')
			fputs("%2C", stdout);
		else
			putchar(*s);
	}
}

/* A file name as a SARIF uri (a URI reference): bytes other than unreserved characters and '/'
   percent-encoded ("<stdin>" is %3Cstdin%3E, "a b.sql" a%20b.sql); newly allocated. */
static char *
sarif_uri(const char *file)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			buf_add(&b, p, 1);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return b.data;
}

/* The findings as one SARIF 2.1.0 log, the whole rule catalogue as the driver's rules. */
static void
print_sarif(const struct finding *f, size_t n, const int *sev)
{
	static const char *const level[] = { "none", "note", "warning", "error" };
	json_t *rules = json_array(), *results = json_array(), *doc;
	char url[256];

	for (int r = 0; lint_rules[r].id; r++)
		json_array_append_new(rules, json_pack("{s:s,s:{s:s},s:{s:s},s:s,s:{s:s}}", "id", lint_rules[r].id,
			"shortDescription", "text", lint_rules[r].msg, "help", "text", lint_rules[r].help,
			"helpUri", rule_url(r, url, sizeof url), "defaultConfiguration", "level",
			level[sev[r] ? sev[r] : lint_rules[r].sev]));
	for (size_t i = 0; i < n; i++) {
		char *uri = sarif_uri(f[i].pos.file);

		json_array_append_new(results, json_pack("{s:s,s:i,s:s,s:{s:s},s:[{s:{s:{s:s},s:{s:i,s:i}}}]}",
			"ruleId", lint_rules[f[i].rule].id, "ruleIndex", f[i].rule, "level", level[f[i].sev],
			"message", "text", f[i].msg, "locations", "physicalLocation", "artifactLocation", "uri", uri,
			"region", "startLine", (int)(f[i].pos.line > 0 ? f[i].pos.line : 1),
			"startColumn", (int)(f[i].pos.col > 0 ? f[i].pos.col : 1)));
		free(uri);
	}
	doc = json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:o}},s:o}]}", "version", "2.1.0",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json", "runs", "tool", "driver", "name", "conf-lint",
		"informationUri", "https://squawkhq.com/docs/rules", "rules", rules, "results", results);
	json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
}

void
lint_print(const struct finding *f, size_t n, int fmt, const int *sev)
{
	char url[256];

	if (fmt == LINT_SARIF) {
		print_sarif(f, n, sev);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct lintrule *r = &lint_rules[f[i].rule];

		switch (fmt) {
		case LINT_GCC:
			printf("%s:%ld:%ld: %s: %s: %s\n", f[i].pos.file, f[i].pos.line, f[i].pos.col,
				lint_sev_name(f[i].sev), r->id, f[i].msg);
			break;
		case LINT_JSON: {
			json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s}", "kind", "lint_finding", "rule", r->id, "severity",
				lint_sev_name(f[i].sev), "file", f[i].pos.file, "line", (json_int_t)f[i].pos.line,
				"col", (json_int_t)f[i].pos.col, "message", f[i].msg, "help", r->help,
				"url", rule_url(f[i].rule, url, sizeof url));

			json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
			putchar('\n');
			json_decref(o);
			break;
		}
		case LINT_GITHUB:
			printf("::%s file=", f[i].sev == SEV_ERROR ? "error" : f[i].sev == SEV_WARNING ? "warning" : "notice");
			gh_put(f[i].pos.file, 1);
			printf(",line=%ld,col=%ld,title=", f[i].pos.line, f[i].pos.col);
			gh_put(r->id, 1);
			fputs("::", stdout);
			gh_put(f[i].msg, 0);
			fputs(" (", stdout);
			gh_put(r->help, 0);
			fputs(")\n", stdout);
			break;
		}
	}
}

void
lint_list_rules(const int *sev)
{
	for (int r = 0; lint_rules[r].id; r++)
		printf("%s\t%s\t%s\t%s\n", lint_rules[r].id, lint_sev_name(sev[r]), lint_rules[r].family, lint_rules[r].msg);
}

