/* vault.h — the encrypted credential vault (format, crypto, storage, profiles).
 * The file handling is in vault_file.c (private header vault_file.h).
 *
 * A vault is one file (default $XDG_CONFIG_HOME/iotdeck/vault) holding any number of
 * profiles, sealed under a passphrase. See the DESIGN comment in vault.c for the format
 * and the on-disk rules. Typical use:
 *
 *	vault_harden_process(&cause);                       once, at program start
 *	vault_path(opt_vault, &path, &cause);               --vault, $IOTDECK_VAULT, default
 *	vault_unlock(&v, path, VAULT_READ, ask, arg, &cause);
 *	p = vault_profile_find(v, "prod");                  borrowed, valid until vault_close
 *	vault_close(v);                                     wipes every secret
 *
 * Every function returning int returns VAULT_OK (0) or a negative enum vault_status and
 * then, when cause is not NULL, stores a caller-freed message in *cause. No message ever
 * contains a passphrase or a secret.
 */
#ifndef IOTDECK_VAULT_H
#define IOTDECK_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/secret.h"

enum vault_status {
	VAULT_OK = 0,
	VAULT_ERR = -1,		/* anything else: I/O error, bad argument, ... */
	VAULT_NOENT = -2,	/* no vault file, no such profile, no default profile */
	VAULT_AUTH = -3,	/* wrong passphrase or damaged file (deliberately one status) */
	VAULT_UNSAFE = -4,	/* symlink, foreign owner or group/other permissions */
	VAULT_BUSY = -5,	/* another process holds the write lock */
	VAULT_FORMAT = -6,	/* refused before the KDF: not a vault, unknown version, bad KDF params */
	VAULT_CANCEL = -7	/* the passphrase callback gave up (no terminal, user cancelled) */
};

/* What a profile holds. */
enum vault_kind {
	VAULT_KIND_ACCESS_KEY = 0,	/* "access_key": a long-lived AccessKey ID and secret */
	VAULT_KIND_STS,			/* "sts": an STS AccessKey with SecurityToken and expiry */
	VAULT_KIND_RAM_ROLE		/* "ram_role": a role assumed with STS AssumeRole */
};

/* One set of credentials. In a vault the profile belongs to the vault; one returned by
 * vault_profile_dup() or vault_resolve_*() belongs to the caller (vault_profile_free).
 * What each kind holds (vault_profile_check enforces it):
 *	access_key  access_key_id, access_key_secret
 *	sts         access_key_id, access_key_secret, security_token (expires: 0 unknown)
 *	ram_role    role_arn, and either its own access_key_id + access_key_secret, or
 *	            source_profile (an access_key profile of the same vault) and then neither:
 *	            access_key_id and access_key_secret are NULL
 * security_token is set only for sts, the role fields only for ram_role; region,
 * instance_id, endpoint, readonly and signature apply to every kind. */
struct vault_profile {
	char		*name;		/* [A-Za-z0-9._-]{1,64} */
	char		*access_key_id;	/* AccessKey ID, shown in full; NULL as the secret */
	struct secret	*access_key_secret; /* AccessKey secret, guarded; NULL only for a
					   ram_role profile with a source_profile */
	char		*region;	/* region id (cn-shanghai), or NULL */
	char		*instance_id;	/* IoT instance id (iot-06z00...), or NULL */
	char		*endpoint;	/* endpoint URL or host, or NULL for the region's default */
	int		 readonly;	/* 1: write actions are refused with this profile */
	/* Issue 14: what kind of credential the profile holds (payload key "kind"). */
	enum vault_kind	 kind;		/* AccessKey (absent in older files), STS or RAM role */
	struct secret	*security_token; /* STS: the SecurityToken, guarded; else NULL */
	int64_t		 expires;	/* STS: when the token expires (epoch s), 0 unknown */
	char		*role_arn;	/* RAM role: acs:ram::ACCOUNT:role/NAME, else NULL */
	char		*source_profile; /* RAM role: the profile whose AccessKey assumes it,
					   or NULL when this profile holds that AccessKey */
	char		*role_session_name; /* RAM role: RoleSessionName, NULL: "iotdeck" */
	int		 duration_s;	/* RAM role: DurationSeconds asked for, 0: 3600 */
	char		*sts_endpoint;	/* RAM role: STS endpoint, NULL: the default */
	int		 signature;	/* 0: the default (v1), 1: v1, 3: v3 (ACS3-HMAC-SHA256) */
};

/* The longest SecurityToken accepted, in bytes (real ones are about 1 to 2 KB). */
#define VAULT_TOKEN_MAX 4096
_Static_assert(VAULT_TOKEN_MAX <= SECRET_MAX, "a security token must fit a struct secret");
/* A RAM role's DurationSeconds is bounded by STS_MIN_DURATION_S and STS_MAX_DURATION_S
 * (api/sts.h, AssumeRole's own limits). */

/* The payload name of a kind ("access_key", "sts", "ram_role"). */
const char *vault_kind_name(enum vault_kind kind);
/* A role ARN and a RoleSessionName are checked by api/sts.h (sts_role_arn_valid,
 * sts_session_name_valid): the vault takes what AssumeRole will be asked with. */

/* Returns a deep copy (the secrets in new guarded memory), owned by the caller. */
struct vault_profile *vault_profile_dup(const struct vault_profile *p);
/* Wipes and frees a caller-owned profile; NULL is fine. */
void vault_profile_free(struct vault_profile *p);
/* Returns 1 when name is a valid profile name ([A-Za-z0-9._-], 1 to 64 bytes). */
int vault_name_valid(const char *name);

/* --- process hardening ------------------------------------------------------------ */

/* Disables core dumps (RLIMIT_CORE 0) and marks the process non-dumpable
 * (PR_SET_DUMPABLE 0, which also stops same-user ptrace attach), and initialises
 * libsodium. Call once at startup, before any secret is read. Idempotent. */
int vault_harden_process(char **cause);

/* --- locating the file ------------------------------------------------------------ */

/* Picks the vault path: opt (from --vault) if not NULL, else $IOTDECK_VAULT if set and
 * non-empty, else $XDG_CONFIG_HOME/iotdeck/vault (XDG_CONFIG_HOME must be absolute),
 * else $HOME/.config/iotdeck/vault. *out is caller-freed. */
int vault_path(const char *opt, char **out, char **cause);

/* --- opening ---------------------------------------------------------------------- */

struct vault;

/* Access modes for vault_unlock. */
enum vault_mode {
	VAULT_READ,	/* read the profiles; the passphrase is wiped right after unlocking */
	VAULT_WRITE	/* also take the write lock and keep the passphrase (guarded) for saves */
};

/* Asks for the passphrase. attempt counts from 1; prompt is a short question for the user.
 * On success return VAULT_OK and store a new secret in *out (ownership passes to the
 * vault code). Return VAULT_CANCEL (with a message in *cause if useful) to stop asking:
 * a non-interactive source returns it for any attempt after the first. */
typedef int (*vault_ask_fn)(void *arg, const char *prompt, int attempt,
    struct secret **out, char **cause);

/* The longest passphrase, in bytes, that iotdeck accepts anywhere: every reader (the
 * terminal, --passphrase-fd, a new passphrase for init or passwd, the console's unlock
 * screen) takes up to this many bytes and refuses a longer one with a message saying so
 * (never truncates it or drops keystrokes silently); vault_unlock, vault_create and
 * vault_set_passphrase refuse a longer one too. Readers allocate their secret with
 * secret_new(VAULT_PASSPHRASE_MAX). */
#define VAULT_PASSPHRASE_MAX 1024
_Static_assert(VAULT_PASSPHRASE_MAX <= SECRET_MAX, "a passphrase must fit a struct secret");

/* How many passphrase attempts vault_unlock allows. */
#define VAULT_UNLOCK_TRIES 3

/* Opens the vault at path. The file and its directory are checked first (VAULT_UNSAFE
 * with a how-to-fix message), then the header (VAULT_FORMAT), and only then ask() is
 * called for the passphrase, up to VAULT_UNLOCK_TRIES times while it returns VAULT_OK.
 * Wrong passphrase and damaged file both give VAULT_AUTH with one message. The file is
 * never modified. VAULT_WRITE takes the write lock first (VAULT_BUSY if held) and keeps
 * it until vault_close. *out belongs to the caller (vault_close). */
int vault_unlock(struct vault **out, const char *path, enum vault_mode mode,
    vault_ask_fn ask, void *arg, char **cause);

/* Creates a new, empty vault at path sealed under pass (taken over: the vault frees it).
 * Missing directories are created with mode 0700. Fails with VAULT_ERR if a vault already
 * exists there. On success *out is an open VAULT_WRITE vault. */
int vault_create(struct vault **out, const char *path, struct secret *pass, char **cause);

/* Wipes every secret, releases the lock and frees v; NULL is fine. */
void vault_close(struct vault *v);

/* The file the vault came from (owned by v). */
const char *vault_file(const struct vault *v);

/* The KDF parameters of the file as unlocked, or as last saved (a save always uses the
 * current defaults, so an older file is upgraded by its next save). */
void vault_kdf_params(const struct vault *v, uint32_t *opslimit, uint64_t *memlimit);

/* --- profiles (changes are in memory until vault_save) ----------------------------- */

/* Number of profiles; they are kept sorted by name. */
size_t vault_profile_count(const struct vault *v);
/* The i-th profile (borrowed: valid until the vault changes or closes). */
const struct vault_profile *vault_profile_at(const struct vault *v, size_t i);
/* The named profile, or NULL (borrowed, as above). */
const struct vault_profile *vault_profile_find(const struct vault *v, const char *name);
/* The default profile's name (borrowed), or NULL when there is none. */
const char *vault_default_name(const struct vault *v);

/* Adds a copy of p. Fails if p->name exists (unless replace) or a field is invalid, or
 * if p names a source_profile that is not an access_key profile of v, or if replacing
 * would leave a ram_role profile's source_profile something else than an access_key
 * profile. The first profile of a vault becomes its default. */
int vault_profile_put(struct vault *v, const struct vault_profile *p, int replace,
    char **cause);
/* Removes a profile; if it was the default, there is no default afterwards. Refused
 * while a ram_role profile names it as its source_profile. */
int vault_profile_remove(struct vault *v, const char *name, char **cause);
/* Makes name the default profile (it must exist). */
int vault_set_default(struct vault *v, const char *name, char **cause);
/* Replaces the passphrase used by the next vault_save (pass is taken over). */
int vault_set_passphrase(struct vault *v, struct secret *pass, char **cause);

/* Flags for vault_save. */
#define VAULT_SAVE_DROP_BACKUP 0x1	/* delete vault.bak instead of keeping the old version */

/* Seals the profiles under the passphrase with a fresh salt and nonce and the current
 * KDF defaults, and replaces the file atomically and durably, keeping the previous
 * version as "<file>.bak". Needs a VAULT_WRITE vault. On failure the file on disk is the
 * old one, unchanged. */
int vault_save(struct vault *v, int flags, char **cause);

/* --- one profile for the rest of the program (cli/credentials.h picks which) --------- */

/* Checks a profile's fields as vault_profile_put does (name, AccessKey ID and secret,
 * region, instance, endpoint: lengths and characters; what its kind needs, see struct
 * vault_profile; role ARN, session name, duration 900..43200, STS endpoint, signature 0, 1
 * or 3), for credentials from elsewhere. Whether a source_profile exists is the vault's
 * business (vault_profile_put, vault_unlock), not checked here. */
int vault_profile_check(const struct vault_profile *p, char **cause);

/* Opens the vault (VAULT_READ), copies out one profile and closes the vault again.
 * name NULL means the vault's default profile (VAULT_NOENT if there is none).
 * vault_opt is the --vault value or NULL (see vault_path). *out belongs to the caller. */
int vault_resolve_profile(const char *vault_opt, const char *name, vault_ask_fn ask,
    void *arg, struct vault_profile **out, char **cause);

/* --- format details (tests, fuzzing, benchmarks) ------------------------------------ */

/* Header size of format version 1; the file is this header followed by the ciphertext. */
#define VAULT_HEADER_SIZE 80
/* Largest accepted file. */
#define VAULT_FILE_MAX (1024 * 1024)

/* The KDF parameters of a normal build (see the DESIGN comment in vault.c): Argon2id with
 * at least 2 passes over 32 MiB (floor), 3 passes over 256 MiB for every save (default),
 * at most 10 passes over 1 GiB (ceiling). A test build (IOTDECK_VAULT_TEST_KDF) uses lower
 * ones; nothing at run time changes them. */
#define VAULT_KDF_OPS_MIN	2
#define VAULT_KDF_OPS_DEFAULT	3
#define VAULT_KDF_OPS_MAX	10
#define VAULT_KDF_MEM_MIN	(32ULL * 1024 * 1024)
#define VAULT_KDF_MEM_DEFAULT	(256ULL * 1024 * 1024)
#define VAULT_KDF_MEM_MAX	(1024ULL * 1024 * 1024)

/* KDF parameter bounds: files outside [min, max] are refused before the KDF runs. */
struct vault_kdf_limits {
	uint32_t	ops_min;	/* Argon2id passes (crypto_pwhash opslimit) */
	uint32_t	ops_default;
	uint32_t	ops_max;
	uint64_t	mem_min;	/* Argon2id memory in bytes (memlimit) */
	uint64_t	mem_default;
	uint64_t	mem_max;
};
/* The limits this build uses (lower ones only in an IOTDECK_VAULT_TEST_KDF build). */
const struct vault_kdf_limits *vault_kdf_limits(void);

/* The parsed fixed header. */
struct vault_header {
	uint16_t	version;	/* format version, 1 */
	uint8_t		kdf;		/* 1: Argon2id v1.3 */
	uint8_t		aead;		/* 1: XChaCha20-Poly1305-IETF */
	uint32_t	opslimit;	/* KDF passes */
	uint64_t	memlimit;	/* KDF memory, bytes */
	unsigned char	salt[16];	/* KDF salt */
	unsigned char	nonce[24];	/* AEAD nonce */
	uint64_t	ct_len;		/* ciphertext length including the 16-byte tag */
};

/* Parses and validates the header of a whole file image buf[0..len): magic, version,
 * algorithms, reserved bytes, size (len must be exactly header + ct_len, within
 * VAULT_FILE_MAX) and the KDF bounds. Cheap; no KDF. VAULT_FORMAT or VAULT_AUTH. */
int vault_header_parse(const unsigned char *buf, size_t len, struct vault_header *h,
    char **cause);

/* Decodes the decrypted payload (JSON) into v's profiles, replacing them; checks names,
 * required fields, duplicates, the default and every source_profile. Used by
 * vault_unlock and the fuzzer. */
int vault_payload_parse(struct vault *v, const char *json, size_t len, char **cause);
/* Returns an empty, unlocked in-memory vault not tied to a file (for the fuzzer and
 * tests; vault_save refuses it). */
struct vault *vault_new_detached(void);

#ifdef IOTDECK_VAULT_TEST_KDF
/* Test-only (compiled in only with -DIOTDECK_VAULT_TEST_KDF). */

/* Points in vault_save where the hook is called. */
enum vault_test_point {
	VAULT_TP_BEFORE_RENAME,	/* temp file written, fsync'd and closed; backup made */
	VAULT_TP_AFTER_RENAME	/* new file in place, directory not yet fsync'd */
};
/* Called at each point (NULL: nothing). */
extern void (*vault_test_hook)(enum vault_test_point pt);
/* Replaces write(2) for the files vault_save writes (NULL: the real write). */
extern long (*vault_test_write)(int fd, const void *buf, size_t len);

/* Seals plaintext[0..len) exactly as vault_save does, but with the given KDF parameters,
 * salt and nonce, into a caller-freed *out of *outlen bytes (for known-answer tests). */
int vault_test_seal(const char *pass, size_t passlen, uint32_t opslimit, uint64_t memlimit,
    const unsigned char salt[16], const unsigned char nonce[24],
    const char *plaintext, size_t len, unsigned char **out, size_t *outlen, char **cause);
#endif

#endif
