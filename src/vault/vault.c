/* vault.c — the encrypted credential vault: its format, crypto and profiles.
 *
 * About 1,000 lines with this comment, and one job: the payload is the profiles, sealed,
 * so format, crypto and profiles stay together; the file on disk is vault_file.c's.
 *
 * DESIGN
 *
 * Threat model: iotdeck runs on shared jump hosts. AccessKeys must not sit in plain text
 * on disk, in argv, in the environment, in logs or in core dumps, and a crafted or damaged
 * vault file must be refused cheaply and never "repaired".
 *
 * File format, version 1 (integers little-endian, header = 80 bytes):
 *
 *	off len  field
 *	  0   8  magic "IOTDECKV"
 *	  8   2  format version (1)
 *	 10   1  KDF id (1 = Argon2id v1.3, crypto_pwhash_ALG_ARGON2ID13)
 *	 11   1  AEAD id (1 = XChaCha20-Poly1305-IETF)
 *	 12   4  KDF opslimit (passes)
 *	 16   8  KDF memlimit (bytes)
 *	 24  16  salt
 *	 40  24  nonce
 *	 64   8  ciphertext length (payload + 16-byte tag)
 *	 72   8  reserved, zero
 *	 80   -  ciphertext
 *
 * The key is crypto_pwhash(passphrase, salt, opslimit, memlimit, ARGON2ID13) — the
 * algorithm always named, never the library default. The payload is sealed with
 * crypto_aead_xchacha20poly1305_ietf with the whole 80-byte header as associated data, so
 * no header byte can be changed without the unlock failing. Every save draws a fresh salt
 * and nonce (randombytes) and uses the current KDF defaults, so old files are upgraded on
 * their next save.
 *
 * KDF parameters (VAULT_KDF_* in vault.h). Default, used by every save: Argon2id with 3
 * passes over 256 MiB (libsodium's "moderate" setting), about 0.5 s and 256 MiB on one
 * core of the 2-core test VM; KeePassXC and age spend about a second. Floor: 2 passes
 * over 32 MiB, above OWASP's minimum for Argon2id (2 passes over 19 MiB): the least a file
 * may ask for; below it the file is refused, never unlocked with a cheap key. The default
 * of older versions (3 passes over 64 MiB, RFC 9106's second recommended setting) is well
 * above the floor, so such files still open, and their next save -- any command that
 * changes the vault, 'vault passwd' included -- re-seals them at the current default
 * (reading never rewrites a file). Ceiling: 10 passes over 1 GiB (libsodium's
 * "sensitive" memory), about 6 s here: room for stronger defaults later, and a bound on
 * what a header can make us spend (it cannot ask for 64 GiB or minutes of CPU).
 *
 * Validation before the KDF (vault_header_parse): size cap, magic, version, algorithm ids,
 * reserved bytes, exact length (header + ciphertext length, so truncations and appended
 * bytes are caught without the KDF) and KDF parameters within [floor, ceiling]: a crafted
 * file can neither make the KDF weak nor make it exhaust memory. Only then is the user
 * asked for the passphrase. A failed authentication has one message, "wrong passphrase or
 * damaged file", and nothing is ever written after a failed unlock.
 *
 * The payload is JSON (cJSON), padded with spaces to a multiple of 256 bytes so the file
 * size says little about its contents:
 *	{"format":1,"default":"prod","profiles":[{"name":..,"access_key_id":..,
 *	 "access_key_secret":..,"region":..,"instance_id":..,"endpoint":..,"readonly":false}]}
 * Issue 14 added, per profile: "kind" ("access_key", absent in older files, "sts" or
 * "ram_role"), "security_token" and "expires" (epoch s) for sts, "role_arn",
 * "source_profile", "role_session_name", "duration_seconds" and "sts_endpoint" for
 * ram_role, and "signature" ("v1" or "v3") for any kind. A ram_role profile with a
 * source_profile has no access_key_id or access_key_secret; its source must be an
 * access_key profile of the same vault (checked on every unlock, kept true by put and
 * remove). The security token is guarded exactly like the AccessKey secret.
 * Unknown keys are ignored (a later version may add fields).
 *
 * Memory: the passphrase, the derived key, the plaintext, every AccessKey secret and every
 * security token live in sodium_malloc'd memory (struct secret, or a raw guarded buffer
 * for the plaintext), PROT_NONE while idle and wiped when freed. cJSON copies strings into the ordinary heap:
 * when printing, the secrets are handed to cJSON by reference (cJSON_CreateStringReference)
 * and printed into a guarded buffer (cJSON_PrintPreallocated); when parsing, every string of
 * the tree is zeroed before cJSON_Delete. The passphrase is kept (guarded) only by a
 * VAULT_WRITE vault, which needs it to derive a new key for each save. A passphrase is at
 * most VAULT_PASSPHRASE_MAX bytes wherever it is read (vault.h); a longer one is refused,
 * never truncated.
 *
 * Storage (vault_file.c): the directory is opened once and checked, writers hold a lock,
 * and a save replaces the file atomically and durably, keeping the previous version as
 * "<name>.bak"; a crash at any point leaves the old or the new vault in place.
 *
 * Tests build this file (and vault_file.c) with -DIOTDECK_VAULT_TEST_KDF, which lowers the KDF floor and
 * defaults (so tests are fast) and compiles in the save hooks; nothing at run time can
 * lower the parameters of a normal build. The tests of the real binary (integration, TUI)
 * pay the default for each save and each unlock of what it saved; where they only need
 * to unlock, they use the committed fixtures in tests/fixtures/vault: v1.vault at the
 * old default, floor.vault at exactly the floor (which is why the floor must stay a
 * sensible minimum on its own, not a test convenience).
 */
#include "vault/vault.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "core/sorted.h"
#include "core/xmalloc.h"
#include "vault/vault_file.h"

#define VAULT_VERSION		1
#define VAULT_KDF_ARGON2ID13	1
#define VAULT_AEAD_XCHACHA	1
#define VAULT_KEY_BYTES		crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define VAULT_TAG_BYTES		crypto_aead_xchacha20poly1305_ietf_ABYTES
#define VAULT_PAD		256
#define VAULT_MSG_AUTH		"wrong passphrase or damaged file"

static const unsigned char vault_magic[8] = { 'I', 'O', 'T', 'D', 'E', 'C', 'K', 'V' };

/* See "KDF parameters" in the DESIGN comment; a test build has lower ones. */
static const struct vault_kdf_limits kdf_limits = {
#ifdef IOTDECK_VAULT_TEST_KDF
	.ops_min = 1, .ops_default = 1, .ops_max = 10,
	.mem_min = 64 * 1024, .mem_default = 64 * 1024, .mem_max = 256 * 1024 * 1024
#else
	.ops_min = VAULT_KDF_OPS_MIN, .ops_default = VAULT_KDF_OPS_DEFAULT,
	.ops_max = VAULT_KDF_OPS_MAX, .mem_min = VAULT_KDF_MEM_MIN,
	.mem_default = VAULT_KDF_MEM_DEFAULT, .mem_max = VAULT_KDF_MEM_MAX
#endif
};

struct vault {
	struct vault_file	  file;		/* the file, its directory and lock (vault_file.h) */
	enum vault_mode		  mode;		/* as opened */
	uint32_t		  kdf_ops;	/* its KDF passes */
	uint64_t		  kdf_mem;	/* its KDF memory, bytes */
	struct secret		 *pass;		/* passphrase, VAULT_WRITE only; else NULL */
	struct vault_profile	**prof;		/* profiles sorted by name; owned */
	size_t			  nprof;	/* number of profiles */
	char			 *def;		/* default profile name, or NULL */
};

/* ------------------------------------------------------------------------------------ */
/* Small helpers. */


/* The refusal of a passphrase longer than VAULT_PASSPHRASE_MAX (the readers refuse it
 * first; this is for any other vault_ask_fn). */
static int
pass_too_long(char **cause)
{
	return vault_fail(cause, VAULT_ERR, "passphrase longer than %d bytes, the most "
	    "iotdeck accepts: refused, not truncated", VAULT_PASSPHRASE_MAX);
}

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}


const struct vault_kdf_limits *
vault_kdf_limits(void)
{
	return &kdf_limits;
}

/* ------------------------------------------------------------------------------------ */
/* Process hardening and paths. */

int
vault_harden_process(char **cause)
{
	struct rlimit rl = { 0, 0 };

	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		return vault_fail(cause, VAULT_ERR, "cannot disable core dumps: %s",
		    strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return vault_fail(cause, VAULT_ERR, "cannot mark the process non-dumpable: %s",
		    strerror(errno));
	return VAULT_OK;
}


/* ------------------------------------------------------------------------------------ */
/* Header, KDF and AEAD. */

int
vault_header_parse(const unsigned char *buf, size_t len, struct vault_header *h,
    char **cause)
{
	size_t i;

	memset(h, 0, sizeof *h);
	if (len > VAULT_FILE_MAX)
		return vault_fail(cause, VAULT_FORMAT, "file too large for a vault (%zu bytes; "
		    "the limit is %d)", len, VAULT_FILE_MAX);
	if (memcmp(buf, vault_magic, len < sizeof vault_magic ? len : sizeof vault_magic) != 0)
		return vault_fail(cause, VAULT_FORMAT, "not an iotdeck vault");
	if (len < 10)
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	h->version = (uint16_t)get_le(buf + 8, 2);
	if (h->version != VAULT_VERSION)
		return vault_fail(cause, VAULT_FORMAT, "unsupported vault format version %u "
		    "(this iotdeck reads version %d; a newer iotdeck wrote it?)",
		    (unsigned)h->version, VAULT_VERSION);
	if (len < VAULT_HEADER_SIZE)
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	h->kdf = buf[10];
	h->aead = buf[11];
	h->opslimit = (uint32_t)get_le(buf + 12, 4);
	h->memlimit = get_le(buf + 16, 8);
	memcpy(h->salt, buf + 24, sizeof h->salt);
	memcpy(h->nonce, buf + 40, sizeof h->nonce);
	h->ct_len = get_le(buf + 64, 8);
	if (h->kdf != VAULT_KDF_ARGON2ID13)
		return vault_fail(cause, VAULT_FORMAT, "unknown key derivation algorithm %u",
		    (unsigned)h->kdf);
	if (h->aead != VAULT_AEAD_XCHACHA)
		return vault_fail(cause, VAULT_FORMAT, "unknown encryption algorithm %u",
		    (unsigned)h->aead);
	for (i = 72; i < VAULT_HEADER_SIZE; i++)
		if (buf[i] != 0)
			return vault_fail(cause, VAULT_FORMAT, "non-zero reserved header field "
			    "(damaged, or written by a newer iotdeck)");
	if (h->opslimit < kdf_limits.ops_min || h->opslimit > kdf_limits.ops_max ||
	    h->memlimit < kdf_limits.mem_min || h->memlimit > kdf_limits.mem_max)
		return vault_fail(cause, VAULT_FORMAT, "refusing key derivation parameters "
		    "outside the allowed range (passes %lu, memory %llu KiB; allowed %lu-%lu "
		    "passes, %llu-%llu KiB): the file was damaged or tampered with",
		    (unsigned long)h->opslimit, (unsigned long long)(h->memlimit / 1024),
		    (unsigned long)kdf_limits.ops_min, (unsigned long)kdf_limits.ops_max,
		    (unsigned long long)(kdf_limits.mem_min / 1024),
		    (unsigned long long)(kdf_limits.mem_max / 1024));
	if (h->ct_len < VAULT_TAG_BYTES || h->ct_len != len - VAULT_HEADER_SIZE)
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	return VAULT_OK;
}

static void
header_encode(unsigned char *p, const struct vault_header *h)
{
	memset(p, 0, VAULT_HEADER_SIZE);
	memcpy(p, vault_magic, sizeof vault_magic);
	put_le(p + 8, h->version, 2);
	p[10] = h->kdf;
	p[11] = h->aead;
	put_le(p + 12, h->opslimit, 4);
	put_le(p + 16, h->memlimit, 8);
	memcpy(p + 24, h->salt, sizeof h->salt);
	memcpy(p + 40, h->nonce, sizeof h->nonce);
	put_le(p + 64, h->ct_len, 8);
}

/* Derives the key into a sodium_malloc'd buffer (caller sodium_free's it). */
static int
derive_key(const char *pass, size_t passlen, const struct vault_header *h,
    unsigned char **keyp, char **cause)
{
	unsigned char *key;

	*keyp = NULL;
	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	key = sodium_malloc(VAULT_KEY_BYTES);
	if (key == NULL)
		return vault_fail(cause, VAULT_ERR, "out of guarded memory");
	if (crypto_pwhash(key, VAULT_KEY_BYTES, pass, passlen, h->salt, h->opslimit,
	    (size_t)h->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(key);
		return vault_fail(cause, VAULT_ERR, "key derivation failed: not enough memory "
		    "for Argon2id (%llu MiB)", (unsigned long long)(h->memlimit >> 20));
	}
	*keyp = key;
	return VAULT_OK;
}

/* Seals pt[0..ptlen) under pass with h's KDF parameters, salt and nonce. */
static int
seal(const char *pass, size_t passlen, struct vault_header *h, const char *pt,
    size_t ptlen, unsigned char **outp, size_t *outlen, char **cause)
{
	unsigned char *key, *out;
	unsigned long long clen;
	int status;

	*outp = NULL;
	h->version = VAULT_VERSION;
	h->kdf = VAULT_KDF_ARGON2ID13;
	h->aead = VAULT_AEAD_XCHACHA;
	h->ct_len = ptlen + VAULT_TAG_BYTES;
	if (VAULT_HEADER_SIZE + h->ct_len > VAULT_FILE_MAX)
		return vault_fail(cause, VAULT_ERR, "too many profiles: the vault would exceed "
		    "%d bytes", VAULT_FILE_MAX);
	if ((status = derive_key(pass, passlen, h, &key, cause)) != VAULT_OK)
		return status;
	out = xmalloc(VAULT_HEADER_SIZE + h->ct_len);
	header_encode(out, h);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + VAULT_HEADER_SIZE, &clen,
	    (const unsigned char *)pt, ptlen, out, VAULT_HEADER_SIZE, NULL, h->nonce, key);
	sodium_free(key);
	*outp = out;
	*outlen = VAULT_HEADER_SIZE + (size_t)clen;
	return VAULT_OK;
}

/* Opens the ciphertext of a parsed image into a sodium_malloc'd, NUL-terminated,
 * read-only buffer (caller sodium_free's it). */
static int
unseal(struct secret *pass, const struct vault_header *h, const unsigned char *buf,
    char **ptp, size_t *ptlen, char **cause)
{
	unsigned char *key = NULL;
	unsigned long long mlen;
	size_t cap = (size_t)h->ct_len - VAULT_TAG_BYTES;
	char *pt;
	int status, bad;

	*ptp = NULL;
	status = derive_key(secret_reveal(pass), secret_len(pass), h, &key, cause);
	secret_hide(pass);
	if (status != VAULT_OK)
		return status;
	pt = sodium_malloc(cap + 1);
	if (pt == NULL) {
		sodium_free(key);
		return vault_fail(cause, VAULT_ERR, "out of guarded memory");
	}
	bad = crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)pt, &mlen, NULL,
	    buf + VAULT_HEADER_SIZE, h->ct_len, buf, VAULT_HEADER_SIZE, h->nonce, key);
	sodium_free(key);
	if (bad != 0) {
		sodium_free(pt);
		return vault_fail(cause, VAULT_AUTH, VAULT_MSG_AUTH);
	}
	pt[mlen] = '\0';
	sodium_mprotect_readonly(pt);
	*ptp = pt;
	*ptlen = (size_t)mlen;
	return VAULT_OK;
}

#ifdef IOTDECK_VAULT_TEST_KDF
int
vault_test_seal(const char *pass, size_t passlen, uint32_t opslimit, uint64_t memlimit,
    const unsigned char salt[16], const unsigned char nonce[24], const char *plaintext,
    size_t len, unsigned char **out, size_t *outlen, char **cause)
{
	struct vault_header h;

	memset(&h, 0, sizeof h);
	h.opslimit = opslimit;
	h.memlimit = memlimit;
	memcpy(h.salt, salt, sizeof h.salt);
	memcpy(h.nonce, nonce, sizeof h.nonce);
	return seal(pass, passlen, &h, plaintext, len, out, outlen, cause);
}
#endif

/* ------------------------------------------------------------------------------------ */
/* Profiles. */

int
vault_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Returns 1 when s is 1..max bytes of printable ASCII without spaces. */
static int
token_valid(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E)
			return 0;
	return 1;
}

/* Returns 1 when s is 1..max bytes of [A-Za-z0-9] and the bytes of extra. */
static int
chars_valid(const char *s, size_t min, size_t max, const char *extra)
{
	size_t i, n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != '\0' && strchr(extra, c) != NULL)))
			return 0;
	}
	return 1;
}

int
vault_role_arn_valid(const char *s)
{
	static const char pre[] = "acs:ram::";
	size_t digits = 0;

	if (strncmp(s, pre, sizeof pre - 1) != 0)
		return 0;
	s += sizeof pre - 1;
	while (s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (digits == 0 || digits > 32 || strncmp(s + digits, ":role/", 6) != 0)
		return 0;
	return chars_valid(s + digits + 6, 1, 64, "._-");
}

int
vault_session_name_valid(const char *s)
{
	return chars_valid(s, 2, 64, ".@_-");
}

const char *
vault_kind_name(enum vault_kind kind)
{
	switch (kind) {
	case VAULT_KIND_STS:
		return "sts";
	case VAULT_KIND_RAM_ROLE:
		return "ram_role";
	case VAULT_KIND_ACCESS_KEY:
		break;
	}
	return "access_key";
}

/* The text fields of a profile, in payload order: one table for copying, freeing, checking,
 * reading and writing them (the secrets, the kind and the numbers are handled apart). */
static const struct profile_field {
	const char	*key;		/* its key in the payload */
	size_t		 offset;	/* its char * in struct vault_profile */
	size_t		 max;		/* longest value (printable ASCII, no spaces) */
	int		(*valid)(const char *); /* or this check instead, when not NULL */
	int		 role;		/* only a ram_role profile may have it */
	const char	*invalid;	/* what is wrong with a bad one, after "profile NAME: " */
} profile_fields[] = {
	{ .key = "name", .offset = offsetof(struct vault_profile, name),
	  .valid = vault_name_valid,
	  .invalid = "invalid profile name: use 1 to 64 of A-Z a-z 0-9 . _ -" },
	{ .key = "access_key_id", .offset = offsetof(struct vault_profile, access_key_id),
	  .max = 128, .invalid = "the AccessKey ID must be 1 to 128 printable "
	  "characters without spaces" },
	{ .key = "region", .offset = offsetof(struct vault_profile, region), .max = 64,
	  .invalid = "invalid region id" },
	{ .key = "instance_id", .offset = offsetof(struct vault_profile, instance_id),
	  .max = 128, .invalid = "invalid instance id" },
	{ .key = "endpoint", .offset = offsetof(struct vault_profile, endpoint), .max = 512,
	  .invalid = "invalid endpoint" },
	{ .key = "role_arn", .offset = offsetof(struct vault_profile, role_arn),
	  .valid = vault_role_arn_valid, .role = 1,
	  .invalid = "the role ARN must look like acs:ram::ACCOUNT:role/NAME (ACCOUNT "
	  "digits, NAME 1 to 64 of A-Z a-z 0-9 . _ -)" },
	{ .key = "source_profile", .offset = offsetof(struct vault_profile, source_profile),
	  .valid = vault_name_valid, .role = 1,
	  .invalid = "the source profile is not a valid profile name" },
	{ .key = "role_session_name", .offset = offsetof(struct vault_profile,
	  role_session_name), .valid = vault_session_name_valid, .role = 1,
	  .invalid = "the role session name must be 2 to 64 of A-Z a-z 0-9 . @ _ -" },
	{ .key = "sts_endpoint", .offset = offsetof(struct vault_profile, sts_endpoint),
	  .max = 512, .role = 1, .invalid = "invalid STS endpoint" },
};
#define NFIELDS (sizeof profile_fields / sizeof profile_fields[0])

/* The field f of profile p. */
static char **
field_of(const struct vault_profile *p, const struct profile_field *f)
{
	return (char **)((char *)(uintptr_t)p + f->offset);
}

/* Checks a guarded value: 1..max printable bytes without spaces. */
static int
secret_valid(struct secret *s, size_t max)
{
	int ok = token_valid(secret_reveal(s), secret_len(s), max);

	secret_hide(s);
	return ok;
}

int
vault_profile_check(const struct vault_profile *p, char **cause)
{
	const char *name = p->name != NULL ? p->name : "", *val;
	const struct profile_field *f;
	int has_id, has_secret;
	size_t i;

	if (!vault_name_valid(name))
		return vault_fail(cause, VAULT_ERR, "invalid profile name: use 1 to 64 of "
		    "A-Z a-z 0-9 . _ -");
	if (p->kind != VAULT_KIND_ACCESS_KEY && p->kind != VAULT_KIND_STS &&
	    p->kind != VAULT_KIND_RAM_ROLE)
		return vault_fail(cause, VAULT_ERR, "profile %s: unknown kind", name);
	for (i = 1; i < NFIELDS; i++) {
		f = &profile_fields[i];
		if ((val = *field_of(p, f)) == NULL)
			continue;
		if (f->role && p->kind != VAULT_KIND_RAM_ROLE)
			return vault_fail(cause, VAULT_ERR, "profile %s: %s is only for ram_role "
			    "profiles, not %s", name, f->key, vault_kind_name(p->kind));
		if (f->valid != NULL ? !f->valid(val) : !token_valid(val, strlen(val), f->max))
			return vault_fail(cause, VAULT_ERR, "profile %s: %s", name, f->invalid);
	}
	has_id = p->access_key_id != NULL;
	has_secret = p->access_key_secret != NULL;
	if (has_secret && !secret_valid(p->access_key_secret, 256))
		return vault_fail(cause, VAULT_ERR, "profile %s: the AccessKey secret must be 1 "
		    "to 256 printable characters without spaces", name);
	if (p->security_token != NULL && p->kind != VAULT_KIND_STS)
		return vault_fail(cause, VAULT_ERR, "profile %s: a security token is only for "
		    "sts profiles, not %s", name, vault_kind_name(p->kind));
	if (p->expires != 0 && p->kind != VAULT_KIND_STS)
		return vault_fail(cause, VAULT_ERR, "profile %s: an expiry is only for sts "
		    "profiles", name);
	if (p->expires < 0)
		return vault_fail(cause, VAULT_ERR, "profile %s: invalid expiry time", name);
	if (p->duration_s != 0 && p->kind != VAULT_KIND_RAM_ROLE)
		return vault_fail(cause, VAULT_ERR, "profile %s: a duration is only for ram_role "
		    "profiles", name);
	if (p->duration_s != 0 && (p->duration_s < VAULT_DURATION_MIN ||
	    p->duration_s > VAULT_DURATION_MAX))
		return vault_fail(cause, VAULT_ERR, "profile %s: the role duration must be %d to "
		    "%d seconds", name, VAULT_DURATION_MIN, VAULT_DURATION_MAX);
	if (p->signature != 0 && p->signature != 1 && p->signature != 3)
		return vault_fail(cause, VAULT_ERR, "profile %s: the signature version must be "
		    "v1 or v3", name);
	switch (p->kind) {
	case VAULT_KIND_STS:
		if (p->security_token == NULL)
			return vault_fail(cause, VAULT_ERR, "profile %s: an sts profile needs a "
			    "security token", name);
		if (!secret_valid(p->security_token, VAULT_TOKEN_MAX))
			return vault_fail(cause, VAULT_ERR, "profile %s: the security token must "
			    "be 1 to %d printable characters without spaces", name,
			    VAULT_TOKEN_MAX);
		/* FALLTHROUGH */
	case VAULT_KIND_ACCESS_KEY:
		if (!has_id)
			return vault_fail(cause, VAULT_ERR, "profile %s: %s", name,
			    profile_fields[1].invalid);
		if (!has_secret)
			return vault_fail(cause, VAULT_ERR, "profile %s: no AccessKey secret",
			    name);
		break;
	case VAULT_KIND_RAM_ROLE:
		if (p->role_arn == NULL)
			return vault_fail(cause, VAULT_ERR, "profile %s: a ram_role profile needs "
			    "a role ARN", name);
		if (p->source_profile != NULL) {
			if (has_id || has_secret)
				return vault_fail(cause, VAULT_ERR, "profile %s: a ram_role profile "
				    "uses either its source profile's AccessKey or its own, not "
				    "both", name);
			if (strcmp(p->source_profile, name) == 0)
				return vault_fail(cause, VAULT_ERR, "profile %s: a profile cannot "
				    "be its own source profile", name);
		} else if (!has_id || !has_secret)
			return vault_fail(cause, VAULT_ERR, "profile %s: a ram_role profile needs "
			    "an AccessKey ID and secret, or a source profile", name);
		break;
	}
	return VAULT_OK;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct vault_profile *
vault_profile_dup(const struct vault_profile *p)
{
	struct vault_profile *d = xcalloc(1, sizeof *d);
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		*field_of(d, &profile_fields[i]) = dup_or_null(*field_of(p, &profile_fields[i]));
	d->access_key_secret = secret_dup(p->access_key_secret);
	d->security_token = secret_dup(p->security_token);
	d->readonly = p->readonly ? 1 : 0;
	d->kind = p->kind;
	d->expires = p->expires;
	d->duration_s = p->duration_s;
	d->signature = p->signature;
	return d;
}

void
vault_profile_free(struct vault_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < NFIELDS; i++)
		free(*field_of(p, &profile_fields[i]));
	secret_free(p->access_key_secret);
	secret_free(p->security_token);
	free(p);
}

size_t
vault_profile_count(const struct vault *v)
{
	return v->nprof;
}

const struct vault_profile *
vault_profile_at(const struct vault *v, size_t i)
{
	return i < v->nprof ? v->prof[i] : NULL;
}

static int
name_cmp(const void *name, const void *element)
{
	return strcmp(name, (*(struct vault_profile *const *)element)->name);
}

/* Index of name, or of where it would go (with *found 0). */
static size_t
profile_index(const struct vault *v, const char *name, int *found)
{
	return sorted_find(name, v->prof, v->nprof, sizeof *v->prof, name_cmp, found);
}

const struct vault_profile *
vault_profile_find(const struct vault *v, const char *name)
{
	int found;
	size_t i = profile_index(v, name, &found);

	return found ? v->prof[i] : NULL;
}

const char *
vault_default_name(const struct vault *v)
{
	return v->def;
}

/* Inserts p (taken over) or replaces the profile of the same name. */
static int
profile_insert(struct vault *v, struct vault_profile *p, int replace, char **cause)
{
	int found;
	size_t i = profile_index(v, p->name, &found);

	if (found) {
		if (!replace) {
			int status = vault_fail(cause, VAULT_ERR, "profile %s already exists "
			    "(remove it first)", p->name);
			vault_profile_free(p);
			return status;
		}
		vault_profile_free(v->prof[i]);
		v->prof[i] = p;
		return VAULT_OK;
	}
	v->prof = xreallocarray(v->prof, v->nprof + 1, sizeof *v->prof);
	memmove(v->prof + i + 1, v->prof + i, (v->nprof - i) * sizeof *v->prof);
	v->prof[i] = p;
	v->nprof++;
	if (v->def == NULL)
		v->def = xstrdup(p->name);
	return VAULT_OK;
}

/* The first ram_role profile of v whose source_profile is name, or NULL. */
static const struct vault_profile *
source_user(const struct vault *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nprof; i++)
		if (v->prof[i]->kind == VAULT_KIND_RAM_ROLE && v->prof[i]->source_profile != NULL &&
		    strcmp(v->prof[i]->source_profile, name) == 0)
			return v->prof[i];
	return NULL;
}

/* Checks that p's source_profile, if any, is an access_key profile of v. */
static int
source_check(const struct vault *v, const struct vault_profile *p, char **cause)
{
	const struct vault_profile *src;

	if (p->kind != VAULT_KIND_RAM_ROLE || p->source_profile == NULL)
		return VAULT_OK;
	if ((src = vault_profile_find(v, p->source_profile)) == NULL)
		return vault_fail(cause, VAULT_ERR, "profile %s: its source profile %s is not in "
		    "the vault", p->name, p->source_profile);
	if (src->kind != VAULT_KIND_ACCESS_KEY)
		return vault_fail(cause, VAULT_ERR, "profile %s: its source profile %s is an %s "
		    "profile; it must be an access_key profile", p->name, p->source_profile,
		    vault_kind_name(src->kind));
	return VAULT_OK;
}

int
vault_profile_put(struct vault *v, const struct vault_profile *p, int replace, char **cause)
{
	const struct vault_profile *user;
	int status;

	if ((status = vault_profile_check(p, cause)) != VAULT_OK ||
	    (status = source_check(v, p, cause)) != VAULT_OK)
		return status;
	if (replace && p->kind != VAULT_KIND_ACCESS_KEY &&
	    (user = source_user(v, p->name)) != NULL)
		return vault_fail(cause, VAULT_ERR, "profile %s is the source profile of %s and "
		    "must stay an access_key profile", p->name, user->name);
	return profile_insert(v, vault_profile_dup(p), replace, cause);
}

int
vault_profile_remove(struct vault *v, const char *name, char **cause)
{
	const struct vault_profile *user;
	int found;
	size_t i = profile_index(v, name, &found);

	if (!found)
		return vault_fail(cause, VAULT_NOENT, "no profile named %s in the vault", name);
	if ((user = source_user(v, name)) != NULL)
		return vault_fail(cause, VAULT_ERR, "profile %s is the source profile of %s "
		    "(remove %s first)", name, user->name, user->name);
	vault_profile_free(v->prof[i]);
	memmove(v->prof + i, v->prof + i + 1, (v->nprof - i - 1) * sizeof *v->prof);
	v->nprof--;
	if (v->def != NULL && strcmp(v->def, name) == 0) {
		free(v->def);
		v->def = NULL;
	}
	return VAULT_OK;
}

int
vault_set_default(struct vault *v, const char *name, char **cause)
{
	if (vault_profile_find(v, name) == NULL)
		return vault_fail(cause, VAULT_NOENT, "no profile named %s in the vault", name);
	xstrset(&v->def, name);	/* name may be v->def itself */
	return VAULT_OK;
}

int
vault_set_passphrase(struct vault *v, struct secret *pass, char **cause)
{
	if (v->mode != VAULT_WRITE) {
		secret_free(pass);
		return vault_fail(cause, VAULT_ERR, "the vault is open read-only");
	}
	if (secret_len(pass) > VAULT_PASSPHRASE_MAX) {
		secret_free(pass);
		return pass_too_long(cause);
	}
	secret_free(v->pass);
	v->pass = pass;
	return VAULT_OK;
}

static void
profiles_clear(struct vault *v)
{
	size_t i;

	for (i = 0; i < v->nprof; i++)
		vault_profile_free(v->prof[i]);
	free(v->prof);
	v->prof = NULL;
	v->nprof = 0;
	free(v->def);
	v->def = NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Payload (JSON). */

/* Returns the string member key of o, NULL if absent or null; *bad set if not a string. */
static const char *
json_str(const cJSON *o, const char *key, int *bad)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (j == NULL || cJSON_IsNull(j))
		return NULL;
	if (!cJSON_IsString(j) || j->valuestring == NULL) {
		*bad = 1;
		return NULL;
	}
	return j->valuestring;
}

/* Returns the integer member key of o in [min, max], 0 if absent or null; *bad set if it is
 * not a whole number in that range. */
static int64_t
json_int(const cJSON *o, const char *key, int64_t min, int64_t max, int *bad)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	if (j == NULL || cJSON_IsNull(j))
		return 0;
	d = j->valuedouble;
	if (!cJSON_IsNumber(j) || !(d >= (double)min && d <= (double)max) ||
	    d != (double)(int64_t)d) {
		*bad = 1;
		return 0;
	}
	return (int64_t)d;
}

/* A guarded copy of the string member key of o (NULL if absent); *bad set if it is not a
 * string or longer than max. */
static struct secret *
json_secret(const cJSON *o, const char *key, size_t max, int *bad)
{
	const char *s = json_str(o, key, bad);
	size_t n;

	if (s == NULL)
		return NULL;
	if ((n = strnlen(s, max + 1)) > max) {
		*bad = 1;
		return NULL;
	}
	return secret_from(s, n);
}

/* Reads the kind and signature of item into p; VAULT_OK or VAULT_FORMAT. */
static int
profile_enums(const cJSON *item, size_t i, struct vault_profile *p, char **cause)
{
	const char *s;
	int bad = 0;

	s = json_str(item, "kind", &bad);
	if (bad)
		return vault_fail(cause, VAULT_FORMAT, "vault profile %zu has a field of the "
		    "wrong type", i);
	if (s == NULL || strcmp(s, "access_key") == 0)
		p->kind = VAULT_KIND_ACCESS_KEY;
	else if (strcmp(s, "sts") == 0)
		p->kind = VAULT_KIND_STS;
	else if (strcmp(s, "ram_role") == 0)
		p->kind = VAULT_KIND_RAM_ROLE;
	else
		return vault_fail(cause, VAULT_FORMAT, "vault profile %zu is of an unknown kind "
		    "(written by a newer iotdeck?)", i);
	s = json_str(item, "signature", &bad);
	if (bad)
		return vault_fail(cause, VAULT_FORMAT, "vault profile %zu has a field of the "
		    "wrong type", i);
	if (s == NULL)
		p->signature = 0;
	else if (strcmp(s, "v1") == 0)
		p->signature = 1;
	else if (strcmp(s, "v3") == 0)
		p->signature = 3;
	else
		return vault_fail(cause, VAULT_FORMAT, "vault profile %zu has an unknown "
		    "signature version", i);
	return VAULT_OK;
}

int
vault_payload_parse(struct vault *v, const char *json, size_t len, char **cause)
{
	const char *end = NULL, *s;
	const cJSON *arr, *item, *j;
	cJSON *root;
	int status = VAULT_OK, bad = 0;
	size_t i, k;

	profiles_clear(v);
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root == NULL)
		return vault_fail(cause, VAULT_FORMAT, "the vault's contents are not valid JSON");
	for (s = end; s != NULL && s < json + len; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
			status = vault_fail(cause, VAULT_FORMAT, "the vault's contents have "
			    "trailing data");
			goto out;
		}
	if (!cJSON_IsObject(root)) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's contents are not an object");
		goto out;
	}
	j = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsNumber(j) || j->valuedouble != 1) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's contents have an unknown "
		    "format");
		goto out;
	}
	arr = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (arr != NULL && !cJSON_IsArray(arr)) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's profiles are not a list");
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(item, arr) {
		struct vault_profile *p;

		i++;
		if (!cJSON_IsObject(item)) {
			status = vault_fail(cause, VAULT_FORMAT, "vault profile %zu is not an "
			    "object", i);
			goto out;
		}
		p = xcalloc(1, sizeof *p);
		for (k = 0; k < NFIELDS; k++)
			*field_of(p, &profile_fields[k]) =
			    dup_or_null(json_str(item, profile_fields[k].key, &bad));
		p->access_key_secret = json_secret(item, "access_key_secret", SECRET_MAX, &bad);
		p->security_token = json_secret(item, "security_token", VAULT_TOKEN_MAX, &bad);
		p->expires = json_int(item, "expires", 0, INT64_C(1) << 40, &bad);
		p->duration_s = (int)json_int(item, "duration_seconds", 0, INT32_MAX, &bad);
		j = cJSON_GetObjectItemCaseSensitive(item, "readonly");
		if (j != NULL && !cJSON_IsBool(j))
			bad = 1;
		p->readonly = cJSON_IsTrue(j);
		if (bad) {
			vault_profile_free(p);
			status = vault_fail(cause, VAULT_FORMAT, "vault profile %zu has a field of "
			    "the wrong type", i);
			goto out;
		}
		if (profile_enums(item, i, p, cause) != VAULT_OK ||
		    vault_profile_check(p, cause) != VAULT_OK) {
			vault_profile_free(p);
			status = VAULT_FORMAT;
			goto out;
		}
		if (profile_insert(v, p, 0, cause) != VAULT_OK) {	/* frees p */
			status = VAULT_FORMAT;
			goto out;
		}
	}
	for (k = 0; k < v->nprof; k++)
		if (source_check(v, v->prof[k], cause) != VAULT_OK) {
			status = VAULT_FORMAT;
			goto out;
		}
	/* profile_insert made the first profile the default; the file decides. */
	free(v->def);
	v->def = NULL;
	s = json_str(root, "default", &bad);
	if (bad || (s != NULL && vault_profile_find(v, s) == NULL)) {
		status = vault_fail(cause, VAULT_FORMAT, "the vault's default profile does not "
		    "exist");
		goto out;
	}
	v->def = dup_or_null(s);

out:
	if (status != VAULT_OK) {
		if (cause != NULL && *cause == NULL)
			*cause = xstrdup("invalid vault contents");
		profiles_clear(v);
	}
	secret_json_delete(root);
	return status;
}

/* Serialises the profiles into a sodium_malloc'd buffer padded with spaces to a multiple
 * of VAULT_PAD; the caller sodium_free's it. */
static int
payload_print(struct vault *v, char **outp, size_t *outlen, char **cause)
{
	cJSON *root, *arr, *o;
	size_t i, k, cap, n;
	char *out = NULL;
	int ok = 0;

	if (sodium_init() < 0)
		return vault_fail(cause, VAULT_ERR, "libsodium cannot be initialised");
	root = cJSON_CreateObject();

	cJSON_AddNumberToObject(root, "format", 1);
	if (v->def != NULL)
		cJSON_AddStringToObject(root, "default", v->def);
	else
		cJSON_AddNullToObject(root, "default");
	arr = cJSON_AddArrayToObject(root, "profiles");
	for (i = 0; i < v->nprof; i++) {
		const struct vault_profile *p = v->prof[i];

		o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
		for (k = 0; k < NFIELDS; k++)
			if (*field_of(p, &profile_fields[k]) != NULL)
				cJSON_AddStringToObject(o, profile_fields[k].key,
				    *field_of(p, &profile_fields[k]));
		cJSON_AddStringToObject(o, "kind", vault_kind_name(p->kind));
		/* By reference: the secrets are never copied into the ordinary heap. */
		if (p->access_key_secret != NULL)
			cJSON_AddItemToObject(o, "access_key_secret",
			    cJSON_CreateStringReference(secret_reveal(p->access_key_secret)));
		if (p->security_token != NULL)
			cJSON_AddItemToObject(o, "security_token",
			    cJSON_CreateStringReference(secret_reveal(p->security_token)));
		if (p->expires != 0)
			cJSON_AddNumberToObject(o, "expires", (double)p->expires);
		if (p->duration_s != 0)
			cJSON_AddNumberToObject(o, "duration_seconds", p->duration_s);
		if (p->signature != 0)
			cJSON_AddStringToObject(o, "signature", p->signature == 3 ? "v3" : "v1");
		cJSON_AddBoolToObject(o, "readonly", p->readonly);
	}
	for (cap = 4096; cap <= VAULT_FILE_MAX; cap *= 2) {
		out = sodium_malloc(cap);
		if (out == NULL)
			break;
		if (cJSON_PrintPreallocated(root, out, (int)cap - VAULT_PAD, 0)) {
			ok = 1;
			break;
		}
		sodium_free(out);
		out = NULL;
	}
	for (i = 0; i < v->nprof; i++) {
		if (v->prof[i]->access_key_secret != NULL)
			secret_hide(v->prof[i]->access_key_secret);
		if (v->prof[i]->security_token != NULL)
			secret_hide(v->prof[i]->security_token);
	}
	cJSON_Delete(root);
	if (!ok)
		return vault_fail(cause, VAULT_ERR, "too many profiles: the vault would exceed "
		    "%d bytes", VAULT_FILE_MAX);
	n = strlen(out);
	while (n % VAULT_PAD != 0)
		out[n++] = ' ';
	out[n] = '\0';
	*outp = out;
	*outlen = n;
	return VAULT_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Open, close. */

static struct vault *
vault_alloc(const char *path)
{
	struct vault *v = xcalloc(1, sizeof *v);

	vault_file_init(&v->file, path);
	return v;
}

struct vault *
vault_new_detached(void)
{
	return vault_alloc(NULL);
}

void
vault_close(struct vault *v)
{
	if (v == NULL)
		return;
	profiles_clear(v);
	secret_free(v->pass);
	vault_file_free(&v->file);	/* releases the lock */
	free(v);
}

const char *
vault_file(const struct vault *v)
{
	return v->file.path;
}

void
vault_kdf_params(const struct vault *v, uint32_t *opslimit, uint64_t *memlimit)
{
	*opslimit = v->kdf_ops;
	*memlimit = v->kdf_mem;
}

/* Adds "cannot unlock PATH: " in front of *cause. */
static int
unlock_fail(struct vault *v, int status, char **cause)
{
	char *c;

	if (cause != NULL && *cause != NULL) {
		c = xasprintf("cannot unlock %s: %s", v->file.path, *cause);
		free(*cause);
		*cause = c;
	}
	return status;
}

int
vault_unlock(struct vault **out, const char *path, enum vault_mode mode, vault_ask_fn ask,
    void *arg, char **cause)
{
	struct vault *v = vault_alloc(path);
	struct vault_header h;
	struct secret *pass = NULL;
	unsigned char *buf = NULL;
	char *pt = NULL, *c = NULL;
	size_t len = 0, ptlen = 0;
	int status, attempt;

	*out = NULL;
	v->mode = mode;
	if ((status = vault_file_open(&v->file, mode == VAULT_WRITE ? VAULT_OPEN_LOCK :
	    VAULT_OPEN_READ, cause)) != VAULT_OK ||
	    (status = vault_file_read(&v->file, &buf, &len, cause)) != VAULT_OK)
		goto fail;
	if ((status = vault_header_parse(buf, len, &h, cause)) != VAULT_OK) {
		status = unlock_fail(v, status, cause);
		goto fail;
	}
	for (attempt = 1; attempt <= VAULT_UNLOCK_TRIES; attempt++) {
		free(c);
		c = NULL;
		status = ask(arg, "Vault passphrase: ", attempt, &pass, &c);
		if (status != VAULT_OK) {
			/* After a wrong passphrase, a source that cannot ask again
			 * reports the failure itself. */
			if (attempt > 1) {
				free(c);
				c = NULL;
				status = vault_fail(&c, VAULT_AUTH, VAULT_MSG_AUTH);
			} else if (c == NULL)
				c = xstrdup("no passphrase given");
			break;
		}
		free(c);
		c = NULL;
		if (secret_len(pass) > VAULT_PASSPHRASE_MAX) {
			status = pass_too_long(&c);
			break;
		}
		status = unseal(pass, &h, buf, &pt, &ptlen, &c);
		if (status == VAULT_OK || status != VAULT_AUTH)
			break;
		secret_free(pass);
		pass = NULL;
	}
	if (status != VAULT_OK) {
		if (cause != NULL) {
			*cause = c;
			c = NULL;
		}
		status = unlock_fail(v, status, cause);
		goto fail;
	}
	status = vault_payload_parse(v, pt, ptlen, cause);
	sodium_free(pt);
	pt = NULL;
	if (status != VAULT_OK) {
		status = unlock_fail(v, status, cause);
		goto fail;
	}
	v->kdf_ops = h.opslimit;
	v->kdf_mem = h.memlimit;
	if (mode == VAULT_WRITE) {
		v->pass = pass;
		v->file.old = buf;
		v->file.oldlen = len;
	} else {
		secret_free(pass);
		free(buf);
		vault_file_close_dir(&v->file);
	}
	*out = v;
	return VAULT_OK;

fail:
	free(c);
	secret_free(pass);
	free(buf);
	vault_close(v);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Saving (the file handling is vault_file_replace's). */

int
vault_save(struct vault *v, int flags, char **cause)
{
	struct vault_header h;
	unsigned char *image = NULL;
	char *pt = NULL;
	size_t ptlen = 0, len = 0;
	int status;

	if (v->mode != VAULT_WRITE || v->pass == NULL)
		return vault_fail(cause, VAULT_ERR, "the vault is not open for writing");
	if ((status = payload_print(v, &pt, &ptlen, cause)) != VAULT_OK)
		return status;
	memset(&h, 0, sizeof h);
	h.opslimit = kdf_limits.ops_default;
	h.memlimit = kdf_limits.mem_default;
	randombytes_buf(h.salt, sizeof h.salt);
	randombytes_buf(h.nonce, sizeof h.nonce);
	status = seal(secret_reveal(v->pass), secret_len(v->pass), &h, pt, ptlen, &image, &len,
	    cause);
	secret_hide(v->pass);
	sodium_free(pt);
	if (status != VAULT_OK)
		return status;
	status = vault_file_replace(&v->file, image, len, flags, cause);
	if (status == VAULT_OK) {
		v->kdf_ops = h.opslimit;
		v->kdf_mem = h.memlimit;
	} else
		free(image);
	return status;
}

int
vault_create(struct vault **out, const char *path, struct secret *pass, char **cause)
{
	struct vault *v = vault_alloc(path);
	int status;

	*out = NULL;
	v->mode = VAULT_WRITE;
	v->pass = pass;
	if (secret_len(pass) > VAULT_PASSPHRASE_MAX) {
		status = pass_too_long(cause);
		goto fail;
	}
	if ((status = vault_file_open(&v->file, VAULT_OPEN_CREATE, cause)) != VAULT_OK ||
	    (status = vault_save(v, 0, cause)) != VAULT_OK)
		goto fail;
	*out = v;
	return VAULT_OK;

fail:
	vault_close(v);
	return status;
}

/* ------------------------------------------------------------------------------------ */
/* Credentials for the rest of the program. */

int
vault_resolve_profile(const char *vault_opt, const char *name, vault_ask_fn ask, void *arg,
    struct vault_profile **out, char **cause)
{
	const struct vault_profile *p;
	struct vault *v = NULL;
	char *path = NULL;
	int status;

	*out = NULL;
	if ((status = vault_path(vault_opt, &path, cause)) != VAULT_OK)
		return status;
	if ((status = vault_unlock(&v, path, VAULT_READ, ask, arg, cause)) != VAULT_OK)
		goto out;
	if (name == NULL && (name = vault_default_name(v)) == NULL) {
		status = vault_fail(cause, VAULT_NOENT, "the vault %s has no default profile "
		    "(choose one with 'iotdeck vault default NAME')", path);
		goto out;
	}
	if ((p = vault_profile_find(v, name)) == NULL) {
		status = vault_fail(cause, VAULT_NOENT, "no profile named %s in the vault %s "
		    "(see 'iotdeck vault list')", name, path);
		goto out;
	}
	*out = vault_profile_dup(p);
out:
	vault_close(v);
	free(path);
	return status;
}
