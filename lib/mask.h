#ifndef CONF_MASK_H
#define CONF_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* The strategies; mask_kind_name gives each its name in rules files. */
enum mask_kind {
	MK_EMAIL, MK_PHONE, MK_NAME, MK_FIRST_NAME, MK_LAST_NAME, MK_HASH, MK_REDACT, MK_PARTIAL,
	MK_PARTIAL_EMAIL, MK_RETENTION, MK_CARD, MK_IP, MK_DATE, MK_NOISE, MK_ADDRESS, MK_TEXT,
	MK_JSON, MK_NULL, MK_PRESERVE, MK_SALTED, MK_DP, MK_NKINDS
};

/* The secret every strategy is keyed with (never read from a rules file). */
struct maskkey {
	unsigned char key[32]; /* SHA-256 of the key material: the HMAC key */
	uint64_t k0, k1;       /* the keyed PRF's key, derived from it */
};

/* One rule's strategy and options, as anonrules read them. */
struct maskrule {
	int kind;
	char *seed;         /* the rule's seed: another seed, other values */
	long max_length;    /* the rule's own limit: at most this many characters out; 0 = none */
	long limit;         /* the target column's limit (--limits): cut to it, email refuses; 0 = none */
	uint64_t k0, k1;    /* the PRF key of this strategy and seed (mask_prepare) */
	/* email */
	int preserve_domain;
	char *domain;
	/* hash */
	char *prefix;
	long length;
	/* redact, retention, text_redaction */
	char *replacement;
	int preserve_length;
	char *mask_char;    /* one UTF-8 character */
	/* partial */
	long pfx, sfx;
	char *padding;
	/* masking_retention */
	long keep_start, keep_end;
	int keep_delims;
	/* credit_card */
	int keep_last4, keep_bin;
	/* ip_address */
	int bits4, bits6;
	/* date: jitter_days, or generalize 1 month 2 year */
	long jitter;
	int generalize;
	/* phone */
	int keep_country;
	/* noise */
	double percent;
	/* differential_privacy: Laplace noise of scale sensitivity / epsilon */
	double epsilon, sensitivity;
	/* text_redaction: bit 1 email, 2 phone, 4 card */
	int patterns;
	/* json */
	char **paths;
	size_t npaths;
	struct maskrule *sub;
};

// mask.c
/* The strategy named s, or -1. */
int mask_kind_parse(const char *s);
/* The name of strategy kind. */
const char *mask_kind_name(int kind);
/* A rule of strategy kind with its defaults. */
void mask_rule_init(struct maskrule *r, int kind);
/* NULL when the rule's options can be acted on, else why not (a rule-load error). */
const char *mask_rule_check(const struct maskrule *r);
/* Free what a rule holds (not the rule itself). */
void mask_rule_free(struct maskrule *r);
/* Derive the key from n bytes of key material. */
void mask_key_init(struct maskkey *k, const void *p, size_t n);
/* Derive the rule's PRF key from the key, its strategy and seed (before mask_value). */
void mask_prepare(struct maskrule *r, const struct maskkey *k);
/* Mask n bytes of value into out (reset first): 0 value, 1 NULL, -1 when the value cannot be
   masked by this strategy (*why says why). */
int mask_value(const struct maskrule *r, const struct maskkey *k, const char *in, size_t n, struct buf *out,
    const char **why);
/* Anonymizer's partial(): prefix characters, padding, suffix characters. */
void mask_partial(const char *in, size_t n, long pfx, const char *pad, long sfx, struct buf *out);
/* Anonymizer's partial_email(). */
void mask_partial_email(const char *in, size_t n, struct buf *out);
/* What a whole value looks like: "email", "card_number", "ip_address", "phone", or NULL. */
const char *mask_detect(const char *v, size_t n);
/* HMAC-SHA256 of n bytes under key (32 bytes). */
void mask_hmac(const unsigned char key[32], const void *p, size_t n, unsigned char out[32]);

#endif
