/* h_device.c — device management (guide 4.8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "api/actions.h"
#include "core/buf.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "sim/handler.h"

/* Devices past this many rows need a NextToken (QueryDevice, guide 4.8.8). */
#define DEEP_PAGE_ROWS 10000
/* With a NextToken, CurrentPage*PageSize must stay below this. */
#define TOKEN_PAGE_ROWS 500000

static int
device_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 4 && n <= 32 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_@.:") == n;
}

/* Nickname: 4 to max wide (64 when registering, 32 when renaming: guide 4.8.1, 4.8.18),
 * Chinese characters (2 wide), letters, digits and '_'. */
static int
nickname_ok(const char *s, int max)
{
	int w = sim_name_width(s, "_", 1);

	return w >= 4 && w <= max;
}

static void
ip_string(uint32_t ip, char out[16])
{
	struct in_addr a;

	a.s_addr = htonl(ip);
	if (inet_ntop(AF_INET, &a, out, 16) == NULL)
		out[0] = '\0';
}

static const struct sim_product *
product_of(const struct sim_call *c, const struct sim_device *d)
{
	return &c->store->products[d->product];
}

static int
register_device(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	const char *name = sim_arg(c, "DeviceName"), *nick = sim_arg(c, "Nickname");
	char gen[24], iotid[32], secret[40];
	struct sim_device *d;
	cJSON *o;

	if (p == NULL)
		return -1;
	if (name != NULL && !device_name_ok(name))
		return sim_fail(c, "iot.device.InvalidFormattedDeviceName",
		    "device name format is invalid: 4-32 characters of letters, digits and -_@.:");
	if (nick != NULL && !nickname_ok(nick, 64))
		return sim_fail(c, "iot.device.InvalidDeviceNickNameExisted",
		    "nickname format is invalid: 4-64 characters (a Chinese character counts 2), letters, digits and _.");
	if (name == NULL) {
		sim_store_rand_chars(c->store, gen, 20);
		name = gen;
	}
	if (sim_store_device_by_name(c->store, (size_t)(p - c->store->products), name) != NULL)
		return sim_fail(c, "iot.device.AlreadyExistedDeviceName", "device name already exists.");
	sim_store_rand_chars(c->store, iotid, 20);
	memcpy(iotid + 20, "000100", 7);
	sim_store_rand_chars(c->store, secret, 32);
	d = sim_store_add_device(c->store, (size_t)(p - c->store->products), name, nick, iotid,
	    secret, sim_store_now(c->store));
	o = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(o, "DeviceName", d->name);
	cJSON_AddStringToObject(o, "ProductKey", p->key);
	cJSON_AddStringToObject(o, "DeviceSecret", d->secret);
	cJSON_AddStringToObject(o, "IotId", d->iotid);
	if (*d->nickname != '\0')
		cJSON_AddStringToObject(o, "Nickname", d->nickname);
	return 0;
}

static int
query_device_info(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	cJSON *o;

	if (d == NULL)
		return -1;
	o = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(o, "IotId", d->iotid);
	cJSON_AddStringToObject(o, "DeviceSecret", d->secret);
	cJSON_AddStringToObject(o, "ProductKey", product_of(c, d)->key);
	if (*d->nickname != '\0')
		cJSON_AddStringToObject(o, "Nickname", d->nickname);
	cJSON_AddStringToObject(o, "DeviceName", d->name);
	return 0;
}

/* The QueryDeviceDetail / BatchQueryDeviceDetail object. */
static cJSON *
detail(const struct sim_call *c, const struct sim_device *d, int batch)
{
	const struct sim_product *p = product_of(c, d);
	cJSON *o = cJSON_CreateObject();
	char ip[16];

	if (!batch)
		cJSON_AddBoolToObject(o, "Owner", 1);
	sim_add_time(o, "GmtActive", d->active, 1);
	cJSON_AddStringToObject(o, "DeviceName", d->name);
	cJSON_AddStringToObject(o, "ProductKey", p->key);
	cJSON_AddStringToObject(o, "DeviceSecret", d->secret);
	if (d->active != 0 && !batch) {
		ip_string(d->ip, ip);
		cJSON_AddStringToObject(o, "IpAddress", ip);
	}
	sim_add_time(o, "GmtCreate", d->created, 1);
	sim_add_time(o, "UtcCreate", d->created, 0);
	cJSON_AddStringToObject(o, "IotId", d->iotid);
	cJSON_AddStringToObject(o, "Status", sim_device_status_name(d));
	if (!batch)
		sim_add_time(o, "UtcOnline", d->online, 0);
	cJSON_AddStringToObject(o, "Region", "cn-shanghai");
	sim_add_time(o, "UtcActive", d->active, 0);
	if (*d->nickname != '\0')
		cJSON_AddStringToObject(o, "Nickname", d->nickname);
	cJSON_AddNumberToObject(o, "NodeType", p->node_type);
	if (!batch)
		sim_add_time(o, "GmtOnline", d->online, 1);
	cJSON_AddStringToObject(o, "ProductName", p->name);
	if (d->firmware != NULL)
		cJSON_AddStringToObject(o, "FirmwareVersion", d->firmware);
	return o;
}

static int
query_device_detail(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");

	if (d == NULL)
		return -1;
	cJSON_AddItemToObject(c->out, "Data", detail(c, d, 0));
	return 0;
}

static int
batch_query_device_detail(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	const char **names = NULL;
	size_t i, n;
	cJSON *arr;

	if (p == NULL)
		return -1;
	n = sim_arg_list(c, "DeviceName", &names);
	if (n > 100) {
		free(names);
		return sim_fail(c, "iot.device.TooManyDeviceNamesPerRequest", "at most 100 device names per call.");
	}
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "Data");
	for (i = 0; i < n; i++) {
		struct sim_device *d = sim_store_device_by_name(c->store,
		    (size_t)(p - c->store->products), names[i]);
		if (d != NULL)
			cJSON_AddItemToArray(arr, detail(c, d, 1));
	}
	free(names);
	return 0;
}

/* Opaque NextToken: base64 of "pi:offset:ndevs", checked on use. */
static char *
make_token(size_t pi, size_t offset)
{
	return xasprintf("SIMTOKEN.%zx.%zx", pi, offset);
}

static int
parse_token(const char *t, size_t *pi, size_t *offset)
{
	unsigned long a, b;
	int n = 0;

	if (sscanf(t, "SIMTOKEN.%lx.%lx%n", &a, &b, &n) != 2 || t[n] != '\0')
		return -1;
	*pi = a;
	*offset = b;
	return 0;
}

static cJSON *
device_info(const struct sim_call *c, const struct sim_device *d)
{
	cJSON *o = cJSON_CreateObject();
	char devid[24];

	snprintf(devid, sizeof devid, "%.20s", d->iotid);
	cJSON_AddStringToObject(o, "DeviceId", devid);
	cJSON_AddStringToObject(o, "DeviceName", d->name);
	cJSON_AddStringToObject(o, "ProductKey", product_of(c, d)->key);
	cJSON_AddStringToObject(o, "DeviceSecret", d->secret);
	sim_add_time(o, "UtcModified", d->modified, 0);
	sim_add_time(o, "GmtCreate", d->created, 2);
	sim_add_time(o, "UtcCreate", d->created, 0);
	sim_add_time(o, "GmtModified", d->modified, 2);
	cJSON_AddStringToObject(o, "IotId", d->iotid);
	cJSON_AddStringToObject(o, "DeviceStatus", sim_device_status_name(d));
	if (*d->nickname != '\0')
		cJSON_AddStringToObject(o, "Nickname", d->nickname);
	return o;
}

static int
query_device(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	const char *token = sim_arg(c, "NextToken");
	long page, size;
	size_t pi, tpi, start, i, total;
	cJSON *arr;
	char *next;

	if (p == NULL)
		return -1;
	if (sim_arg_long(c, "CurrentPage", 1, -2147483647L, 2147483647L, &page) != 0 ||
	    sim_arg_long(c, "PageSize", 10, -2147483647L, 2147483647L, &size) != 0)
		return -1;
	if (page < 1 || size < 1 || size > 50)
		return sim_fail(c, "iot.common.InvalidPageParams", "page size or page number is invalid.");
	pi = (size_t)(p - c->store->products);
	total = p->ndevs;
	if (token != NULL) {
		if (page * size >= TOKEN_PAGE_ROWS)
			return sim_fail(c, "iot.common.InvalidPageParams",
			    "with NextToken, CurrentPage*PageSize must be less than 500000.");
		if (parse_token(token, &tpi, &start) != 0 || tpi != pi)
			return sim_fail(c, "iot.common.InvalidFormattedParameter", "NextToken is invalid.");
	} else {
		if (page * size > DEEP_PAGE_ROWS)
			return sim_fail(c, "iot.common.InvalidPageParams",
			    "NextToken is required when CurrentPage*PageSize exceeds 10000.");
		start = (size_t)(page - 1) * (size_t)size;
	}
	cJSON_AddNumberToObject(c->out, "PageCount", (double)((total + (size_t)size - 1) / (size_t)size));
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "DeviceInfo");
	/* Newest first: offset k is p->devs[total - 1 - k]. */
	for (i = start; i < total && i < start + (size_t)size; i++)
		cJSON_AddItemToArray(arr, device_info(c, &c->store->devs[p->devs[total - 1 - i]]));
	if (start + (size_t)size < total) {
		next = make_token(pi, start + (size_t)size);
		cJSON_AddStringToObject(c->out, "NextToken", next);
		free(next);
	}
	cJSON_AddNumberToObject(c->out, "Page", (double)page);
	cJSON_AddNumberToObject(c->out, "PageSize", (double)size);
	cJSON_AddNumberToObject(c->out, "Total", (double)total);
	return 0;
}

static int
delete_device(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");

	if (d == NULL)
		return -1;
	sim_store_delete_device(c->store, d);
	return 0;
}

static int
get_device_status(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, sim_arg(c, "IotId") != NULL ? "IotId" : "Id");
	cJSON *o;

	if (d == NULL)
		return -1;
	o = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(o, "Status", sim_device_status_name(d));
	cJSON_AddNumberToObject(o, "Timestamp", (double)d->status_at);
	return 0;
}

static int
batch_get_device_state(struct sim_call *c)
{
	const char **names = NULL, **ids = NULL;
	size_t n_names = sim_arg_list(c, "DeviceName", &names), n_ids = sim_arg_list(c, "IotId", &ids);
	struct sim_product *p = NULL;
	size_t i, n;
	cJSON *arr;
	int rc = -1;

	if (n_ids == 0 && n_names == 0) {
		sim_fail(c, "iot.device.NoneDeviceNameElement", "DeviceName.N or IotId.N is required.");
		goto fail;
	}
	n = n_ids > 0 ? n_ids : n_names;
	if (n > 50) {
		sim_fail(c, "iot.device.TooManyDeviceNamesPerRequest", "at most 50 devices per call.");
		goto fail;
	}
	if (n_ids == 0 && (p = sim_need_product(c)) == NULL)
		goto fail;
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "DeviceStatusList"), "DeviceStatus");
	for (i = 0; i < n; i++) {
		struct sim_device *d = n_ids > 0 ? sim_store_device_by_iotid(c->store, ids[i])
		    : sim_store_device_by_name(c->store, (size_t)(p - c->store->products), names[i]);
		cJSON *o;
		char devid[24], ip[16];
		if (d == NULL)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Status", sim_device_status_name(d));
		snprintf(devid, sizeof devid, "%.20s", d->iotid);
		cJSON_AddStringToObject(o, "DeviceId", devid);
		cJSON_AddStringToObject(o, "DeviceName", d->name);
		if (d->active != 0) {
			ip_string(d->ip, ip);
			cJSON_AddStringToObject(o, "AsAddress", ip);
		}
		sim_add_time(o, "LastOnlineTime", d->online, 1);
		cJSON_AddStringToObject(o, "IotId", d->iotid);
		cJSON_AddItemToArray(arr, o);
	}
	rc = 0;
fail:
	free(names);
	free(ids);
	return rc;
}

static int
disable_enable(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");

	if (d == NULL)
		return -1;
	d->disabled = strcmp(c->action, ACT_DisableThing) == 0;
	d->modified = d->status_at = sim_store_now(c->store);
	return 0;
}

static int
batch_update_device_nickname(struct sim_call *c)
{
	char key[80];
	size_t i, n;
	struct sim_device **devs = NULL;
	const char **nicks = NULL;
	int rc = -1;

	for (n = 0;; n++) {
		snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.Nickname", n + 1);
		if (params_get(c->p, key) == NULL) {
			snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.IotId", n + 1);
			if (params_get(c->p, key) == NULL) {
				snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.DeviceName", n + 1);
				if (params_get(c->p, key) == NULL)
					break;
			}
		}
	}
	/* Every DeviceNicknameInfo parameter is optional (guide 4.8.18): none is nothing to do. */
	if (n == 0)
		return 0;
	devs = xcalloc(n, sizeof *devs);
	nicks = xcalloc(n, sizeof *nicks);
	/* Validate everything first: the call changes all nicknames or none. */
	for (i = 0; i < n; i++) {
		struct sim_product *p;
		const char *iotid, *pk, *dn;
		snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.IotId", i + 1);
		iotid = sim_arg(c, key);
		snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.ProductKey", i + 1);
		pk = sim_arg(c, key);
		snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.DeviceName", i + 1);
		dn = sim_arg(c, key);
		snprintf(key, sizeof key, "DeviceNicknameInfo.%zu.Nickname", i + 1);
		nicks[i] = params_get(c->p, key);
		if (iotid != NULL)
			devs[i] = sim_store_device_by_iotid(c->store, iotid);
		else if (pk != NULL && dn != NULL && (p = sim_store_product(c->store, pk)) != NULL)
			devs[i] = sim_store_device_by_name(c->store, (size_t)(p - c->store->products), dn);
		if (devs[i] == NULL) {
			sim_fail(c, "iot.device.NotExistedDevice", "device %zu does not exist.", i + 1);
			goto fail;
		}
		if (nicks[i] != NULL && *nicks[i] != '\0' && !nickname_ok(nicks[i], 32)) {
			sim_fail(c, "iot.device.InvalidDeviceNickNameExisted",
			    "nickname %zu is invalid: 4-32 characters (a Chinese character counts 2), letters, digits and _.",
			    i + 1);
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		devs[i]->nickname = sim_store_intern(c->store, nicks[i] != NULL ? nicks[i] : "");
		devs[i]->modified = sim_store_now(c->store);
		sim_call_target(c, devs[i], SIM_REACH_IF_OK);
	}
	rc = 0;
fail:
	free(devs);
	free(nicks);
	return rc;
}

static int
status_code(long s)
{
	switch (s) {
	case 0: return SIM_DEV_UNACTIVE;
	case 1: return SIM_DEV_ONLINE;
	case 3: return SIM_DEV_OFFLINE;
	case 8: return 8;
	default: return -1;
	}
}

static int
status_matches(const struct sim_device *d, int want)
{
	if (want == 8)
		return d->disabled;
	return !d->disabled && d->status == want;
}

static int
query_device_by_status(struct sim_call *c)
{
	const char *pk = sim_arg(c, "ProductKey");
	struct sim_product *only = NULL;
	long st, page, size;
	size_t total = 0, skip, shown = 0, pi, k;
	int want;
	cJSON *arr;

	if (sim_arg_long(c, "Status", 0, -2147483647L, 2147483647L, &st) != 0 ||
	    sim_arg_long(c, "CurrentPage", 1, -2147483647L, 2147483647L, &page) != 0 ||
	    sim_arg_long(c, "PageSize", 10, -2147483647L, 2147483647L, &size) != 0)
		return -1;
	if ((want = status_code(st)) < 0)
		return sim_gw_fail(c, 400, "InvalidStatus", "The specified parameter Status is not valid (0, 1, 3 or 8).");
	if (page < 1 || size < 1 || size > 50)
		return sim_fail(c, "iot.common.InvalidPageParams", "page size or page number is invalid.");
	if (pk != NULL && (only = sim_need_product(c)) == NULL)
		return -1;
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (pi = c->store->nproducts; pi-- > 0;) {
		struct sim_product *p = &c->store->products[pi];
		if (p->deleted || (only != NULL && only != p))
			continue;
		for (k = p->ndevs; k-- > 0;) {
			const struct sim_device *d = &c->store->devs[p->devs[k]];
			cJSON *o;
			if (!status_matches(d, want))
				continue;
			total++;
			if (skip > 0) {
				skip--;
				continue;
			}
			if (shown >= (size_t)size)
				continue;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "IotId", d->iotid);
			cJSON_AddStringToObject(o, "DeviceName", d->name);
			cJSON_AddStringToObject(o, "ProductKey", p->key);
			cJSON_AddStringToObject(o, "DeviceSecret", d->secret);
			sim_add_time(o, "UtcModified", d->modified, 0);
			sim_add_time(o, "GmtCreate", d->created, 1);
			sim_add_time(o, "UtcCreate", d->created, 0);
			sim_add_time(o, "GmtModified", d->modified, 1);
			cJSON_AddStringToObject(o, "Status", sim_device_status_name(d));
			if (*d->nickname != '\0')
				cJSON_AddStringToObject(o, "Nickname", d->nickname);
			cJSON_AddItemToArray(arr, o);
			shown++;
		}
	}
	/* The SDK model reads Page/PageCount/PageSize/Total; the guide's example shows
	 * CurrentPage/TotalPageCount/TotalCount: send both. */
	cJSON_AddNumberToObject(c->out, "Page", (double)page);
	cJSON_AddNumberToObject(c->out, "CurrentPage", (double)page);
	cJSON_AddNumberToObject(c->out, "PageSize", (double)size);
	cJSON_AddNumberToObject(c->out, "PageCount", (double)((total + (size_t)size - 1) / (size_t)size));
	cJSON_AddNumberToObject(c->out, "TotalPageCount", (double)((total + (size_t)size - 1) / (size_t)size));
	cJSON_AddNumberToObject(c->out, "Total", (double)total);
	cJSON_AddNumberToObject(c->out, "TotalCount", (double)total);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleDeviceInfo", arr);
	return 0;
}

static int
query_device_statistics(struct sim_call *c)
{
	const char *pk = sim_arg(c, "ProductKey");
	struct sim_product *only = NULL;
	size_t pi, k, count = 0, active = 0, online = 0;
	cJSON *o;

	if (pk != NULL && (only = sim_need_product(c)) == NULL)
		return -1;
	for (pi = 0; pi < c->store->nproducts; pi++) {
		struct sim_product *p = &c->store->products[pi];
		if (p->deleted || (only != NULL && only != p))
			continue;
		for (k = 0; k < p->ndevs; k++) {
			const struct sim_device *d = &c->store->devs[p->devs[k]];
			count++;
			if (d->active != 0)
				active++;
			if (!d->disabled && d->status == SIM_DEV_ONLINE)
				online++;
		}
	}
	o = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddNumberToObject(o, "deviceCount", (double)count);
	cJSON_AddNumberToObject(o, "activeCount", (double)active);
	cJSON_AddNumberToObject(o, "onlineCount", (double)online);
	return 0;
}

static int
query_device_prop(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	char *s;

	if (d == NULL)
		return -1;
	s = d->x != NULL && d->x->props != NULL ? cJSON_PrintUnformatted(d->x->props) : xstrdup("{}");
	cJSON_AddStringToObject(c->out, "Props", s);
	free(s);
	return 0;
}

static int
save_device_prop(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	const char *props = sim_arg(c, "Props");
	struct sim_devx *x;
	cJSON *in, *kv;
	int n;

	if (d == NULL)
		return -1;
	in = cJSON_Parse(props);
	if (!cJSON_IsObject(in)) {
		cJSON_Delete(in);
		return sim_fail(c, "iot.device.InvalidFormattedDevicePropertiesString",
		    "Props must be a JSON object of strings.");
	}
	if (strlen(props) > 5120) {
		cJSON_Delete(in);
		return sim_fail(c, "iot.device.LongDevicePropertiesString", "Props is longer than 5 KB.");
	}
	/* Tags are Key:Value with string values (guide 4.8.23; no key format is documented,
	 * only that a key names the tag). */
	cJSON_ArrayForEach(kv, in) {
		if (*kv->string == '\0' || !cJSON_IsString(kv)) {
			cJSON_Delete(in);
			return sim_fail(c, "iot.device.InvalidFormattedDevicePropertyKey",
			    "tags are non-empty keys with string values.");
		}
	}
	x = sim_store_devx(d);
	if (x->props == NULL)
		x->props = cJSON_CreateObject();
	n = cJSON_GetArraySize(x->props);
	cJSON_ArrayForEach(kv, in) {
		if (cJSON_GetObjectItem(x->props, kv->string) == NULL)
			n++;
	}
	if (n > 100) {
		cJSON_Delete(in);
		return sim_fail(c, "iot.device.TooManyDevicePropertiesPerTime", "a device holds at most 100 tags.");
	}
	cJSON_ArrayForEach(kv, in) {
		cJSON_DeleteItemFromObjectCaseSensitive(x->props, kv->string);
		cJSON_AddStringToObject(x->props, kv->string, kv->valuestring);
	}
	cJSON_Delete(in);
	return 0;
}

static int
delete_device_prop(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");

	if (d == NULL)
		return -1;
	if (d->x != NULL && d->x->props != NULL)
		cJSON_DeleteItemFromObjectCaseSensitive(d->x->props, sim_arg(c, "PropKey"));
	return 0;
}

/* ---- batch registration (4.8.15-4.8.20) -------------------------------------------- */

/* At most this many devices per batch (the guide prints "1,0000"). */
#define BATCH_MAX 10000

static struct sim_apply *
new_apply(struct sim_call *c, size_t pi)
{
	struct sim_store *s = c->store;
	struct sim_apply *a;

	s->applies = xreallocarray(s->applies, s->napplies + 1, sizeof *s->applies);
	a = &s->applies[s->napplies++];
	memset(a, 0, sizeof *a);
	a->id = 1295000 + (long)s->napplies;
	a->product = pi;
	return a;
}

static struct sim_apply *
need_apply(struct sim_call *c)
{
	const char *id = sim_arg(c, "ApplyId");
	size_t i;

	if (id == NULL) {
		sim_fail(c, "iot.device.NullApplyId", "ApplyId is null.");
		return NULL;
	}
	for (i = 0; i < c->store->napplies; i++)
		if (c->store->applies[i].id == atol(id))
			return &c->store->applies[i];
	sim_fail(c, "iot.device.DeviceApplyIsNotFound", "the apply does not exist.");
	return NULL;
}

static void
apply_add(struct sim_apply *a, const char *name, const char *nick)
{
	a->names = xreallocarray(a->names, a->n + 1, sizeof *a->names);
	a->nicks = xreallocarray(a->nicks, a->n + 1, sizeof *a->nicks);
	a->names[a->n] = xstrdup(name);
	a->nicks[a->n] = xstrdup(nick != NULL ? nick : "");
	a->n++;
}

static int
batch_check_device_names(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	cJSON *bad_names = cJSON_CreateArray(), *bad_nicks = cJSON_CreateArray();
	const char **legacy = NULL;
	size_t n, i, k, pi;
	char key[80];
	struct sim_apply *a;
	int rc = -1, use_list;

	if (p == NULL)
		goto out;
	pi = (size_t)(p - c->store->products);
	/* DeviceNameList.N.DeviceName, or else DeviceName.N (guide 4.8.15: the list wins
	 * when both are passed). Either way every name counted is there. */
	for (n = 0;; n++) {
		snprintf(key, sizeof key, "DeviceNameList.%zu.DeviceName", n + 1);
		if (params_get(c->p, key) == NULL)
			break;
	}
	use_list = n > 0;
	legacy = NULL;
	if (!use_list)
		n = sim_arg_list(c, "DeviceName", &legacy);
	if (n == 0) {
		sim_fail(c, "iot.device.NoneDeviceNameElement", "no device names.");
		goto out_free;
	}
	/* Names past the 10,000th are dropped (guide 4.8.15). */
	if (n > BATCH_MAX)
		n = BATCH_MAX;
	a = new_apply(c, pi);
	for (i = 0; i < n; i++) {
		const char *name, *nick = NULL;
		int dup = 0;
		if (!use_list)
			name = legacy[i];
		else {
			snprintf(key, sizeof key, "DeviceNameList.%zu.DeviceName", i + 1);
			name = params_get(c->p, key);
			snprintf(key, sizeof key, "DeviceNameList.%zu.DeviceNickname", i + 1);
			nick = sim_arg(c, key);
		}
		for (k = 0; k < a->n && !dup; k++)
			dup = strcmp(a->names[k], name) == 0;
		if (!device_name_ok(name) || dup || sim_store_device_by_name(c->store, pi, name) != NULL) {
			cJSON_AddItemToArray(bad_names, cJSON_CreateString(name));
			continue;
		}
		if (nick != NULL && !nickname_ok(nick, 64)) {
			cJSON_AddItemToArray(bad_nicks, cJSON_CreateString(nick));
			continue;
		}
		apply_add(a, name, nick);
	}
	if (cJSON_GetArraySize(bad_names) > 0 || cJSON_GetArraySize(bad_nicks) > 0) {
		cJSON *d = cJSON_AddObjectToObject(c->out, "Data");
		if (cJSON_GetArraySize(bad_names) > 0) {
			cJSON_AddItemToObject(cJSON_AddObjectToObject(d, "InvalidDeviceNameList"), "InvalidDeviceName", bad_names);
			bad_names = NULL;
		}
		if (cJSON_GetArraySize(bad_nicks) > 0) {
			cJSON_AddItemToObject(cJSON_AddObjectToObject(d, "InvalidDeviceNicknameList"), "InvalidDeviceNickname", bad_nicks);
			bad_nicks = NULL;
		}
		c->store->napplies--;
		for (k = 0; k < a->n; k++) {
			free(a->names[k]);
			free(a->nicks[k]);
		}
		free(a->names);
		free(a->nicks);
		sim_fail(c, "iot.device.InvalidFormattedDeviceName",
		    "some device names or nicknames are invalid or already exist.");
		goto out_free;
	}
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(c->out, "Data"), "ApplyId", (double)a->id);
	rc = 0;
out_free:
	free(legacy);
out:
	cJSON_Delete(bad_names);
	cJSON_Delete(bad_nicks);
	return rc;
}

/* Creates the apply's devices (names already checked; a name taken since is skipped). */
static void
apply_create(struct sim_call *c, struct sim_apply *a)
{
	size_t i;
	char iotid[32], secret[40];

	a->devs = xreallocarray(NULL, a->n ? a->n : 1, sizeof *a->devs);
	for (i = 0; i < a->n; i++) {
		struct sim_device *d;
		if ((d = sim_store_device_by_name(c->store, a->product, a->names[i])) == NULL) {
			sim_store_rand_chars(c->store, iotid, 20);
			memcpy(iotid + 20, "000100", 7);
			sim_store_rand_chars(c->store, secret, 32);
			d = sim_store_add_device(c->store, a->product, a->names[i], a->nicks[i], iotid,
			    secret, sim_store_now(c->store));
		}
		a->devs[i] = sim_store_device_index(c->store, d);
	}
	a->created = 1;
}

static int
batch_register_device_with_apply_id(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_apply *a;

	if (p == NULL || (a = need_apply(c)) == NULL)
		return -1;
	if (a->product != (size_t)(p - c->store->products))
		return sim_fail(c, "iot.device.IncorrentDeviceApplyInfo", "the apply belongs to another product.");
	if (!a->created)
		apply_create(c, a);
	/* The guide's example sends this ApplyId as a string. */
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(c->out, "Data"), "ApplyId", (double)a->id);
	return 0;
}

static int
batch_register_device(struct sim_call *c)
{
	struct sim_product *p = sim_need_product(c);
	struct sim_apply *a;
	long count;
	char name[24];
	long i;

	if (p == NULL || sim_arg_long(c, "Count", 0, 1, BATCH_MAX, &count) != 0)
		return -1;
	a = new_apply(c, (size_t)(p - c->store->products));
	for (i = 0; i < count; i++) {
		sim_store_rand_chars(c->store, name, 20);
		apply_add(a, name, NULL);
	}
	apply_create(c, a);
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(c->out, "Data"), "ApplyId", (double)a->id);
	return 0;
}

static int
query_batch_register_device_status(struct sim_call *c)
{
	struct sim_apply *a = need_apply(c);
	cJSON *d, *valid;
	size_t i;

	if (a == NULL)
		return -1;
	d = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(d, "Status", a->created ? "CREATE_SUCCESS" : "CHECK_SUCCESS");
	valid = cJSON_AddArrayToObject(cJSON_AddObjectToObject(d, "ValidList"), "Name");
	for (i = 0; i < a->n; i++)
		cJSON_AddItemToArray(valid, cJSON_CreateString(a->names[i]));
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(d, "InvalidList"), "Name");
	return 0;
}

static int
query_page_by_apply_id(struct sim_call *c)
{
	struct sim_apply *a = need_apply(c);
	long page, size;
	size_t i, start, total;
	cJSON *arr;

	if (a == NULL || sim_arg_long(c, "CurrentPage", 1, -2147483647L, 2147483647L, &page) != 0 ||
	    sim_arg_long(c, "PageSize", 10, -2147483647L, 2147483647L, &size) != 0)
		return -1;
	if (page < 1 || size < 1 || size > 50)
		return sim_fail(c, "iot.common.InvalidPageParams", "page size or page number is invalid.");
	total = a->created ? a->n : 0;
	start = (size_t)(page - 1) * (size_t)size;
	cJSON_AddNumberToObject(c->out, "PageCount", (double)((total + (size_t)size - 1) / (size_t)size));
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "ApplyDeviceList"), "ApplyDeviceInfo");
	for (i = start; i < total && i < start + (size_t)size; i++) {
		const struct sim_device *d = &c->store->devs[a->devs[i]];
		cJSON *o = cJSON_CreateObject();
		char devid[24];
		snprintf(devid, sizeof devid, "%.20s", d->iotid);
		cJSON_AddStringToObject(o, "DeviceId", devid);
		cJSON_AddStringToObject(o, "DeviceName", d->name);
		cJSON_AddStringToObject(o, "DeviceSecret", d->secret);
		cJSON_AddStringToObject(o, "IotId", d->iotid);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddNumberToObject(c->out, "Page", (double)page);
	cJSON_AddNumberToObject(c->out, "PageSize", (double)size);
	cJSON_AddNumberToObject(c->out, "Total", (double)total);
	return 0;
}

/* A device's tag (sim_tags_match): its value when it is a string. */
static const char *
device_tag(const void *obj, const char *key)
{
	const struct sim_device *d = obj;
	const cJSON *v = d->x != NULL ? cJSON_GetObjectItem(d->x->props, key) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
query_device_by_tags(struct sim_call *c)
{
	long page, size;
	size_t i, ntags = sim_arg_tag_count(c), total = 0, skip, shown = 0;
	cJSON *arr;

	if (sim_page_args(c, 50, &page, &size) != 0)
		return -1;
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (i = 0; i < c->store->ndevs; i++) {
		const struct sim_device *d = &c->store->devs[i];
		cJSON *o;
		if (d->deleted || d->x == NULL || d->x->props == NULL ||
		    !sim_tags_match(c, ntags, device_tag, d) || total++ < skip || shown >= (size_t)size)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "DeviceName", d->name);
		cJSON_AddStringToObject(o, "ProductKey", product_of(c, d)->key);
		cJSON_AddStringToObject(o, "IotId", d->iotid);
		cJSON_AddStringToObject(o, "ProductName", product_of(c, d)->name);
		cJSON_AddItemToArray(arr, o);
		shown++;
	}
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleDeviceInfo", arr);
	sim_add_paging(c->out, "Page", page, size, total);
	return 0;
}

static int
reset_thing(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	char job[24];

	if (d == NULL)
		return -1;
	/* Resetting clears the device's topology and identity binding; it comes back as
	 * never activated. */
	d->status = SIM_DEV_UNACTIVE;
	d->active = d->online = 0;
	d->modified = d->status_at = sim_store_now(c->store);
	sim_store_rand_chars(c->store, job, 16);
	cJSON_AddStringToObject(c->out, "JobId", job);
	return 0;
}

const struct sim_handler sim_device_handlers[] = {
	{ ACT_RegisterDevice, register_device },
	{ ACT_QueryDeviceInfo, query_device_info },
	{ ACT_QueryDeviceDetail, query_device_detail },
	{ ACT_BatchQueryDeviceDetail, batch_query_device_detail },
	{ ACT_QueryDevice, query_device },
	{ ACT_DeleteDevice, delete_device },
	{ ACT_GetDeviceStatus, get_device_status },
	{ ACT_BatchGetDeviceState, batch_get_device_state },
	{ ACT_DisableThing, disable_enable },
	{ ACT_EnableThing, disable_enable },
	{ ACT_BatchUpdateDeviceNickname, batch_update_device_nickname },
	{ ACT_QueryDeviceByStatus, query_device_by_status },
	{ ACT_QueryDeviceStatistics, query_device_statistics },
	{ ACT_QueryDeviceProp, query_device_prop },
	{ ACT_SaveDeviceProp, save_device_prop },
	{ ACT_DeleteDeviceProp, delete_device_prop },
	{ ACT_BatchCheckDeviceNames, batch_check_device_names },
	{ ACT_BatchRegisterDeviceWithApplyId, batch_register_device_with_apply_id },
	{ ACT_BatchRegisterDevice, batch_register_device },
	{ ACT_QueryBatchRegisterDeviceStatus, query_batch_register_device_status },
	{ ACT_QueryPageByApplyId, query_page_by_apply_id },
	{ ACT_QueryDeviceByTags, query_device_by_tags },
	{ ACT_ResetThing, reset_thing },
	{ NULL, NULL }
};
