#ifndef CONF_JSONL_H
#define CONF_JSONL_H

#include <jansson.h>

// jsonl.c: JSON Lines output, one record a line
/* A JSON string of s, or null when s is NULL; bytes that are not UTF-8 (a file name can hold
   any) are written \xHH, so the string is always valid. */
json_t *jsonl_str(const char *s);
/* Write o on stdout as one compact line (keys in the order built) and flush, keeping the reason of
   a write error for finish_stdout; o is released. A NULL o, a record that could not be built, is
   a bug: exit EX_FAIL rather than write a blank line. */
void jsonl_put(json_t *o);
/* Write s on stdout as a JSON string (null for NULL), byte for byte as jsonl_put writes jsonl_str(s): for a record
   written piecewise, without building it. */
void jsonl_write_str(const char *s);
/* End a record written piecewise: its newline, and the flush jsonl_put does. */
void jsonl_end(void);
/* With on, jsonl_put leaves the lines in stdout's buffer (written when it fills and at
   finish_stdout) rather than flushing each: for a tool whose output is read once it ends. */
void jsonl_buffered(int on);
/* Length of the valid UTF-8 character at p (1 to 4), 0 if it is not one: no overlong forms, no
   surrogates, nothing above U+10FFFF, as PostgreSQL's pg_utf8_islegal and jansson judge it. */
size_t utf8_seq(const unsigned char *p);
/* Whether s is valid UTF-8. */
int utf8_valid(const char *s);
/* Sort a jansson array in place with cmp, which compares two (json_t *const *). */
void jsonl_sort(json_t *a, int (*cmp)(const void *, const void *));
/* A new copy of s for a message: bytes that are not UTF-8 and control bytes written \xHH. */
char *esc_name(const char *s);

#endif
