/* h_product.c — product management (guide 4.7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/ota.h"
#include "sim/tsl.h"

/* Product name width: a Chinese (non-ASCII) character counts 2 (guide 4.7.1). Returns -1
 * for invalid UTF-8 or characters outside the allowed set. */
static int
name_width(const char *s, int allow_more)
{
	return sim_name_width(s, allow_more ? "_-@() ." : "_-@()", 0);
}

static int
check_name(struct sim_call *c, const char *name)
{
	int w = name_width(name, 0);

	if (w < 4 || w > 30)
		return sim_fail(c, "iot.prod.InvalidFormattedProductName",
		    "product name format is invalid: 4-30 characters (a Chinese character counts 2), letters, digits, _-@().");
	return 0;
}

static int
query_product_list(struct sim_call *c)
{
	long page, size;
	const char *code = sim_arg(c, "AliyunCommodityCode");
	struct sim_store *s = c->store;
	size_t i, total = 0, skip, shown = 0;
	cJSON *data, *list, *arr;

	if (sim_arg_long(c, "CurrentPage", 1, -2147483647L, 2147483647L, &page) != 0 ||
	    sim_arg_long(c, "PageSize", 10, -2147483647L, 2147483647L, &size) != 0)
		return -1;
	if (page < 1 || size < 1 || size > 200)
		return sim_fail(c, "iot.common.InvalidPageParams", "page size or page number is invalid.");
	if (code != NULL && strcmp(code, "iothub_senior") != 0 && strcmp(code, "iothub") != 0)
		return sim_fail(c, "iot.prod.InvalidAliyunCommodityCode",
		    "AliyunCommodityCode must be iothub_senior or iothub.");
	for (i = 0; i < s->nproducts; i++)
		if (!s->products[i].deleted && (code == NULL || strcmp(s->products[i].commodity, code) == 0))
			total++;
	data = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddNumberToObject(data, "PageCount", (double)((total + (size_t)size - 1) / (size_t)size));
	cJSON_AddNumberToObject(data, "PageSize", (double)size);
	list = cJSON_AddObjectToObject(data, "List");
	arr = cJSON_AddArrayToObject(list, "ProductInfo");
	skip = (size_t)(page - 1) * (size_t)size;
	/* Newest first. */
	for (i = s->nproducts; i-- > 0 && shown < (size_t)size;) {
		const struct sim_product *p = &s->products[i];
		cJSON *o;
		if (p->deleted || (code != NULL && strcmp(p->commodity, code) != 0))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "DataFormat", p->data_format);
		cJSON_AddStringToObject(o, "ProductKey", p->key);
		cJSON_AddNumberToObject(o, "NodeType", p->node_type);
		cJSON_AddStringToObject(o, "ProductName", p->name);
		cJSON_AddNumberToObject(o, "DeviceCount", (double)p->ndevs);
		cJSON_AddNumberToObject(o, "GmtCreate", (double)p->created);
		cJSON_AddStringToObject(o, "AuthType", p->auth_type);
		if (*p->description != '\0')
			cJSON_AddStringToObject(o, "Description", p->description);
		cJSON_AddItemToArray(arr, o);
		shown++;
	}
	cJSON_AddNumberToObject(data, "CurrentPage", (double)page);
	cJSON_AddNumberToObject(data, "Total", (double)total);
	return 0;
}

static int
query_product(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	cJSON *d;

	if (p == NULL)
		return -1;
	d = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddBoolToObject(d, "Owner", 1);
	if (*p->category_name != '\0')
		cJSON_AddStringToObject(d, "CategoryName", p->category_name);
	cJSON_AddNumberToObject(d, "DataFormat", p->data_format);
	cJSON_AddStringToObject(d, "ProductKey", p->key);
	cJSON_AddStringToObject(d, "ProductStatus", p->released ? "RELEASE_STATUS" : "DEVELOPMENT_STATUS");
	cJSON_AddNumberToObject(d, "GmtCreate", (double)p->created);
	cJSON_AddStringToObject(d, "ProductSecret", p->secret);
	cJSON_AddNumberToObject(d, "NodeType", p->node_type);
	cJSON_AddStringToObject(d, "ProductName", p->name);
	cJSON_AddNumberToObject(d, "ValidateType", p->validate_type);
	cJSON_AddNumberToObject(d, "DeviceCount", (double)p->ndevs);
	cJSON_AddNumberToObject(d, "NetType", p->net_type);
	cJSON_AddStringToObject(d, "AuthType", p->auth_type);
	if (*p->category_key != '\0')
		cJSON_AddStringToObject(d, "CategoryKey", p->category_key);
	cJSON_AddBoolToObject(d, "Id2", p->id2);
	cJSON_AddStringToObject(d, "AliyunCommodityCode", p->commodity);
	if (*p->protocol_type != '\0')
		cJSON_AddStringToObject(d, "ProtocolType", p->protocol_type);
	if (*p->description != '\0')
		cJSON_AddStringToObject(d, "Description", p->description);
	return 0;
}

static int
net_type_code(const char *s)
{
	if (s == NULL || strcmp(s, "WIFI") == 0)
		return 3;
	if (strcmp(s, "CELLULAR") == 0)
		return 6;
	if (strcmp(s, "ETHERNET") == 0)
		return 7;
	if (strcmp(s, "OTHER") == 0 || strcmp(s, "LORA") == 0)
		return 8;
	return -1;
}

static int
create_product(struct sim_call *c)
{
	const char *name = sim_arg(c, "ProductName"), *desc = sim_arg(c, "Description");
	const char *code = sim_arg(c, "AliyunCommodityCode"), *auth = sim_arg(c, "AuthType");
	const char *proto = sim_arg(c, "ProtocolType"), *cat = sim_arg(c, "CategoryKey");
	const char *rg = sim_arg(c, "ResourceGroupId");
	long node, fmt, validate;
	int id2, publish, net;
	struct sim_product p;
	char key[16], secret[24];
	cJSON *d;
	size_t pi;

	if (sim_arg_long(c, "NodeType", 0, -2147483647L, 2147483647L, &node) != 0)
		return -1;
	if (node != 0 && node != 1)
		return sim_fail(c, "iot.prod.InvalidNodeType", "NodeType must be 0 (device) or 1 (gateway).");
	if (check_name(c, name) != 0)
		return -1;
	if (sim_store_product_by_name(c->store, name) != NULL)
		return sim_fail(c, "iot.prod.AlreadyExistedProductName", "product name already exists.");
	if (desc != NULL && utf8_chars(desc) > 100)
		return sim_fail(c, "iot.prod.LongProductDesc", "product description is longer than 100 characters.");
	if (code != NULL && strcmp(code, "iothub_senior") != 0 && strcmp(code, "iothub") != 0)
		return sim_fail(c, "iot.prod.InvalidAliyunCommodityCode",
		    "AliyunCommodityCode must be iothub_senior or iothub.");
	if (sim_arg_long(c, "DataFormat", 1, 0, 1, &fmt) != 0 ||
	    sim_arg_long(c, "ValidateType", 1, 1, 2, &validate) != 0 ||
	    sim_arg_bool(c, "Id2", 0, &id2) != 0 || sim_arg_bool(c, "PublishAuto", 1, &publish) != 0)
		return -1;
	if (code != NULL && strcmp(code, "iothub_senior") == 0 && sim_arg(c, "DataFormat") == NULL)
		return sim_fail(c, "iot.prod.ProductDataFormatIsNull", "DataFormat is required for iothub_senior products.");
	if (auth != NULL && strcmp(auth, "secret") != 0 && strcmp(auth, "id2") != 0 &&
	    strcmp(auth, "x509") != 0)
		return sim_gw_fail(c, 400, "InvalidAuthType", "The specified parameter AuthType is not valid.");
	if (proto != NULL && strcmp(proto, "modbus") != 0 && strcmp(proto, "opc-ua") != 0 &&
	    strcmp(proto, "customize") != 0 && strcmp(proto, "ble") != 0 && strcmp(proto, "zigbee") != 0)
		return sim_gw_fail(c, 400, "InvalidProtocolType", "The specified parameter ProtocolType is not valid.");
	if ((net = net_type_code(sim_arg(c, "NetType"))) < 0)
		return sim_gw_fail(c, 400, "InvalidNetType", "The specified parameter NetType is not valid.");
	if (sim_arg(c, "NetType") != NULL && strcmp(sim_arg(c, "NetType"), "LORA") == 0 &&
	    sim_arg(c, "JoinPermissionId") == NULL)
		return sim_gw_fail(c, 400, "MissingJoinPermissionId", "JoinPermissionId is mandatory for this action.");

	memset(&p, 0, sizeof p);
	params_init(&p.tags);
	memcpy(key, "a1", 2);
	sim_store_rand_chars(c->store, key + 2, 9);
	sim_store_rand_chars(c->store, secret, 16);
	p.key = xstrdup(key);
	p.name = xstrdup(name);
	p.secret = xstrdup(secret);
	p.description = xstrdup(desc != NULL ? desc : "");
	p.commodity = xstrdup(code != NULL ? code : "iothub");
	p.auth_type = xstrdup(auth != NULL ? auth : "secret");
	p.category_key = xstrdup(cat != NULL ? cat : "");
	p.category_name = xstrdup("");
	p.protocol_type = xstrdup(proto != NULL ? proto : "");
	p.node_type = (int)node;
	p.data_format = code != NULL && strcmp(code, "iothub_senior") == 0 ? (int)fmt : 0;
	p.net_type = net;
	p.validate_type = (int)validate;
	p.id2 = id2;
	p.created = sim_store_now(c->store);
	p.tsl = cJSON_CreateObject();
	cJSON_AddStringToObject(p.tsl, "schema", "https://iotx-tsl.oss-ap-southeast-1.aliyuncs.com/schema.json");
	cJSON_AddItemToObject(p.tsl, "profile", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(p.tsl, "profile"), "productKey", key);
	cJSON_AddItemToObject(p.tsl, "properties", cJSON_CreateArray());
	cJSON_AddItemToObject(p.tsl, "events", cJSON_CreateArray());
	cJSON_AddItemToObject(p.tsl, "services", cJSON_CreateArray());
	p.versions = cJSON_CreateArray();
	pi = sim_store_add_product(c->store, &p);

	d = cJSON_AddObjectToObject(c->out, "Data");
	if (desc != NULL)
		cJSON_AddStringToObject(d, "Description", desc);
	cJSON_AddNumberToObject(d, "DataFormat", c->store->products[pi].data_format);
	if (proto != NULL)
		cJSON_AddStringToObject(d, "ProtocolType", proto);
	cJSON_AddStringToObject(d, "ProductKey", key);
	cJSON_AddStringToObject(d, "ProductSecret", secret);
	cJSON_AddNumberToObject(d, "NodeType", (double)node);
	cJSON_AddStringToObject(d, "ProductName", name);
	cJSON_AddStringToObject(d, "AliyunCommodityCode", c->store->products[pi].commodity);
	cJSON_AddStringToObject(d, "AuthType", c->store->products[pi].auth_type);
	cJSON_AddBoolToObject(d, "Id2", id2);
	if (rg != NULL)
		cJSON_AddStringToObject(d, "ResourceGroupId", rg);
	cJSON_AddStringToObject(c->out, "ProductKey", key);
	(void)publish;
	return 0;
}

static int
update_product(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c), *other;
	const char *name = sim_arg(c, "ProductName"), *desc = sim_arg(c, "Description");

	if (p == NULL || check_name(c, name) != 0)
		return -1;
	other = sim_store_product_by_name(c->store, name);
	if (other != NULL && other != p)
		return sim_fail(c, "iot.prod.AlreadyExistedProductName", "product name already exists.");
	if (desc != NULL && utf8_chars(desc) > 100)
		return sim_fail(c, "iot.prod.LongProductDesc", "product description is longer than 100 characters.");
	xstrset(&p->name, name);
	if (desc != NULL) {
		xstrset(&p->description, desc);
	}
	return 0;
}

/* Deleting a product deletes what belongs to it too (guide 4.7.5): its devices (newest
 * first, each in O(1)) and its OTA packages. */
static int
delete_product(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_ota *o;
	size_t i, pi;

	if (p == NULL)
		return -1;
	pi = (size_t)(p - c->store->products);
	while (p->ndevs > 0)
		sim_store_delete_device(c->store, &c->store->devs[p->devs[p->ndevs - 1]]);
	o = c->sim->ota;
	for (i = 0; i < o->nfw; i++)
		if (o->fw[i].product == pi)
			o->fw[i].deleted = 1;
	p->deleted = 1;
	return 0;
}

static int
release_product(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);

	if (p == NULL)
		return -1;
	p->released = strcmp(c->action, ACT_ReleaseProduct) == 0;
	return 0;
}

static int
list_product_tags(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	cJSON *arr, *data;
	size_t i;

	if (p == NULL)
		return -1;
	data = cJSON_AddObjectToObject(c->out, "Data");
	arr = cJSON_AddArrayToObject(data, "ProductTag");
	for (i = 0; i < p->tags.n; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "TagKey", p->tags.v[i].name);
		cJSON_AddStringToObject(t, "TagValue", p->tags.v[i].value);
		cJSON_AddItemToArray(arr, t);
	}
	return 0;
}

static int
tag_key_ok(const char *k)
{
	size_t n = strlen(k);

	return n > 0 && n <= 30 && strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static int
create_product_tags(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	char kname[64], vname[64];
	const char *k, *v;
	size_t i, n = 0;
	cJSON *bad = NULL;

	if (p == NULL)
		return -1;
	for (i = 1;; i++) {
		snprintf(kname, sizeof kname, "ProductTag.%zu.TagKey", i);
		snprintf(vname, sizeof vname, "ProductTag.%zu.TagValue", i);
		if ((k = params_get(c->p, kname)) == NULL)
			break;
		n++;
	}
	/* The tags are optional (guide 4.7.6, 4.7.7): none is nothing to do. At most 10 a
	 * call; no code is documented for more, the closest is the generic one. */
	if (n > 10)
		return sim_fail(c, "iot.common.InvalidFormattedParameter", "at most 10 tags per call.");
	for (i = 1; i <= n; i++) {
		snprintf(kname, sizeof kname, "ProductTag.%zu.TagKey", i);
		snprintf(vname, sizeof vname, "ProductTag.%zu.TagValue", i);
		k = params_get(c->p, kname);
		v = params_get(c->p, vname);
		if (!tag_key_ok(k) || v == NULL || *v == '\0' || utf8_chars(v) > 128 ||
		    (strcmp(c->action, ACT_CreateProductTags) == 0 && params_get(&p->tags, k) != NULL) ||
		    (strcmp(c->action, ACT_UpdateProductTags) == 0 && params_get(&p->tags, k) == NULL)) {
			cJSON *t;
			if (bad == NULL)
				bad = cJSON_CreateArray();
			t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "TagKey", k);
			cJSON_AddStringToObject(t, "TagValue", v != NULL ? v : "");
			cJSON_AddItemToArray(bad, t);
			continue;
		}
		params_set(&p->tags, k, v);
	}
	if (bad != NULL) {
		cJSON *w = cJSON_AddObjectToObject(c->out,
		    strcmp(c->action, ACT_CreateProductTags) == 0 ? "InvalidProductTags" : "InvalidProductTags");
		cJSON_AddItemToObject(w, "ProductTag", bad);
	}
	return 0;
}

static int
delete_product_tags(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	const char **keys;
	size_t i, n;

	if (p == NULL)
		return -1;
	n = sim_arg_list(c, "ProductTagKey", &keys);
	if (n > 10) {
		free(keys);
		return sim_fail(c, "iot.common.InvalidFormattedParameter", "at most 10 tags per call.");
	}
	for (i = 0; i < n; i++)
		params_del(&p->tags, keys[i]);
	free(keys);
	return 0;
}

const struct sim_handler sim_product_handlers[] = {
	{ ACT_QueryProductList, query_product_list },
	{ ACT_QueryProduct, query_product },
	{ ACT_CreateProduct, create_product },
	{ ACT_UpdateProduct, update_product },
	{ ACT_DeleteProduct, delete_product },
	{ ACT_ReleaseProduct, release_product },
	{ ACT_CancelReleaseProduct, release_product },
	{ ACT_ListProductTags, list_product_tags },
	{ ACT_CreateProductTags, create_product_tags },
	{ ACT_UpdateProductTags, create_product_tags },
	{ ACT_DeleteProductTags, delete_product_tags },
	{ NULL, NULL }
};
