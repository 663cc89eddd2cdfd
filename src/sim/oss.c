/* oss.c — the simulated OSS bucket (see oss.h). */
#include "sim/oss.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "sim/auth.h"

/* Uploads remembered (oldest forgotten first). */
#define MAX_OBJECTS 4096

/* Why a form is refused. */
enum form_state { FORM_OK, FORM_MALFORMED, FORM_FIELD_TOO_LONG, FORM_FIELDS_TOO_LONG,
	FORM_TOO_LARGE };

struct sim_oss_form {
	struct params    fields;	/* complete fields */
	char            *name;		/* field being received, or NULL */
	struct buf       value;		/* its value so far (grows by doubling) */
	size_t           held;		/* bytes of all field values */
	EVP_MD_CTX      *md5;		/* MD5 of the file */
	uint64_t         size;		/* bytes of the file */
	uint64_t         max_file;	/* most bytes of the file */
	int              have_file;	/* a file part was seen */
	int              keep_decided;	/* keeping was decided (at the file's first piece) */
	int              keeping;	/* a device-list file: its bytes are kept */
	struct buf       keep;		/* them */
	enum form_state  state;		/* FORM_OK until refused */
};

struct oss_object {
	char     key[160];	/* object key */
	uint64_t size;		/* bytes */
	char     md5[33];	/* hex MD5 */
	char    *data;		/* a device-list file's bytes (NUL-terminated), else NULL */
	size_t   len;		/* their length */
};

struct sim_oss {
	struct sim_store *store;	/* whose generator names the uploads (not owned) */
	unsigned char     secret[32];	/* bucket secret */
	struct oss_object objs[MAX_OBJECTS];	/* ring of uploads */
	size_t            nobjs;	/* uploads so far */
	uint64_t          max_size;	/* largest object (SIM_OSS_MAX_SIZE, or less:
					   --ota-max-upload-mb) */
};

struct sim_oss *
sim_oss_new(struct sim_store *s)
{
	struct sim_oss *o = xcalloc(1, sizeof *o);

	o->store = s;
	randombytes_buf(o->secret, sizeof o->secret);
	o->max_size = SIM_OSS_MAX_SIZE;
	return o;
}

void
sim_oss_set_max_size(struct sim_oss *o, uint64_t bytes)
{
	o->max_size = bytes < SIM_OSS_MAX_SIZE ? bytes : SIM_OSS_MAX_SIZE;
}

void
sim_oss_free(struct sim_oss *o)
{
	size_t i;

	if (o != NULL) {
		sodium_memzero(o->secret, sizeof o->secret);
		for (i = 0; i < MAX_OBJECTS; i++)
			free(o->objs[i].data);
	}
	free(o);
}

static char *
b64(const unsigned char *data, size_t len)
{
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

static char *
sign_policy(struct sim_oss *o, const char *policy)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;

	HMAC(EVP_sha1(), o->secret, (int)sizeof o->secret, (const unsigned char *)policy,
	    strlen(policy), mac, &maclen);
	return b64(mac, maclen);
}

void
sim_oss_url_make(struct sim_oss *o, const char *base, const char *dir, const char *suffix,
    struct sim_oss_url *u)
{
	cJSON *pol = cJSON_CreateObject(), *conds, *c;
	char name[24], exp[40];
	struct tm tm;
	time_t t = time(NULL) + 60;
	char *json;

	gmtime_r(&t, &tm);
	strftime(exp, sizeof exp, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	sim_store_rand_chars(o->store, name, 20);
	u->key = xasprintf("%s/%.20s.%s", dir, name, suffix);
	u->host = xasprintf("%s%s", base, SIM_OSS_PATH);
	u->url = xasprintf("%s/%s", u->host, u->key);
	cJSON_AddStringToObject(pol, "expiration", exp);
	conds = cJSON_AddArrayToObject(pol, "conditions");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "bucket", "iotdeck-sim");
	cJSON_AddItemToArray(conds, c);
	c = cJSON_CreateArray();
	cJSON_AddItemToArray(c, cJSON_CreateString("eq"));
	cJSON_AddItemToArray(c, cJSON_CreateString("$key"));
	cJSON_AddItemToArray(c, cJSON_CreateString(u->key));
	cJSON_AddItemToArray(conds, c);
	c = cJSON_CreateArray();
	cJSON_AddItemToArray(c, cJSON_CreateString("content-length-range"));
	cJSON_AddItemToArray(c, cJSON_CreateNumber(0));
	cJSON_AddItemToArray(c, cJSON_CreateNumber((double)(strcmp(dir, "dn") == 0 &&
	    o->max_size > SIM_OSS_MAX_DNLIST ? SIM_OSS_MAX_DNLIST : o->max_size)));
	cJSON_AddItemToArray(conds, c);
	json = cJSON_PrintUnformatted(pol);
	u->policy = b64((const unsigned char *)json, strlen(json));
	u->signature = sign_policy(o, u->policy);
	free(json);
	cJSON_Delete(pol);
}

void
sim_oss_url_free(struct sim_oss_url *u)
{
	free(u->host);
	free(u->key);
	free(u->policy);
	free(u->signature);
	free(u->url);
	memset(u, 0, sizeof *u);
}

char *
sim_oss_error(const char *code, const char *msg)
{
	struct buf b = BUF_INIT;
	char rid[37];

	sim_request_id(rid);
	buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>%s</Code>\n"
	    "  <Message>%s</Message>\n  <RequestId>%s</RequestId>\n  <HostId>iotdeck-sim</HostId>\n</Error>\n",
	    code, msg, rid);
	return buf_detach(&b);
}

int
sim_oss_finish(struct sim_oss *o, const struct params *f, uint64_t size, const char *md5hex,
    int have_file, char **body)
{
	const char *key = params_get(f, "key"), *policy = params_get(f, "policy");
	const char *akid = params_get(f, "OSSAccessKeyId"), *sig = params_get(f, "Signature");
	const char *status = params_get(f, "success_action_status");
	unsigned char *raw = NULL;
	size_t rawlen;
	cJSON *doc = NULL, *c;
	const cJSON *exp;
	char *want;
	time_t t;
	int ok_key = 0, rc, n;

	if (sig == NULL)
		sig = params_get(f, "signature");
	if (key == NULL || policy == NULL || akid == NULL || sig == NULL || !have_file) {
		*body = sim_oss_error("InvalidArgument", "key, policy, OSSAccessKeyId, Signature and file are required.");
		return 400;
	}
	if (strcmp(akid, SIM_OSS_ACCESS_KEY_ID) != 0) {
		*body = sim_oss_error("InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
		return 403;
	}
	want = sign_policy(o, policy);
	rc = strlen(want) == strlen(sig) && sodium_memcmp(want, sig, strlen(want)) == 0;
	free(want);
	if (!rc) {
		*body = sim_oss_error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
		return 403;
	}
	rawlen = strlen(policy);
	raw = xmalloc(rawlen + 1);
	if (rawlen > INT_MAX || (n = EVP_DecodeBlock(raw, (const unsigned char *)policy, (int)rawlen)) < 0) {
		free(raw);
		*body = sim_oss_error("InvalidPolicyDocument", "Invalid Policy: base64.");
		return 400;
	}
	raw[n] = '\0';
	doc = cJSON_Parse((const char *)raw);
	free(raw);
	exp = cJSON_GetObjectItem(doc, "expiration");
	if (!cJSON_IsString(exp) || sim_auth_parse_time(exp->valuestring, &t) != 0) {
		cJSON_Delete(doc);
		*body = sim_oss_error("InvalidPolicyDocument", "Invalid Policy: expiration.");
		return 400;
	}
	if (t < time(NULL)) {
		cJSON_Delete(doc);
		*body = sim_oss_error("AccessDenied", "Invalid according to Policy: Policy expired.");
		return 403;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "conditions")) {
		if (cJSON_IsArray(c) && cJSON_GetArraySize(c) == 3 &&
		    strcmp(cJSON_GetArrayItem(c, 1)->valuestring != NULL ? cJSON_GetArrayItem(c, 1)->valuestring : "", "$key") == 0)
			ok_key = cJSON_IsString(cJSON_GetArrayItem(c, 2)) &&
			    strcmp(cJSON_GetArrayItem(c, 2)->valuestring, key) == 0;
	}
	cJSON_Delete(doc);
	if (!ok_key) {
		*body = sim_oss_error("AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\"].");
		return 403;
	}
	if (size > o->max_size) {
		*body = sim_oss_error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
		return 400;
	}
	{
		struct oss_object *obj = &o->objs[o->nobjs++ % MAX_OBJECTS];
		free(obj->data);
		obj->data = NULL;
		obj->len = 0;
		snprintf(obj->key, sizeof obj->key, "%s", key);
		obj->size = size;
		snprintf(obj->md5, sizeof obj->md5, "%s", md5hex);
	}
	*body = xstrdup("");
	if (status != NULL && (strcmp(status, "200") == 0 || strcmp(status, "201") == 0))
		return atoi(status);
	return 204;
}

struct sim_oss_form *
sim_oss_form_new(uint64_t max_file)
{
	struct sim_oss_form *f = xcalloc(1, sizeof *f);

	f->max_file = max_file;
	params_init(&f->fields);
	buf_init(&f->value);
	buf_init(&f->keep);
	if ((f->md5 = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(f->md5, EVP_md5(), NULL) != 1)
		abort();
	return f;
}

void
sim_oss_form_free(struct sim_oss_form *f)
{
	if (f == NULL)
		return;
	params_free(&f->fields);
	free(f->name);
	buf_free(&f->value);
	buf_free(&f->keep);
	EVP_MD_CTX_free(f->md5);
	free(f);
}

/* Files the field being received. */
static void
form_flush(struct sim_oss_form *f)
{
	if (f->name == NULL)
		return;
	params_set(&f->fields, f->name, buf_str(&f->value));
	free(f->name);
	f->name = NULL;
	buf_reset(&f->value);
}

int
sim_oss_form_part(struct sim_oss_form *f, const char *key, const char *filename,
    const char *data, uint64_t off, size_t size)
{
	if (f->state != FORM_OK)
		return -1;
	if (key == NULL)
		return 0;
	if (strcmp(key, "file") == 0 || filename != NULL) {
		form_flush(f);
		f->have_file = 1;
		if (size > f->max_file - f->size) {
			f->state = FORM_TOO_LARGE;
			return -1;
		}
		if (!f->keep_decided) {
			const char *k = params_get(&f->fields, "key");
			f->keeping = k != NULL && strncmp(k, "dn/", 3) == 0;
			f->keep_decided = 1;
		}
		if (f->keeping) {
			if (size > SIM_OSS_MAX_DNLIST - f->keep.len) {
				f->state = FORM_TOO_LARGE;
				return -1;
			}
			buf_add(&f->keep, data, size);
		}
		if (size > 0)
			EVP_DigestUpdate(f->md5, data, size);
		f->size += size;
		return 0;
	}
	if (off == 0 || f->name == NULL || strcmp(f->name, key) != 0) {
		form_flush(f);
		f->name = xstrdup(key);
	}
	if (size > SIM_OSS_MAX_FIELD - f->value.len) {
		f->state = FORM_FIELD_TOO_LONG;
		return -1;
	}
	if (size > SIM_OSS_MAX_FIELDS - f->held) {
		f->state = FORM_FIELDS_TOO_LONG;
		return -1;
	}
	buf_add(&f->value, data, size);
	f->held += size;
	return 0;
}

void
sim_oss_form_malformed(struct sim_oss_form *f)
{
	if (f->state == FORM_OK)
		f->state = FORM_MALFORMED;
}

size_t
sim_oss_form_held(const struct sim_oss_form *f)
{
	return f->held;
}

int
sim_oss_form_finish(struct sim_oss *o, struct sim_oss_form *f, char **body, char md5hex[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int rc;

	md5hex[0] = '\0';
	switch (f->state) {
	case FORM_MALFORMED:
		*body = sim_oss_error("MalformedPOSTRequest",
		    "The body of your POST request is not well-formed multipart/form-data.");
		return 400;
	case FORM_FIELD_TOO_LONG:
		*body = sim_oss_error("InvalidArgument",
		    "A form field value of the POST request is larger than 2 MB.");
		return 400;
	case FORM_FIELDS_TOO_LONG:
		*body = sim_oss_error("InvalidArgument",
		    "The form fields before the file of the POST request are larger than 8 MB.");
		return 400;
	case FORM_TOO_LARGE:
		*body = sim_oss_error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
		return 400;
	case FORM_OK:
		break;
	}
	form_flush(f);
	EVP_DigestFinal_ex(f->md5, md, &mdlen);
	sodium_bin2hex(md5hex, 33, md, mdlen < 16 ? mdlen : 16);
	rc = sim_oss_finish(o, &f->fields, f->size, md5hex, f->have_file, body);
	if (rc >= 200 && rc < 300 && f->keeping) {
		struct oss_object *obj = &o->objs[(o->nobjs - 1) % MAX_OBJECTS];

		obj->len = f->keep.len;
		obj->data = xmalloc(f->keep.len + 1);
		memcpy(obj->data, f->keep.len > 0 ? f->keep.data : "", f->keep.len);
		obj->data[f->keep.len] = '\0';
	}
	return rc;
}

char *
sim_oss_sign(struct sim_oss *o, const char *policy)
{
	return sign_policy(o, policy);
}

/* The upload at url (anything ending in "/oss/" KEY), the first that holds its bytes when
 * with_data; NULL when none. */
static const struct oss_object *
find_object(const struct sim_oss *o, const char *url, int with_data)
{
	const char *k = url != NULL ? strstr(url, SIM_OSS_PATH "/") : NULL;
	size_t i, n;

	if (k == NULL)
		return NULL;
	k += strlen(SIM_OSS_PATH "/");
	n = o->nobjs < MAX_OBJECTS ? o->nobjs : MAX_OBJECTS;
	for (i = 0; i < n; i++)
		if ((!with_data || o->objs[i].data != NULL) && strcmp(o->objs[i].key, k) == 0)
			return &o->objs[i];
	return NULL;
}

int
sim_oss_lookup(struct sim_oss *o, const char *url, uint64_t *size, char md5[33])
{
	const struct oss_object *obj = find_object(o, url, 0);

	if (obj == NULL)
		return 0;
	*size = obj->size;
	memcpy(md5, obj->md5, 33);
	return 1;
}

int
sim_oss_lookup_data(struct sim_oss *o, const char *url, const char **data, size_t *len)
{
	const struct oss_object *obj = find_object(o, url, 1);

	if (obj == NULL)
		return 0;
	*data = obj->data;
	*len = obj->len;
	return 1;
}
