#include <openssl/evp.h>

#include "diag.h"
#include "hash.h"

struct sha256 {
	EVP_MD_CTX *ctx;
};

struct sha256 *
sha256_new(void)
{
	struct sha256 *h = xmalloc(sizeof *h);

	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		die(EX_FAIL, "cannot initialise SHA-256");
	return h;
}

void
sha256_add(struct sha256 *h, const void *p, size_t n)
{
	if (n && EVP_DigestUpdate(h->ctx, p, n) != 1)
		die(EX_FAIL, "SHA-256 update failed");
}

static void
tohex(const unsigned char *d, unsigned n, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

void
sha256_end(struct sha256 *h, char hex[SHA256_HEX])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (EVP_DigestFinal_ex(h->ctx, d, &n) != 1 || n != 32)
		die(EX_FAIL, "SHA-256 final failed");
	EVP_MD_CTX_free(h->ctx);
	free(h);
	tohex(d, n, hex);
}

void
sha256_raw(const void *p, size_t n, unsigned char out[32])
{
	unsigned len = 0;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 || len != 32)
		die(EX_FAIL, "SHA-256 failed");
}

void
sha256_hex(const void *p, size_t n, char hex[SHA256_HEX])
{
	unsigned char d[32];

	sha256_raw(p, n, d);
	tohex(d, 32, hex);
}
