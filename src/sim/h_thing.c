/* h_thing.c — thing models (guide 4.11): draft and published TSL, ThingModelJson
 * functions, versions, templates. The draft TSL is p->tsl; each PublishThingModel
 * appends {"version","time","description","tsl"} to p->versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/thingmodel.h"
#include "sim/tsl.h"

/* A TSL string may hold at most 256 KiB (iot.common.UpdateThingModelOverLimit). */
#define TSL_MAX (256 * 1024)

static struct sim_product *
need_senior(struct sim_call *c, const char *param)
{
	const char *pk = sim_arg(c, param);
	struct sim_product *p;

	if (pk == NULL) {
		sim_fail(c, "iot.prod.NullProductKey", "productKey is null.");
		return NULL;
	}
	if ((p = sim_store_product(c->store, pk)) == NULL) {
		sim_fail(c, "iot.prod.NotExistedProduct", "product does not exist.");
		return NULL;
	}
	if (strcmp(p->commodity, "iothub_senior") != 0) {
		sim_fail(c, "iot.prod.NotSeniorProduct", "the product does not use a thing model.");
		return NULL;
	}
	return p;
}

/* The published version named by ModelVersion, or the newest; NULL (with an error set)
 * when there is none. */
static const cJSON *
published(struct sim_call *c, const struct sim_product *p)
{
	const char *want = sim_arg(c, "ModelVersion");
	const cJSON *v, *found = NULL;

	cJSON_ArrayForEach(v, p->versions) {
		if (want == NULL || strcmp(cJSON_GetObjectItem(v, "version")->valuestring, want) == 0)
			found = v;
	}
	/* No code is documented for a version that does not exist; the closest is 4.6's
	 * "getting the product's functions failed, check the parameters". */
	if (found == NULL)
		sim_fail(c, "iot.prod.QueryProductAbilitiesFailed",
		    want != NULL ? "the thing model version does not exist." : "the thing model has not been published.");
	return found;
}

static int
add_tsl(struct sim_call *c, const cJSON *tsl, const char *pk)
{
	char *s = cJSON_PrintUnformatted(tsl), *uri;
	cJSON *d = cJSON_AddObjectToObject(c->out, "Data");

	cJSON_AddStringToObject(d, "TslStr", s);
	uri = xasprintf("http://iotdeck-sim.invalid/thing/%s/model.json", pk);
	cJSON_AddStringToObject(d, "TslUri", uri);
	free(uri);
	free(s);
	return 0;
}

static int
get_thing_model_tsl(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");

	if (p == NULL)
		return -1;
	return add_tsl(c, p->tsl, p->key);
}

static int
get_thing_model_tsl_published(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	const cJSON *v;

	if (p == NULL || (v = published(c, p)) == NULL)
		return -1;
	return add_tsl(c, cJSON_GetObjectItem(v, "tsl"), p->key);
}

static int
add_model(struct sim_call *c, const struct sim_product *p, const cJSON *tsl, const char *version)
{
	cJSON *m = sim_thingmodel_from_tsl(tsl, p->key, version, p->created);
	char *s = cJSON_PrintUnformatted(m);
	cJSON *d = cJSON_AddObjectToObject(c->out, "Data");

	cJSON_AddStringToObject(d, "ThingModelJson", s);
	cJSON_AddStringToObject(d, "ProductKey", p->key);
	free(s);
	cJSON_Delete(m);
	return 0;
}

static int
query_thing_model(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	const cJSON *v;

	if (p == NULL)
		return -1;
	if (sim_arg(c, "ModelVersion") != NULL) {
		if ((v = published(c, p)) == NULL)
			return -1;
		return add_model(c, p, cJSON_GetObjectItem(v, "tsl"),
		    cJSON_GetObjectItem(v, "version")->valuestring);
	}
	return add_model(c, p, p->tsl, "draft");
}

static int
query_thing_model_published(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	const cJSON *v;

	if (p == NULL || (v = published(c, p)) == NULL)
		return -1;
	return add_model(c, p, cJSON_GetObjectItem(v, "tsl"), cJSON_GetObjectItem(v, "version")->valuestring);
}

static int
list_thing_model_version(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	cJSON *arr;
	int i;

	if (p == NULL)
		return -1;
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "ModelVersions");
	/* Newest first: the first is the version in use. */
	for (i = cJSON_GetArraySize(p->versions) - 1; i >= 0; i--) {
		const cJSON *v = cJSON_GetArrayItem(p->versions, i), *desc;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "ModelVersion", cJSON_GetObjectItem(v, "version")->valuestring);
		cJSON_AddNumberToObject(o, "GmtCreate", cJSON_GetObjectItem(v, "time")->valuedouble);
		desc = cJSON_GetObjectItem(v, "description");
		cJSON_AddStringToObject(o, "Description", cJSON_IsString(desc) ? desc->valuestring : "");
		cJSON_AddItemToArray(arr, o);
	}
	return 0;
}

static int
publish_thing_model(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	const char *ver = sim_arg(c, "ModelVersion"), *desc = sim_arg(c, "Description");
	char gen[32];
	cJSON *o;

	if (p == NULL)
		return -1;
	if (ver == NULL) {
		snprintf(gen, sizeof gen, "V%d.0.0", cJSON_GetArraySize(p->versions) + 1);
		ver = gen;
	}
	if (strlen(ver) > 16 || strspn(ver, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") != strlen(ver))
		return sim_fail(c, "iot.common.InvalidFormattedParameter", "ModelVersion is invalid.");
	/* Publishing a version name again is not refused (the guide sets no such rule); the
	 * newest of that name is the one ModelVersion then names. */
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", ver);
	cJSON_AddNumberToObject(o, "time", (double)sim_store_now(c->store));
	cJSON_AddStringToObject(o, "description", desc != NULL ? desc : "");
	cJSON_AddItemToObject(o, "tsl", cJSON_Duplicate(p->tsl, 1));
	cJSON_AddItemToArray(p->versions, o);
	p->released = 0;
	return 0;
}

static int
create_update_thing_model(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	const char *json = sim_arg(c, "ThingModelJson"), *ident = sim_arg(c, "Identifier");
	int update = strcmp(c->action, ACT_UpdateThingModel) == 0, n = 0;
	cJSON *items, *work = NULL;
	char *cause = NULL, *s;
	const char *kinds[] = { "properties", "services", "events" };
	size_t k;
	int rc = -1;

	if (p == NULL)
		return -1;
	if (json == NULL)
		return sim_gw_fail(c, 400, "MissingThingModelJson", "ThingModelJson is mandatory for this action.");
	if (p->released)
		return sim_fail(c, "iot.prod.ProductReleased", "a released product's thing model cannot change.");
	items = cJSON_Parse(json);
	if (!cJSON_IsObject(items))
		rc = sim_fail(c, "iot.common.InvalidFormattedParameter", "ThingModelJson is not a JSON object.");
	else {
		for (k = 0; k < 3; k++) {
			const cJSON *a = cJSON_GetObjectItem(items, kinds[k]);
			n += cJSON_IsArray(a) ? cJSON_GetArraySize(a) : cJSON_IsObject(a) ? 1 : 0;
		}
		if (n > 10 && !update)
			rc = sim_fail(c, "iot.common.InvalidFormattedParameter", "at most 10 functions per call.");
		else {
			work = cJSON_Duplicate(p->tsl, 1);
			/* UpdateThingModel may rename: drop the old identifier first. */
			if (update && ident != NULL) {
				for (k = 0; k < 3; k++) {
					cJSON *arr = cJSON_GetObjectItem(work, kinds[k]);
					int i = 0;
					const cJSON *it;
					cJSON_ArrayForEach(it, arr) {
						if (strcmp(cJSON_GetObjectItem(it, "identifier")->valuestring, ident) == 0) {
							cJSON_DeleteItemFromArray(arr, i);
							break;
						}
						i++;
					}
				}
			}
			if (sim_thingmodel_apply(work, items, update && ident == NULL, &cause) != 0)
				rc = sim_fail(c, strstr(cause, "already exists") != NULL ? "iot.prod.ThingModelNameDuplicated"
				    : "iot.common.InvalidFormattedParameter", "%s", cause);
			else if ((s = cJSON_PrintUnformatted(work)) != NULL && strlen(s) > TSL_MAX) {
				free(s);
				rc = sim_fail(c, "iot.common.UpdateThingModelOverLimit", "the TSL is over 256 KB.");
			} else {
				free(s);
				cJSON_Delete(p->tsl);
				p->tsl = work;
				work = NULL;
				rc = 0;
			}
		}
	}
	free(cause);
	cJSON_Delete(work);
	cJSON_Delete(items);
	return rc;
}

static int
delete_thing_model(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	static const char *const params[] = { "PropertyIdentifier", "ServiceIdentifier", "EventIdentifier" };
	static const char *const kinds[] = { "properties", "services", "events" };
	const char **ids;
	size_t k, i, n;

	if (p == NULL)
		return -1;
	if (p->released)
		return sim_fail(c, "iot.prod.ProductReleased", "a released product's thing model cannot change.");
	for (k = 0; k < 3; k++) {
		cJSON *arr = cJSON_GetObjectItem(p->tsl, kinds[k]);
		n = sim_arg_list(c, params[k], &ids);
		for (i = 0; i < n; i++) {
			int idx = 0;
			const cJSON *it;
			cJSON_ArrayForEach(it, arr) {
				if (strcmp(cJSON_GetObjectItem(it, "identifier")->valuestring, ids[i]) == 0) {
					cJSON_DeleteItemFromArray(arr, idx);
					break;
				}
				idx++;
			}
		}
		free(ids);
	}
	return 0;
}

static int
import_thing_model_tsl(struct sim_call *c)
{
	struct sim_product *p = need_senior(c, "ProductKey");
	const char *s = sim_arg(c, "TslStr");
	cJSON *tsl;

	if (p == NULL)
		return -1;
	if (s == NULL)
		return sim_gw_fail(c, 400, "MissingTslStr", "TslStr is mandatory for this action (TslUrl is not simulated).");
	if (strlen(s) > TSL_MAX)
		return sim_fail(c, "iot.common.UpdateThingModelOverLimit", "the TSL is over 256 KB.");
	tsl = cJSON_Parse(s);
	if (!cJSON_IsObject(tsl) || !cJSON_IsArray(cJSON_GetObjectItem(tsl, "properties"))) {
		cJSON_Delete(tsl);
		return sim_fail(c, "iot.common.InvalidFormattedParameter", "TslStr is not a TSL object with properties.");
	}
	if (!cJSON_IsArray(cJSON_GetObjectItem(tsl, "services")))
		cJSON_AddItemToObject(tsl, "services", cJSON_CreateArray());
	if (!cJSON_IsArray(cJSON_GetObjectItem(tsl, "events")))
		cJSON_AddItemToObject(tsl, "events", cJSON_CreateArray());
	cJSON_Delete(p->tsl);
	p->tsl = tsl;
	return 0;
}

static int
copy_thing_model(struct sim_call *c)
{
	struct sim_product *src = need_senior(c, "SourceProductKey"), *dst;
	const char *ver = sim_arg(c, "SourceModelVersion");
	const cJSON *v, *from = NULL;
	cJSON *copy;

	if (src == NULL || (dst = need_senior(c, "TargetProductKey")) == NULL)
		return -1;
	if (ver == NULL)
		from = src->tsl;
	else {
		cJSON_ArrayForEach(v, src->versions)
			if (strcmp(cJSON_GetObjectItem(v, "version")->valuestring, ver) == 0)
				from = cJSON_GetObjectItem(v, "tsl");
		if (from == NULL)
			return sim_fail(c, "iot.prod.QueryProductAbilitiesFailed", "the thing model version does not exist.");
	}
	/* Copied before the old one goes: the source may be the target itself (from is
	 * then dst->tsl). */
	copy = cJSON_Duplicate(from, 1);
	cJSON_Delete(dst->tsl);
	dst->tsl = copy;
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(dst->tsl, "profile"), "productKey",
	    cJSON_CreateString(dst->key));
	return 0;
}

static int
list_thing_templates(struct sim_call *c)
{
	cJSON *arr = cJSON_AddArrayToObject(c->out, "Data");
	unsigned i;

	for (i = 0; i < sim_template_count; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "CategoryKey", sim_templates[i].category_key);
		cJSON_AddStringToObject(o, "CategoryName", sim_templates[i].category_name);
		cJSON_AddItemToArray(arr, o);
	}
	return 0;
}

static int
get_thing_template(struct sim_call *c)
{
	const char *key = sim_arg(c, "CategoryKey");
	unsigned i;

	for (i = 0; i < sim_template_count; i++) {
		if (strcmp(sim_templates[i].category_key, key) == 0) {
			cJSON *tsl = sim_tsl_build(i, ""), *m;
			char *s;
			m = sim_thingmodel_from_tsl(tsl, "", "1.0", 0);
			cJSON_DeleteItemFromObject(m, "productKey");
			s = cJSON_PrintUnformatted(m);
			cJSON_AddStringToObject(c->out, "ThingModelJSON", s);
			free(s);
			cJSON_Delete(m);
			cJSON_Delete(tsl);
			return 0;
		}
	}
	return sim_fail(c, "iot.prod.InvalidFormattedCatId", "the category does not exist.");
}

const struct sim_handler sim_thing_handlers[] = {
	{ ACT_GetThingModelTsl, get_thing_model_tsl },
	{ ACT_GetThingModelTslPublished, get_thing_model_tsl_published },
	{ ACT_QueryThingModel, query_thing_model },
	{ ACT_QueryThingModelPublished, query_thing_model_published },
	{ ACT_ListThingModelVersion, list_thing_model_version },
	{ ACT_PublishThingModel, publish_thing_model },
	{ ACT_CreateThingModel, create_update_thing_model },
	{ ACT_UpdateThingModel, create_update_thing_model },
	{ ACT_DeleteThingModel, delete_thing_model },
	{ ACT_ImportThingModelTsl, import_thing_model_tsl },
	{ ACT_CopyThingModel, copy_thing_model },
	{ ACT_ListThingTemplates, list_thing_templates },
	{ ACT_GetThingTemplate, get_thing_template },
	{ NULL, NULL }
};
