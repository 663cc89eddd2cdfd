/* oss.c — the simulated OSS bucket (see oss.h). */
#include "sim/oss.h"

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

struct oss_object {
	char     key[160];	/* object key */
	uint64_t size;		/* bytes */
	char     md5[33];	/* hex MD5 */
};

struct sim_oss {
	unsigned char     secret[32];	/* bucket secret */
	struct oss_object objs[MAX_OBJECTS];	/* ring of uploads */
	size_t            nobjs;	/* uploads so far */
};

static struct sim_oss *
oss_of(struct sim_store *s)
{
	if (s->oss == NULL) {
		s->oss = xcalloc(1, sizeof *s->oss);
		randombytes_buf(s->oss->secret, sizeof s->oss->secret);
	}
	return s->oss;
}

void
sim_oss_free(struct sim_oss *o)
{
	if (o != NULL)
		sodium_memzero(o->secret, sizeof o->secret);
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
sim_oss_url_make(struct sim_store *s, const char *base, const char *dir, const char *suffix,
    struct sim_oss_url *u)
{
	struct sim_oss *o = oss_of(s);
	cJSON *pol = cJSON_CreateObject(), *conds, *c;
	char name[24], exp[40];
	struct tm tm;
	time_t t = time(NULL) + 60;
	char *json;

	gmtime_r(&t, &tm);
	strftime(exp, sizeof exp, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	sim_store_rand_chars(s, name, 20);
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
	cJSON_AddItemToArray(c, cJSON_CreateNumber((double)SIM_OSS_MAX_SIZE));
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

static char *
oss_error(const char *code, const char *msg)
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
sim_oss_finish(struct sim_store *s, const struct params *f, uint64_t size, const char *md5hex,
    int have_file, char **body)
{
	struct sim_oss *o = oss_of(s);
	const char *key = params_get(f, "key"), *policy = params_get(f, "policy");
	const char *akid = params_get(f, "OSSAccessKeyId"), *sig = params_get(f, "Signature");
	const char *status = params_get(f, "success_action_status");
	unsigned char *raw = NULL;
	size_t rawlen;
	cJSON *doc = NULL, *c;
	const cJSON *exp;
	char *want;
	time_t t;
	int ok_key = 0, rc;

	if (sig == NULL)
		sig = params_get(f, "signature");
	if (key == NULL || policy == NULL || akid == NULL || sig == NULL || !have_file) {
		*body = oss_error("InvalidArgument", "key, policy, OSSAccessKeyId, Signature and file are required.");
		return 400;
	}
	if (strcmp(akid, SIM_OSS_ACCESS_KEY_ID) != 0) {
		*body = oss_error("InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
		return 403;
	}
	want = sign_policy(o, policy);
	rc = sodium_memcmp(want, sig, strlen(want)) == 0 && strlen(want) == strlen(sig);
	free(want);
	if (!rc) {
		*body = oss_error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
		return 403;
	}
	rawlen = strlen(policy);
	raw = xmalloc(rawlen + 1);
	if (EVP_DecodeBlock(raw, (const unsigned char *)policy, (int)rawlen) < 0) {
		free(raw);
		*body = oss_error("InvalidPolicyDocument", "Invalid Policy: base64.");
		return 400;
	}
	raw[rawlen] = '\0';
	doc = cJSON_Parse((const char *)raw);
	free(raw);
	exp = cJSON_GetObjectItem(doc, "expiration");
	if (!cJSON_IsString(exp) || sim_auth_parse_time(exp->valuestring, &t) != 0) {
		cJSON_Delete(doc);
		*body = oss_error("InvalidPolicyDocument", "Invalid Policy: expiration.");
		return 400;
	}
	if (t < time(NULL)) {
		cJSON_Delete(doc);
		*body = oss_error("AccessDenied", "Invalid according to Policy: Policy expired.");
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
		*body = oss_error("AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\"].");
		return 403;
	}
	if (size > SIM_OSS_MAX_SIZE) {
		*body = oss_error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
		return 400;
	}
	{
		struct oss_object *obj = &o->objs[o->nobjs++ % MAX_OBJECTS];
		snprintf(obj->key, sizeof obj->key, "%s", key);
		obj->size = size;
		snprintf(obj->md5, sizeof obj->md5, "%s", md5hex);
	}
	*body = xstrdup("");
	if (status != NULL && (strcmp(status, "200") == 0 || strcmp(status, "201") == 0))
		return atoi(status);
	return 204;
}

int
sim_oss_lookup(struct sim_store *s, const char *url, uint64_t *size, char md5[33])
{
	struct sim_oss *o = s->oss;
	const char *k = url != NULL ? strstr(url, SIM_OSS_PATH "/") : NULL;
	size_t i, n;

	if (o == NULL || k == NULL)
		return 0;
	k += strlen(SIM_OSS_PATH "/");
	n = o->nobjs < MAX_OBJECTS ? o->nobjs : MAX_OBJECTS;
	for (i = 0; i < n; i++) {
		if (strcmp(o->objs[i].key, k) == 0) {
			*size = o->objs[i].size;
			memcpy(md5, o->objs[i].md5, 33);
			return 1;
		}
	}
	return 0;
}
