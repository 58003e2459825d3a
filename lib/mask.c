#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anondata.h"
#include "hash.h"
#include "mask.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ISDIGIT(c) ((c) >= '0' && (c) <= '9') /* isdigit without the locale table's call */

/* Room for n more bytes and the NUL in b: the hot paths below then write bytes in place, and
   buf_grow (out of line) is called only when the buffer must really grow. */
static inline void
reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
}

/* Append n bytes to b (b has room: reserve first), without the NUL. */
static inline void
put_raw(struct buf *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b->data[b->len + i] = p[i];
	b->len += n;
}

static const char *const kinds[MK_NKINDS] = {
	"email", "phone", "name", "first_name", "last_name", "hash", "redact", "partial",
	"partial_email", "masking_retention", "credit_card", "ip_address", "date", "noise", "address",
	"text_redaction", "json", "null", "preserve", "salted_hashing", "differential_privacy",
};

int
mask_kind_parse(const char *s)
{
	for (int i = 0; i < MK_NKINDS; i++)
		if (strcmp(s, kinds[i]) == 0)
			return i;
	return -1;
}

const char *
mask_kind_name(int kind)
{
	return kind >= 0 && kind < MK_NKINDS ? kinds[kind] : "?";
}

void
mask_rule_init(struct maskrule *r, int kind)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->keep_last4 = 1;
	r->bits4 = 24;
	r->bits6 = 64;
	r->jitter = 30;
	r->percent = 10;
	r->patterns = 7;
	r->length = 64;
	r->epsilon = 1;
	r->sensitivity = 1;
}

void
mask_rule_free(struct maskrule *r)
{
	free(r->seed);
	free(r->domain);
	free(r->prefix);
	free(r->replacement);
	free(r->mask_char);
	free(r->padding);
	for (size_t i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	free(r->paths);
	if (r->sub) {
		/* the sub-rule shares the strings of its parent */
		free(r->sub);
	}
}

void
mask_hmac(const unsigned char key[32], const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, 32, p, n, out, &len);
}

/* SipHash-2-4 with a 128-bit output: the PRF every strategy draws from, fast enough to run
   once per masked field (HMAC-SHA256 is kept for the hash strategy, whose output is the digest). */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND \
	do { \
		v0 += v1, v1 = ROTL(v1, 13), v1 ^= v0, v0 = ROTL(v0, 32); \
		v2 += v3, v3 = ROTL(v3, 16), v3 ^= v2; \
		v0 += v3, v3 = ROTL(v3, 21), v3 ^= v0; \
		v2 += v1, v1 = ROTL(v1, 17), v1 ^= v2, v2 = ROTL(v2, 32); \
	} while (0)

static void
siphash128(uint64_t k0, uint64_t k1, const void *in, size_t n, uint64_t out[2])
{
	const unsigned char *p = in, *end = p + (n & ~(size_t)7);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1, b = (uint64_t)n << 56, m;

	v1 ^= 0xee;
	for (; p < end; p += 8) {
		memcpy(&m, p, 8); /* little-endian hosts only, as the x86-64 and arm64 we build for */
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = 0; i < (n & 7); i++)
		b |= (uint64_t)p[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xee;
	for (int i = 0; i < 4; i++)
		SIPROUND;
	out[0] = v0 ^ v1 ^ v2 ^ v3;
	v1 ^= 0xdd;
	for (int i = 0; i < 4; i++)
		SIPROUND;
	out[1] = v0 ^ v1 ^ v2 ^ v3;
}

void
mask_key_init(struct maskkey *k, const void *p, size_t n)
{
	static const char label[] = "conf-anon prf";
	unsigned char d[32];

	sha256_raw(p, n, k->key);
	mask_hmac(k->key, label, sizeof label - 1, d);
	memcpy(&k->k0, d, 8);
	memcpy(&k->k1, d + 8, 8);
}

void
mask_prepare(struct maskrule *r, const struct maskkey *k)
{
	struct buf b = { 0 };
	uint64_t h[2];

	/* the strategy and the seed, not the table: one value masks alike in every table */
	buf_puts(&b, mask_kind_name(r->kind));
	buf_add(&b, "", 1);
	if (r->seed)
		buf_puts(&b, r->seed);
	siphash128(k->k0, k->k1, b.data, b.len, h);
	r->k0 = h[0], r->k1 = h[1];
	buf_free(&b);
	if (r->sub) {
		mask_prepare(r->sub, k);
	}
}

/* A deterministic stream of numbers drawn from one value's PRF output (splitmix64). */
struct rng {
	uint64_t s;
};

static uint64_t
rnext(struct rng *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number below m, 0 < m. */
static uint64_t
rbelow(struct rng *g, uint64_t m)
{
	return (uint64_t)(((unsigned __int128)rnext(g) * m) >> 64);
}

static void
prf(const struct maskrule *r, const char *in, size_t n, uint64_t h[2], struct rng *g)
{
	siphash128(r->k0, r->k1, in, n, h);
	g->s = h[0] ^ ROTL(h[1], 29);
}

/* Bytes of the UTF-8 character at p (1 for a stray byte, so any input advances). */
static size_t
u8len(const char *p, const char *e)
{
	unsigned char c = (unsigned char)*p;
	size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;

	if ((size_t)(e - p) < k)
		return 1;
	for (size_t i = 1; i < k; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			return 1;
	return k;
}

static long
u8count(const char *p, size_t n)
{
	const char *e = p + n;
	long c = 0;

	while (p < e)
		p += u8len(p, e), c++;
	return c;
}

/* Byte offset of character number i (0-based), n if past the end. */
static size_t
u8off(const char *p, size_t n, long i)
{
	const char *s = p, *e = p + n;

	while (i-- > 0 && p < e)
		p += u8len(p, e);
	return (size_t)(p - s);
}

static void
hex(struct buf *b, const unsigned char *d, size_t n)
{
	static const char x[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		char two[2] = { x[d[i] >> 4], x[d[i] & 15] };

		buf_add(b, two, 2);
	}
}

void
mask_partial(const char *in, size_t n, long pfx, const char *pad, long sfx, struct buf *out)
{
	long len = u8count(in, n), from;

	/* substring(ov FROM 1 FOR prefix) || padding || substring(ov FROM length(ov)-suffix+1 FOR suffix) */
	if (pfx > 0)
		buf_add(out, in, u8off(in, n, pfx));
	buf_puts(out, pad);
	if (sfx > 0) {
		from = len - sfx; /* 0-based first character; before the start, SQL's substring clips */
		if (from < 0)
			from = 0;
		buf_add(out, in + u8off(in, n, from), n - u8off(in, n, from));
	}
}

void
mask_partial_email(const char *in, size_t n, struct buf *out)
{
	const char *e = in + n, *at1 = memchr(in, '@', n), *atl = NULL, *dot = NULL;
	size_t ln = at1 ? (size_t)(at1 - in) : n;

	for (const char *p = in; p < e; p++) {
		if (*p == '@')
			atl = p;
		if (*p == '.')
			dot = p;
	}
	/* regexp_replace(ov,'@.*',''): all before the first @; '.*@': all after the last @;
	   '.*\.': all after the last dot — the whole value where there is none */
	buf_add(out, in, u8off(in, ln, 2));
	buf_puts(out, "******@");
	{
		const char *d = atl ? atl + 1 : in;

		buf_add(out, d, u8off(d, (size_t)(e - d), 2));
	}
	buf_puts(out, "******.");
	{
		const char *t = dot ? dot + 1 : in;

		buf_add(out, t, (size_t)(e - t));
	}
}

static void
digits(struct buf *out, struct rng *g, int n)
{
	reserve(out, (size_t)n);
	for (int i = 0; i < n; i++)
		out->data[out->len++] = (char)('0' + rbelow(g, 10));
	out->data[out->len] = 0;
}

/* An email's hash: base32 (a-z2-7) of the 128-bit keyed hash, 5 bits a character.  Fewer than
   EMAIL_MIN characters (65 bits) would let distinct inputs collide in big tables: refused. */
#define EMAIL_FULL 26
#define EMAIL_MIN 13

static char msg[256]; /* a message with numbers in it: one at a time, the caller prints it at once */

/* Characters of hash an email rule's max_length leaves before @ and a domain of dn bytes. */
static long
email_room(const struct maskrule *r, size_t dn)
{
	long room = r->max_length - 1 - (long)dn;

	if (!r->max_length || room >= 5 + EMAIL_FULL)
		return EMAIL_FULL + 5;
	return room > EMAIL_FULL ? EMAIL_FULL : room;
}

/* The form depends on the rule only (key, seed, domain options, its own max_length), never on the
   target column's limit: a masked email used as a join key then joins in every table. */
static int
email(const struct maskrule *r, const char *in, size_t n, struct buf *out, const char **why)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	const char *at = NULL, *dom;
	uint64_t h[2];
	struct rng g;
	size_t dn;
	long room, nc;

	at = memrchr(in, '@', n);
	prf(r, in, n, h, &g);
	dom = r->preserve_domain && at ? at + 1 : r->domain ? r->domain : "example.com";
	dn = r->preserve_domain && at ? (size_t)(in + n - dom) : strlen(dom);
	room = email_room(r, dn);
	if (room < EMAIL_MIN) {
		snprintf(msg, sizeof msg, "max_length %ld leaves %ld characters before @%.*s: an email keeps at least %d (64 bits)",
		    r->max_length, room < 0 ? 0 : room, (int)(dn > 100 ? 100 : dn), dom, EMAIL_MIN);
		return *why = msg, -1;
	}
	nc = room > EMAIL_FULL ? EMAIL_FULL : room;
	reserve(out, 5 + (size_t)nc + 1 + dn);
	if (room > EMAIL_FULL)
		put_raw(out, "user_", 5);
	for (long i = 0; i < nc; i++) {
		/* character i holds bits 5i..5i+4 of the 128 (the last one 3 bits) */
		long b = 5 * i;
		uint64_t w = b < 64 ? h[0] >> b | (b > 59 ? h[1] << (64 - b) : 0) : h[1] >> (b - 64);

		out->data[out->len++] = b32[w & 31];
	}
	out->data[out->len++] = '@';
	memcpy(out->data + out->len, dom, dn);
	out->len += dn;
	out->data[out->len] = 0;
	if (r->limit > 0 && u8count(out->data, out->len) > r->limit) {
		snprintf(msg, sizeof msg, "the masked email has %ld characters, more than the column's limit of %ld: set max_length: %ld "
		    "in the rule (and the same in every rule whose column it joins)", u8count(out->data, out->len), r->limit, r->limit);
		return *why = msg, -1;
	}
	return 0;
}

const char *
mask_rule_check(const struct maskrule *r)
{
	if (r->kind == MK_EMAIL && r->max_length && !r->preserve_domain) {
		const char *dom = r->domain ? r->domain : "example.com";
		long room = email_room(r, strlen(dom));

		if (room < EMAIL_MIN) {
			snprintf(msg, sizeof msg, "max_length %ld leaves %ld characters before @%s: an email keeps at least %d "
			    "(64 bits), so a limit of %ld or more", r->max_length, room < 0 ? 0 : room, dom, EMAIL_MIN,
			    (long)(EMAIL_MIN + 1 + strlen(dom)));
			return msg;
		}
	}
	return NULL;
}

static void
phone(const struct maskrule *r, const char *in, size_t n, struct buf *out)
{
	uint64_t h[2];
	struct rng g;
	size_t i = 0;
	char *o;

	prf(r, in, n, h, &g);
	/* one byte out for each byte in */
	reserve(out, n);
	o = out->data + out->len;
	if (r->keep_country && n && in[0] == '+') {
		*o++ = '+';
		for (i = 1; i < n && i <= 3 && ISDIGIT(in[i]); i++)
			*o++ = in[i];
	}
	for (; i < n; i++)
		*o++ = ISDIGIT(in[i]) ? (char)('0' + rbelow(&g, 10)) : in[i];
	*o = 0;
	out->len = (size_t)(o - out->data);
}

static void
pick(struct buf *out, struct rng *g, const char *const *list, size_t n)
{
	buf_puts(out, list[rbelow(g, n)]);
}

/* A made-up pronounceable name: syllables of onset, vowel and coda (about 3,000 each, so 2 of
   them give 8.6 million names and 3 give 26 billion); the dictionaries of real names were far too
   small for a join key (303 first and 277 last names: 100,000 people kept 58,364 distinct names). */
static void
gen_name(struct buf *out, struct rng *g, int last)
{
	/* each piece padded to 8 bytes: copied as one word, then the pointer moves by its length
	   (no byte loop whose unpredictable end costs more than the rest of the name) */
	static const char on1[][8] = { "B", "C", "D", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "V",
		"W", "Y", "Z", "Br", "Cl", "Dr", "Fr", "Gr", "Kr", "Pr", "St", "Tr", "Ch", "Sh", "Th", "Al", "El", "Or" };
	static const char on[][8] = { "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr",
		"gr", "tr", "ch", "sh", "th", "ll", "nd", "st" };
	static const char vo[][8] = { "a", "e", "i", "o", "u", "a", "e", "o", "ia", "ea", "ou", "ai" };
	static const char co[][8] = { "", "", "", "", "", "n", "r", "l", "s", "m", "nd", "rt" };
	static const char end[][8] = { "son", "sen", "berg", "ley", "ton", "man", "ford", "wood", "field", "ski", "ez",
		"ini", "ard", "ell", "ing", "ov", "er", "es", "a", "o" };
	int ns = 2 + (int)rbelow(g, 2);
	uint64_t w;
	char *o;

	/* at most 3 syllables of 6 bytes and an ending of 5, the last word written 8 bytes wide */
	reserve(out, 40);
	o = out->data + out->len;
	/* the length of a NUL-padded piece: its highest non-zero byte (little-endian, as siphash128) */
#define PICK(list) (memcpy(&w, (list)[rbelow(g, NELEM(list))], 8), memcpy(o, &w, 8), \
	o += w ? (size_t)(71 - __builtin_clzll(w)) / 8 : 0)
	for (int i = 0; i < ns; i++) {
		if (i)
			PICK(on);
		else
			PICK(on1);
		PICK(vo);
		PICK(co);
	}
	if (last)
		PICK(end);
#undef PICK
	*o = 0;
	out->len = (size_t)(o - out->data);
}

static void
card(const struct maskrule *r, const char *in, size_t n, struct buf *out)
{
	uint64_t h[2];
	struct rng g;
	long nd = 0, di = 0, fix = -1;
	size_t fixat = 0;

	prf(r, in, n, h, &g);
	for (size_t i = 0; i < n; i++)
		nd += isdigit((unsigned char)in[i]) != 0;
	for (size_t i = 0; i < n; i++) {
		int keep;

		if (!isdigit((unsigned char)in[i])) {
			buf_add(out, in + i, 1);
			continue;
		}
		/* fewer than 12 digits is no card: nothing of it is kept */
		keep = nd >= 12 && ((r->keep_last4 && di >= nd - 4) || (r->keep_bin && di < 6));
		if (keep) {
			buf_add(out, in + i, 1);
		} else {
			fix = di;
			fixat = out->len;
			digits(out, &g, 1);
		}
		di++;
	}
	if (fix < 0)
		return;
	/* the last replaced digit is chosen so that the Luhn check holds */
	{
		int sum = 0, pos = 0, dbl = (int)((nd - 1 - fix) & 1), want;

		for (size_t i = out->len; i-- > 0;) {
			int d;

			if (!isdigit((unsigned char)out->data[i]))
				continue;
			d = out->data[i] - '0';
			if (i != fixat)
				sum += (pos & 1) ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
			pos++;
		}
		want = (10 - sum % 10) % 10;
		for (int d = 0; d < 10; d++)
			if ((dbl ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d) == want) {
				out->data[fixat] = (char)('0' + d);
				break;
			}
	}
}

static int
ip(const struct maskrule *r, const char *in, size_t n, struct buf *out)
{
	char a[64], s[INET6_ADDRSTRLEN];
	const char *slash = memchr(in, '/', n);
	size_t an = slash ? (size_t)(slash - in) : n;
	unsigned char x[16];
	uint64_t h[2];
	struct rng g;
	int v6, bits, bytes, end;

	if (an >= sizeof a)
		return -1;
	memcpy(a, in, an);
	a[an] = 0;
	v6 = strchr(a, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, a, x) != 1)
		return -1;
	prf(r, in, an, h, &g);
	bits = v6 ? r->bits6 : r->bits4;
	bytes = v6 ? 16 : 4;
	end = bytes * 8;
	if (slash) {
		/* a network (host bits zero, as every cidr value) stays one: only the bits between the
		   kept subnet and its prefix length are drawn; an inet's prefix is kept as written */
		char *ep;
		long len = strtol(slash + 1, &ep, 10);
		int zero = 1;

		if (ep != in + n || ep == slash + 1 || len < 0 || len > bytes * 8)
			return -1;
		for (int i = (int)len; i < bytes * 8; i++)
			zero &= !(x[i / 8] & (0x80 >> (i % 8)));
		if (zero)
			end = (int)len;
	}
	for (int i = 0; i < end; i++) {
		if (i < bits)
			continue;
		if (rnext(&g) & 1)
			x[i / 8] |= (unsigned char)(0x80 >> (i % 8));
		else
			x[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
	}
	inet_ntop(v6 ? AF_INET6 : AF_INET, x, s, sizeof s);
	buf_puts(out, s);
	if (slash)
		buf_add(out, slash, (size_t)(in + n - slash));
	return 0;
}

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Write year y (astronomical: 0 is 1 BC) month m day d, then rest (its own " BC" taken off). */
static void
put_date(struct buf *out, long y, long m, long d, const char *rest, size_t rn)
{
	buf_printf(out, "%04ld-%02ld-%02ld", y > 0 ? y : 1 - y, m, d);
	buf_add(out, rest, rn);
	if (y <= 0)
		buf_puts(out, " BC");
}

/* PostgreSQL's range: 4714-11-24 BC (date and timestamp) to 294276-12-31 (timestamp's end). */
#define DAY_MIN (-2440588L - 0)
#define DAY_MAX 106751991L
#define DAY_AD (-719162L) /* 0001-01-01: an AD date stays AD */

static int
date(const struct maskrule *r, const char *in, size_t n, struct buf *out)
{
	long y = 0, m, d, day;
	uint64_t h[2];
	struct rng g;
	const char *p = in, *rest, *e = in + n;
	size_t rn;
	int bc;

	/* the special values carry nothing personal and have no date to move */
	if ((n == 8 && memcmp(in, "infinity", 8) == 0) || (n == 9 && memcmp(in, "-infinity", 9) == 0)) {
		buf_add(out, in, n);
		return 0;
	}
	/* YYYY (4 to 7 digits: PostgreSQL writes years past 9999 whole) -MM-DD, a time, " BC" */
	while (p < e && isdigit((unsigned char)*p) && p - in < 7)
		y = y * 10 + (*p++ - '0');
	if (p - in < 4 || e - p < 6 || p[0] != '-' || p[3] != '-' || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])
	    || !isdigit((unsigned char)p[4]) || !isdigit((unsigned char)p[5]))
		return -1;
	m = (p[1] - '0') * 10 + (p[2] - '0');
	d = (p[4] - '0') * 10 + (p[5] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1)
		return -1;
	rest = p + 6;
	rn = (size_t)(e - rest);
	bc = rn >= 3 && memcmp(e - 3, " BC", 3) == 0;
	if (bc) {
		rn -= 3;
		y = 1 - y;
	}
	if (r->generalize) {
		d = 1;
		if (r->generalize == 2)
			m = 1;
		/* a time of day goes to midnight; its zone stays */
		if (rn >= 9 && (*rest == ' ' || *rest == 'T') && rest[3] == ':') {
			const char *z = rest + 9, *re = rest + rn;
			struct buf t = { 0 };

			buf_add(&t, rest, 1);
			buf_puts(&t, "00:00:00");
			if (z < re && *z == '.')
				for (z++; z < re && isdigit((unsigned char)*z); z++)
					;
			buf_add(&t, z, (size_t)(re - z));
			put_date(out, y, m, d, t.data, t.len);
			buf_free(&t);
		} else {
			put_date(out, y, m, d, rest, rn);
		}
		return 0;
	}
	day = days_from_civil(y, m, d);
	if (r->jitter > 0) {
		/* a shift of 0 would keep the date: drawn from -J..-1, 1..J; reflected at the range's ends */
		long shift;

		prf(r, in, n, h, &g);
		shift = (long)rbelow(&g, (uint64_t)(2 * r->jitter)) - r->jitter;
		if (shift >= 0)
			shift++;
		if (day + shift < DAY_MIN || day + shift > DAY_MAX || (y > 0 && day + shift < DAY_AD))
			shift = -shift;
		day += shift;
	}
	civil_from_days(day, &y, &m, &d);
	put_date(out, y, m, d, rest, rn);
	return 0;
}

/* The natural logarithm of 0 < x (no libm here): halved to [1, 2), then 2 atanh((x-1)/(x+1)). */
static double
ln(double x)
{
	double k = 0, t, t2, sum = 0, term;

	while (x >= 2)
		x /= 2, k++;
	while (x < 1)
		x *= 2, k--;
	t = (x - 1) / (x + 1);
	t2 = t * t;
	term = t;
	for (int i = 1; i < 60; i += 2) {
		sum += term / i;
		term *= t2;
	}
	return 2 * sum + k * 0.69314718055994530942;
}

static int
noise(const struct maskrule *r, const char *in, size_t n, struct buf *out)
{
	char t[128], *end;
	double v, u, w;
	uint64_t h[2];
	struct rng g;
	const char *dot;
	int dec = 0, expo;

	if ((n == 3 && memcmp(in, "NaN", 3) == 0) || (n == 8 && memcmp(in, "Infinity", 8) == 0)
	    || (n == 9 && memcmp(in, "-Infinity", 9) == 0)) {
		buf_add(out, in, n);
		return 0;
	}
	if (n == 0 || n >= sizeof t)
		return -1;
	memcpy(t, in, n);
	t[n] = 0;
	v = strtod(t, &end);
	if (*end || !isfinite(v))
		return -1;
	expo = strpbrk(t, "eE") != NULL;
	if ((dot = strchr(t, '.')))
		dec = (int)strspn(dot + 1, "0123456789");
	prf(r, in, n, h, &g);
	u = (double)(rnext(&g) >> 11) / 9007199254740992.0 * 2 - 1;
	if (r->kind == MK_DP) {
		/* Laplace(b): -b sgn(u) ln(1 - |u|) for u uniform in (-1, 1) */
		double a = u < 0 ? -u : u;

		w = v - (u < 0 ? -1 : 1) * r->sensitivity / r->epsilon * ln(a < 1 ? 1 - a : 1e-300);
	} else {
		w = v * (1 + u * r->percent / 100);
	}
	if (r->percent > 0 || r->kind == MK_DP) {
		/* what prints as the input moves by one unit of the printed precision (0 and small
		   integers too), up or down as the draw says */
		char o[400];

		snprintf(o, sizeof o, expo ? "%.*g" : "%.*f", expo ? 17 : dec, w);
		if (strtod(o, NULL) == v) {
			double unit = expo ? (v != 0 ? (v < 0 ? -v : v) * 1e-15 : 1) : 1;

			for (int i = 0; !expo && i < dec; i++)
				unit /= 10;

			w = v + ((rnext(&g) & 1) ? unit : -unit);
		}
	}
	if (expo)
		buf_printf(out, "%.17g", w);
	else
		buf_printf(out, "%.*f", dec, w);
	return 0;
}

static int
isword(int c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* Any byte of a non-ASCII UTF-8 character counts as a letter: josé@mail.com, jöhn@exämple.de. */
static int
emailch(int c)
{
	return isalnum(c) || c >= 0x80 || (c && strchr("._%+-", c) != NULL);
}

/* An email address at in[i] (i at its '@'): its start and end, or 0. */
static int
find_email(const char *in, size_t n, size_t at, size_t *s, size_t *e)
{
	size_t a = at, b = at + 1, lastdot = 0;

	if (a > 1 && in[a - 1] == '"') {
		/* a quoted local part: "john smith"@example.com */
		for (a -= 2; a > 0 && in[a] != '"'; a--)
			;
		if (in[a] != '"')
			a = at;
	} else {
		while (a > 0 && emailch((unsigned char)in[a - 1]))
			a--;
	}
	while (b < n && (isalnum((unsigned char)in[b]) || (unsigned char)in[b] >= 0x80 || in[b] == '-' || in[b] == '.'))
		b++;
	while (b > at + 1 && in[b - 1] == '.')
		b--;
	for (size_t k = at + 1; k < b; k++)
		if (in[k] == '.')
			lastdot = k;
	if (a == at || !lastdot || b - lastdot < 3)
		return 0;
	*s = a, *e = b;
	return 1;
}

/* A run of digits with separators at in[i]: its end, and how many digits it holds. */
static size_t
digit_run(const char *in, size_t n, size_t i, int *nd)
{
	size_t j = i, last = i;

	*nd = 0;
	if (j < n && (in[j] == '+' || in[j] == '('))
		j++;
	while (j < n) {
		if (isdigit((unsigned char)in[j])) {
			(*nd)++;
			last = ++j;
		} else if (strchr(" -.()", in[j]) && j + 1 < n
		    && (isdigit((unsigned char)in[j + 1]) || (in[j] != ' ' && in[j + 1] == ' ') || in[j + 1] == '(')) {
			j++;
		} else {
			break;
		}
	}
	if (last < n && in[last] == ')')
		last++;
	return last;
}

static void
text_redaction(const struct maskrule *r, const char *in, size_t n, struct buf *out)
{
	const char *rep = r->replacement ? r->replacement : "[REDACTED]";
	size_t i = 0, flushed = 0;

	while (i < n) {
		unsigned char c = (unsigned char)in[i];
		size_t s, e;
		int nd;

		if (c == '@' && (r->patterns & 1) && find_email(in, n, i, &s, &e) && s >= flushed) {
			buf_add(out, in + flushed, s - flushed);
			buf_puts(out, rep);
			flushed = i = e;
			continue;
		}
		if ((isdigit(c) || c == '+' || c == '(') && (i == 0 || !isword((unsigned char)in[i - 1]))
		    && (e = digit_run(in, n, i, &nd)) > i && (e >= n || !isword((unsigned char)in[e]))) {
			int is_card = nd >= 13 && nd <= 19, is_phone = nd >= 7 && nd <= 15 && (nd >= 9 || c == '+' || c == '(');

			if ((is_card && (r->patterns & 4)) || (!is_card && is_phone && (r->patterns & 2))) {
				buf_add(out, in + flushed, i - flushed);
				buf_puts(out, rep);
				flushed = i = e;
				continue;
			}
			i = e > i ? e : i + 1;
			continue;
		}
		i++;
	}
	buf_add(out, in + flushed, n - flushed);
}

static int mask_json(const struct maskrule *r, const struct maskkey *k, const char *in, size_t n, struct buf *out,
    const char **why);
static int mask_draw(const struct maskrule *r, const struct maskkey *k, const char *in, size_t n, struct buf *out,
    const char **why);

int
mask_value(const struct maskrule *r, const struct maskkey *k, const char *in, size_t n, struct buf *out,
    const char **why)
{
	out->len = 0;
	reserve(out, 64);
	out->data[0] = 0;
	*why = NULL;
	switch (r->kind) {
	case MK_PHONE:
	case MK_NAME:
	case MK_FIRST_NAME:
	case MK_LAST_NAME:
	case MK_CARD:
	case MK_IP:
	case MK_ADDRESS: {
		/* a draw that gives the original back is drawn again under a tweaked key: still one
		   output per input, never the input (unless nothing of it can change) */
		int rc = mask_draw(r, k, in, n, out, why);

		if (rc == 0 && out->len == n && memcmp(out->data, in, n) == 0) {
			struct maskrule t = *r; /* copied only in this rare case: the struct is big */

			for (uint64_t round = 1; rc == 0 && round <= 8 && out->len == n && memcmp(out->data, in, n) == 0; round++) {
				t.k1 = r->k1 ^ (0x9e3779b97f4a7c15ULL * round);
				out->len = 0;
				rc = mask_draw(&t, k, in, n, out, why);
			}
		}
		return rc;
	}
	default:
		return mask_draw(r, k, in, n, out, why);
	}
}

/* mask_value, one draw. */
static int
mask_draw(const struct maskrule *r, const struct maskkey *k, const char *in, size_t n, struct buf *out,
    const char **why)
{
	uint64_t h[2];
	struct rng g;

	switch (r->kind) {
	case MK_EMAIL:
		return email(r, in, n, out, why) < 0 ? -1 : 0; /* its length limit is its own */
	case MK_PHONE:
		phone(r, in, n, out);
		break;
	case MK_NAME:
	case MK_FIRST_NAME:
	case MK_LAST_NAME:
		prf(r, in, n, h, &g);
		if (r->kind != MK_LAST_NAME)
			gen_name(out, &g, 0);
		if (r->kind == MK_NAME)
			buf_add(out, " ", 1);
		if (r->kind != MK_FIRST_NAME)
			gen_name(out, &g, 1);
		break;
	case MK_SALTED: /* hash with the salt as its seed */
	case MK_HASH: {
		unsigned char d[32];
		struct buf t = { 0 };

		buf_puts(&t, r->seed ? r->seed : "");
		buf_add(&t, "", 1);
		buf_add(&t, in, n);
		mask_hmac(k->key, t.data, t.len, d);
		buf_free(&t);
		if (r->prefix)
			buf_puts(out, r->prefix);
		t.len = 0;
		hex(&t, d, 32);
		buf_add(out, t.data, r->length > 0 && r->length < 64 ? (size_t)r->length : 64);
		buf_free(&t);
		if (r->max_length > 0) {
			out->len = u8off(out->data, out->len, r->max_length);
			out->data[out->len] = 0;
		}
		/* a hash is a join key: cut to each column's width, the same input would hash
		   differently in a wider column and the join would silently break */
		if (r->limit > 0 && u8count(out->data, out->len) > r->limit) {
			long pl = r->prefix ? u8count(r->prefix, strlen(r->prefix)) : 0;

			if (r->limit > pl)
				snprintf(msg, sizeof msg, "the hash has %ld characters, more than the column's limit of %ld: set length: %ld "
				    "or max_length: %ld in the rule (and the same in every rule whose column it joins)",
				    u8count(out->data, out->len), r->limit, r->limit - pl, r->limit);
			else
				snprintf(msg, sizeof msg, "the hash has %ld characters, more than the column's limit of %ld: set max_length: %ld "
				    "in the rule (and the same in every rule whose column it joins)",
				    u8count(out->data, out->len), r->limit, r->limit);
			return *why = msg, -1;
		}
		return 0; /* its length limit is its own, like email's */
	}
	case MK_REDACT:
		if (r->preserve_length) {
			long c = u8count(in, n);

			for (long i = 0; i < c; i++)
				buf_puts(out, r->mask_char ? r->mask_char : "*");
		} else {
			buf_puts(out, r->replacement ? r->replacement : "[REDACTED]");
		}
		break;
	case MK_PARTIAL:
		mask_partial(in, n, r->pfx, r->padding ? r->padding : "", r->sfx, out);
		break;
	case MK_PARTIAL_EMAIL:
		mask_partial_email(in, n, out);
		break;
	case MK_RETENTION: {
		const char *p = in, *e = in + n;
		long c = u8count(in, n), i = 0;
		/* a value no longer than what is kept would come back whole: all of it is masked */
		int all = c <= r->keep_start + r->keep_end;

		for (; p < e; i++) {
			size_t l = u8len(p, e);

			if ((!all && (i < r->keep_start || i >= c - r->keep_end))
			    || (r->keep_delims && l == 1 && !isalnum((unsigned char)*p)))
				buf_add(out, p, l);
			else
				buf_puts(out, r->mask_char ? r->mask_char : "*");
			p += l;
		}
		break;
	}
	case MK_CARD:
		card(r, in, n, out);
		break;
	case MK_IP:
		if (ip(r, in, n, out) < 0)
			return *why = "not an IP address", -1;
		break;
	case MK_DATE:
		if (date(r, in, n, out) < 0)
			return *why = "not a date (YYYY-MM-DD…)", -1;
		break;
	case MK_NOISE:
	case MK_DP:
		if (noise(r, in, n, out) < 0)
			return *why = "not a number", -1;
		break;
	case MK_ADDRESS: {
		static const char *const kind[] = { "Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place" };

		prf(r, in, n, h, &g);
		buf_printf(out, "%u ", (unsigned)(1 + rbelow(&g, 9999)));
		pick(out, &g, data_streets, NELEM(data_streets));
		buf_puts(out, " ");
		pick(out, &g, kind, NELEM(kind));
		buf_puts(out, ", ");
		pick(out, &g, data_cities, NELEM(data_cities));
		break;
	}
	case MK_TEXT:
		text_redaction(r, in, n, out);
		break;
	case MK_JSON:
		if (mask_json(r, k, in, n, out, why) < 0)
			return -1;
		return 0; /* cutting JSON short would make it invalid */
	case MK_NULL:
		return 1;
	case MK_PRESERVE:
		buf_add(out, in, n);
		break;
	}
	if (r->max_length > 0 || r->limit > 0) {
		long lim = !r->limit || (r->max_length && r->max_length < r->limit) ? r->max_length : r->limit;
		size_t cut = u8off(out->data, out->len, lim);

		out->len = cut;
		out->data[cut] = 0;
	}
	return 0;
}

/* The json strategy rewrites only the masked values in the text: everything else (numbers
   past 2^63, 1.0, 1e2, spacing, key order, duplicate keys) stays byte for byte as written. */
struct jscan {
	const struct maskrule *r;
	const struct maskkey *k;
	const char *p, *e;
	struct buf *out;
	const char *flushed; /* text up to here is written to out */
	char ***seg;         /* each path's segments */
	size_t *nseg;
	const char **why;
	int depth;
};

static void
jws(struct jscan *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
put_u8(struct buf *b, unsigned long c)
{
	char u[4];
	size_t n;

	if (c < 0x80)
		u[0] = (char)c, n = 1;
	else if (c < 0x800)
		u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 63)), n = 2;
	else if (c < 0x10000)
		u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 63)), u[2] = (char)(0x80 | (c & 63)), n = 3;
	else
		u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 63)), u[2] = (char)(0x80 | (c >> 6 & 63)),
		u[3] = (char)(0x80 | (c & 63)), n = 4;
	buf_add(b, u, n);
}

/* A JSON string at s->p: past it, its value decoded into dec (when not NULL); -1 if invalid. */
static int
jstring(struct jscan *s, struct buf *dec)
{
	if (s->p >= s->e || *s->p != '"')
		return -1;
	for (s->p++; s->p < s->e; s->p++) {
		unsigned char c = (unsigned char)*s->p;

		if (c == '"') {
			s->p++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			if (dec)
				buf_add(dec, s->p, 1);
			continue;
		}
		if (++s->p >= s->e)
			return -1;
		switch (*s->p) {
		case '"': case '\\': case '/':
			if (dec)
				buf_add(dec, s->p, 1);
			break;
		case 'b': case 'f': case 'n': case 'r': case 't':
			if (dec)
				buf_add(dec, &"\b\f\n\r\t"[strchr("bfnrt", *s->p) - "bfnrt"], 1);
			break;
		case 'u': {
			unsigned long u = 0;

			for (int i = 0; i < 4; i++) {
				int h = ++s->p < s->e ? hexval((unsigned char)*s->p) : -1;

				if (h < 0)
					return -1;
				u = u << 4 | (unsigned long)h;
			}
			/* a surrogate pair is one character; a lone surrogate stays as U+FFFD */
			if (u >= 0xD800 && u < 0xDC00 && s->e - s->p > 6 && s->p[1] == '\\' && s->p[2] == 'u') {
				unsigned long lo = 0;
				int ok = 1;

				for (int i = 3; i < 7; i++) {
					int h = hexval((unsigned char)s->p[i]);

					ok &= h >= 0;
					lo = lo << 4 | (unsigned long)(h < 0 ? 0 : h);
				}
				if (ok && lo >= 0xDC00 && lo < 0xE000) {
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
					s->p += 6;
				}
			}
			if (u >= 0xD800 && u < 0xE000)
				u = 0xFFFD;
			if (dec)
				put_u8(dec, u);
			break;
		}
		default:
			return -1;
		}
	}
	return -1;
}

static int
jnumber(struct jscan *s)
{
	const char *p = s->p, *e = s->e;

	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (p < e && isdigit((unsigned char)*p))
		while (p < e && isdigit((unsigned char)*p))
			p++;
	else
		return -1;
	if (p < e && *p == '.') {
		if (++p >= e || !isdigit((unsigned char)*p))
			return -1;
		while (p < e && isdigit((unsigned char)*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !isdigit((unsigned char)*p))
			return -1;
		while (p < e && isdigit((unsigned char)*p))
			p++;
	}
	s->p = p;
	return 0;
}

static void
jput_string(struct buf *b, const char *v, size_t n)
{
	buf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '"' || c == '\\')
			buf_add(b, "\\", 1), buf_add(b, v + i, 1);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_add(b, v + i, 1);
	}
	buf_add(b, "\"", 1);
}

static int jvalue(struct jscan *s, const unsigned char *alive, int level, int leaf);

/* The value at s->p is at a path's end: written masked (an array: each of its elements). */
static int
jleaf(struct jscan *s)
{
	const char *from = s->p;
	struct buf v = { 0 }, o = { 0 };
	int rc, str;

	jws(s);
	from = s->p;
	if (s->p < s->e && *s->p == '[')
		return jvalue(s, NULL, 0, 1);
	str = s->p < s->e && *s->p == '"';
	if (str ? jstring(s, &v) < 0 : jvalue(s, NULL, 0, 0) < 0) {
		buf_free(&v);
		return -1;
	}
	if (!str)
		buf_add(&v, from, (size_t)(s->p - from));
	if (!str && v.len == 4 && memcmp(v.data, "null", 4) == 0) {
		buf_free(&v);
		return 0; /* null stays null */
	}
	buf_add(&v, "", 0);
	rc = mask_value(s->r->sub, s->k, v.data ? v.data : "", v.len, &o, s->why);
	if (rc >= 0) {
		buf_add(s->out, s->flushed, (size_t)(from - s->flushed));
		s->flushed = s->p;
		if (rc == 1)
			buf_puts(s->out, "null");
		else if (!str && s->r->sub->kind == MK_NOISE && isdigit((unsigned char)from[from[0] == '-']))
			buf_add(s->out, o.data, o.len);
		else
			jput_string(s->out, o.data, o.len);
	}
	buf_free(&v);
	buf_free(&o);
	return rc < 0 ? -1 : 0;
}

/* One JSON value at s->p.  alive[i]: path i matched the keys above this value (level of them);
   leaf: inside an array at a path's end, each element is masked. */
static int
jvalue(struct jscan *s, const unsigned char *alive, int level, int leaf)
{
	int rc = 0;

	jws(s);
	if (s->p >= s->e)
		return -1;
	if (++s->depth > 1000)
		return *s->why = "JSON nested too deep", -1;
	if (*s->p == '{' || *s->p == '[') {
		int obj = *s->p == '{';

		s->p++;
		jws(s);
		if (s->p < s->e && *s->p == (obj ? '}' : ']')) {
			s->p++;
			s->depth--;
			return 0;
		}
		for (;;) {
			if (obj) {
				struct buf key = { 0 };
				unsigned char *next = NULL;
				int any = 0, end = 0;

				jws(s);
				if (jstring(s, alive ? &key : NULL) < 0) {
					buf_free(&key);
					return -1;
				}
				jws(s);
				if (s->p >= s->e || *s->p != ':') {
					buf_free(&key);
					return -1;
				}
				s->p++;
				if (alive) {
					next = xmalloc(s->r->npaths);
					for (size_t i = 0; i < s->r->npaths; i++) {
						const char *sg = (size_t)level < s->nseg[i] ? s->seg[i][level] : NULL;

						next[i] = alive[i] && sg && (strcmp(sg, "*") == 0
						    || (strlen(sg) == key.len && memcmp(sg, key.data ? key.data : "", key.len) == 0));
						any |= next[i];
						end |= next[i] && s->nseg[i] == (size_t)level + 1;
					}
				}
				buf_free(&key);
				rc = end ? jleaf(s) : jvalue(s, any ? next : NULL, level + 1, 0);
				free(next);
			} else {
				rc = leaf ? jleaf(s) : jvalue(s, alive, level, 0);
			}
			if (rc < 0)
				return -1;
			jws(s);
			if (s->p < s->e && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->e && *s->p == (obj ? '}' : ']')) {
				s->p++;
				break;
			}
			return -1;
		}
	} else if (*s->p == '"') {
		rc = jstring(s, NULL);
	} else if (*s->p == '-' || isdigit((unsigned char)*s->p)) {
		rc = jnumber(s);
	} else {
		static const char *const lit[] = { "true", "false", "null" };

		rc = -1;
		for (size_t i = 0; i < 3; i++)
			if ((size_t)(s->e - s->p) >= strlen(lit[i]) && memcmp(s->p, lit[i], strlen(lit[i])) == 0) {
				s->p += strlen(lit[i]);
				rc = 0;
				break;
			}
	}
	s->depth--;
	return rc;
}

static int
mask_json(const struct maskrule *r, const struct maskkey *k, const char *in, size_t n, struct buf *out,
    const char **why)
{
	struct jscan s = { r, k, in, in + n, out, in, NULL, NULL, why, 0 };
	unsigned char *alive = xmalloc(r->npaths + 1);
	char **copy = xmalloc((r->npaths + 1) * sizeof *copy);
	int rc;

	s.seg = xmalloc((r->npaths + 1) * sizeof *s.seg);
	s.nseg = xmalloc((r->npaths + 1) * sizeof *s.nseg);
	for (size_t i = 0; i < r->npaths; i++) {
		char *p = copy[i] = xstrdup(r->paths[i]);

		if (*p == '$')
			p += p[1] == '.' ? 2 : 1;
		s.seg[i] = xmalloc(64 * sizeof(char *));
		s.nseg[i] = 0;
		while (s.nseg[i] < 64) {
			char *dot = strchr(p, '.');

			s.seg[i][s.nseg[i]++] = p;
			if (!dot)
				break;
			*dot = 0;
			p = dot + 1;
		}
		alive[i] = 1;
	}
	rc = jvalue(&s, alive, 0, 0);
	jws(&s);
	if (rc == 0 && s.p != s.e)
		rc = -1;
	if (rc < 0 && !*why)
		*why = "not valid JSON";
	if (rc == 0)
		buf_add(out, s.flushed, (size_t)(s.e - s.flushed));
	for (size_t i = 0; i < r->npaths; i++) {
		free(copy[i]);
		free(s.seg[i]);
	}
	free(copy);
	free(s.seg);
	free(s.nseg);
	free(alive);
	return rc;
}

/* A whole value that is one card number: 13 to 19 digits with spaces or dashes, Luhn-valid. */
static int
is_card(const char *v, size_t n)
{
	int nd = 0, sum = 0;

	for (size_t i = n; i-- > 0;) {
		int d;

		if (v[i] == ' ' || v[i] == '-')
			continue;
		if (!isdigit((unsigned char)v[i]))
			return 0;
		d = v[i] - '0';
		if (nd++ & 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return nd >= 13 && nd <= 19 && sum % 10 == 0;
}

const char *
mask_detect(const char *v, size_t n)
{
	const char *at = memchr(v, '@', n);
	size_t s, e;
	int nd;

	if (at && find_email(v, n, (size_t)(at - v), &s, &e) && s == 0 && e == n)
		return "email";
	if (is_card(v, n))
		return "card_number";
	{
		char a[64];
		unsigned char x[16];
		const char *slash = memchr(v, '/', n);
		size_t an = slash ? (size_t)(slash - v) : n;

		if (an < sizeof a) {
			memcpy(a, v, an);
			a[an] = 0;
			if (inet_pton(AF_INET, a, x) == 1 || inet_pton(AF_INET6, a, x) == 1)
				return "ip_address";
		}
	}
	if (n && (isdigit((unsigned char)v[0]) || v[0] == '+' || v[0] == '(') && digit_run(v, n, 0, &nd) == n
	    && nd >= 7 && nd <= 15 && (nd >= 9 || v[0] == '+' || v[0] == '('))
		return "phone";
	return NULL;
}
