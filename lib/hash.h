#ifndef CONF_HASH_H
#define CONF_HASH_H

#include <stddef.h>

#define SHA256_HEX 65 /* 64 hex digits and a NUL */

struct sha256;

// hash.c (libcrypto EVP)
/* A new SHA-256 computation. */
struct sha256 *sha256_new(void);
/* Feed n bytes. */
void sha256_add(struct sha256 *h, const void *p, size_t n);
/* Finish, write the lowercase hex digest into hex, and free h. */
void sha256_end(struct sha256 *h, char hex[SHA256_HEX]);
/* The hex SHA-256 of n bytes. */
void sha256_hex(const void *p, size_t n, char hex[SHA256_HEX]);
/* The raw 32-byte SHA-256 of n bytes. */
void sha256_raw(const void *p, size_t n, unsigned char out[32]);

#endif
