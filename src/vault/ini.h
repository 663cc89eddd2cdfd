/* ini.h — a small INI reader for the credentials file of the Alibaba Cloud SDKs
 * (~/.alibabacloud/credentials), which holds secrets.
 *
 * Syntax: "[section]" lines, "key = value" (or "key: value") lines, comments on lines of
 * their own starting with ";" or "#", and after a value when the ";" or "#" follows a space
 * or tab; blank lines. Whitespace around names and values is dropped, CRLF line ends and
 * a UTF-8 byte order mark are accepted, a value in double or single quotes loses them
 * (it may then hold " #" or " ;"; a comment may follow the closing quote).
 *
 * No value is ever copied: a value is a pointer and a length into the caller's buffer, so
 * a buffer in guarded memory keeps the secrets there (the caller copies each value where
 * it belongs: a secret into a struct secret, other text with xstrndup). Names (sections,
 * keys) are copied; they are not secret.
 *
 * Problems are collected, never fatal: each has its line and a message that never quotes
 * the line's contents (it may hold a secret). A broken line is left out; a duplicate key
 * or section is reported and its section marked ambiguous (the first value is kept).
 *
 * Bounds: INI_LINE_MAX bytes per line, INI_SECTIONS_MAX sections, INI_PAIRS_MAX keys per
 * section, INI_NAME_MAX bytes per name, INI_PROBLEMS_MAX problems (then one more saying
 * the rest were left out). The caller bounds the buffer (a file of at most 1 MiB).
 */
#ifndef IOTDECK_VAULT_INI_H
#define IOTDECK_VAULT_INI_H

#include <stddef.h>

#define INI_LINE_MAX		8192
#define INI_SECTIONS_MAX	1000
#define INI_PAIRS_MAX		100
#define INI_NAME_MAX		128
#define INI_PROBLEMS_MAX	100

/* One "key = value" line. */
struct ini_pair {
	char		*key;		/* the key (owned) */
	const char	*value;		/* its value: borrowed from the buffer, NOT NUL-terminated */
	size_t		 len;		/* the value's length */
	int		 line;		/* its line, from 1 */
};

/* One [section] and its keys. */
struct ini_section {
	char		*name;		/* the name between the brackets (owned) */
	int		 line;		/* its line */
	int		 dup_line;	/* the line where the same name appears again, or 0 */
	int		 dup_keys;	/* how many keys appear more than once in it */
	struct ini_pair	*pairs;		/* its keys in file order (owned) */
	size_t		 npairs;
};

/* Something wrong on one line. */
struct ini_problem {
	int		 line;		/* the line, from 1 */
	char		*msg;		/* what is wrong (owned), without the line's text */
};

/* A parsed file. */
struct ini {
	struct ini_section	*sections;	/* in file order (owned) */
	size_t			 nsections;
	struct ini_problem	*problems;	/* in line order (owned) */
	size_t			 nproblems;
};

/* Parses buf[0..len) into *ini (zeroed first). The values point into buf, which must stay
 * alive and unchanged while they are used. Returns the number of problems. */
size_t ini_parse(struct ini *ini, const char *buf, size_t len);

/* The pair of section s with key (the first, if it appears more than once), or NULL. */
const struct ini_pair *ini_find(const struct ini_section *s, const char *key);

/* Frees what ini_parse made (not the buffer); the struct may be parsed into again. */
void ini_free(struct ini *ini);

#endif
