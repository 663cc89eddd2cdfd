/* model.c — typed models of IoT Platform answers (see model.h).
 *
 * Every parser reads each field through jsonpath's lenient getters, so a field that is
 * missing or has a type that cannot be converted is simply left unset. A '|' in a field
 * path names an alias the API also uses (QueryDevice's DeviceStatus for Status).
 */
#include "api/model.h"

#include "api/actions.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/xmalloc.h"

/* ---- field helpers ------------------------------------------------------------------ */

static char *
get_str(const cJSON *o, const char *path)
{
	return jsonpath_strdup(o, path);
}

static int64_t
get_i64(const cJSON *o, const char *path)
{
	int64_t v = MODEL_NONE;

	jsonpath_int64(o, path, &v);
	return v;
}

static double
get_dbl(const cJSON *o, const char *path)
{
	double v = NAN;

	jsonpath_double(o, path, &v);
	return v;
}

/* A yes/no field: 1, 0, or -1 when not said. */
static int
get_tri(const cJSON *o, const char *path)
{
	int v = -1;

	jsonpath_bool(o, path, &v);
	return v;
}

/* Frees a string that held a secret after overwriting it. */
static void
free_secret(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/* Parses the list at path under o into a new array of count elements of size bytes,
 * calling parse on every object item (other items are skipped). Returns NULL when there
 * are none. */
static void *
parse_array(const cJSON *o, const char *path, size_t size,
    void (*parse)(const cJSON *, void *), size_t *count)
{
	struct jsonpath_list l;
	char *items = NULL;
	size_t i, n = 0;

	*count = 0;
	if (jsonpath_list(o, path, &l) == 0)
		return NULL;
	items = xreallocarray(NULL, l.count, size);
	for (i = 0; i < l.count; i++) {
		if (cJSON_IsObject(l.items[i]))
			parse(l.items[i], items + n++ * size);
	}
	jsonpath_list_free(&l);
	if (n == 0) {
		free(items);
		return NULL;
	}
	*count = n;
	return items;
}

/* ---- product -------------------------------------------------------------------------- */

void
model_product_parse(const cJSON *o, struct model_product *p)
{
	p->product_key = get_str(o, "ProductKey");
	p->product_name = get_str(o, "ProductName");
	p->node_type = get_i64(o, "NodeType");
	p->data_format = get_i64(o, "DataFormat");
	p->device_count = get_i64(o, "DeviceCount");
	p->gmt_create_ms = get_i64(o, "GmtCreate");
	p->auth_type = get_str(o, "AuthType");
	p->description = get_str(o, "Description");
	p->product_secret = get_str(o, "ProductSecret");
	p->product_status = get_str(o, "ProductStatus");
	p->aliyun_commodity_code = get_str(o, "AliyunCommodityCode");
	p->category_key = get_str(o, "CategoryKey");
	p->category_name = get_str(o, "CategoryName");
	p->protocol_type = get_str(o, "ProtocolType");
	p->net_type = get_i64(o, "NetType");
	p->validate_type = get_i64(o, "ValidateType");
	p->owner = get_tri(o, "Owner");
	p->id2 = get_tri(o, "Id2");
}

void
model_product_clear(struct model_product *p)
{
	free(p->product_key);
	free(p->product_name);
	free(p->auth_type);
	free(p->description);
	free_secret(p->product_secret);
	free(p->product_status);
	free(p->aliyun_commodity_code);
	free(p->category_key);
	free(p->category_name);
	free(p->protocol_type);
	model_product_parse(NULL, p);
}

/* ---- device --------------------------------------------------------------------------- */

void
model_device_parse(const cJSON *o, struct model_device *d)
{
	d->iot_id = get_str(o, "IotId");
	d->device_name = get_str(o, "DeviceName");
	d->product_key = get_str(o, "ProductKey");
	d->product_name = get_str(o, "ProductName");
	d->device_secret = get_str(o, "DeviceSecret");
	d->device_id = get_str(o, "DeviceId");
	d->status = get_str(o, "Status|DeviceStatus");
	d->nickname = get_str(o, "Nickname");
	d->node_type = get_i64(o, "NodeType");
	d->firmware_version = get_str(o, "FirmwareVersion");
	d->ip_address = get_str(o, "IpAddress");
	d->region = get_str(o, "Region");
	d->owner = get_tri(o, "Owner");
	d->gmt_create = get_str(o, "GmtCreate");
	d->gmt_modified = get_str(o, "GmtModified");
	d->gmt_active = get_str(o, "GmtActive|ActiveTime");
	d->gmt_online = get_str(o, "GmtOnline|LastOnlineTime");
	d->utc_create = get_str(o, "UtcCreate");
	d->utc_modified = get_str(o, "UtcModified");
	d->utc_active = get_str(o, "UtcActive|UtcActiveTime");
	d->utc_online = get_str(o, "UtcOnline|UtcLastOnlineTime");
}

void
model_device_clear(struct model_device *d)
{
	free(d->iot_id);
	free(d->device_name);
	free(d->product_key);
	free(d->product_name);
	free_secret(d->device_secret);
	free(d->device_id);
	free(d->status);
	free(d->nickname);
	free(d->firmware_version);
	free(d->ip_address);
	free(d->region);
	free(d->gmt_create);
	free(d->gmt_modified);
	free(d->gmt_active);
	free(d->gmt_online);
	free(d->utc_create);
	free(d->utc_modified);
	free(d->utc_active);
	free(d->utc_online);
	model_device_parse(NULL, d);
}

/* ---- device status -------------------------------------------------------------------- */

void
model_device_status_parse(const cJSON *o, struct model_device_status *s)
{
	s->iot_id = get_str(o, "IotId");
	s->device_name = get_str(o, "DeviceName");
	s->device_id = get_str(o, "DeviceId");
	s->status = get_str(o, "Status");
	s->as_address = get_str(o, "AsAddress");
	s->last_online_time = get_str(o, "LastOnlineTime");
	s->timestamp_ms = get_i64(o, "Timestamp");
}

void
model_device_status_clear(struct model_device_status *s)
{
	free(s->iot_id);
	free(s->device_name);
	free(s->device_id);
	free(s->status);
	free(s->as_address);
	free(s->last_online_time);
	model_device_status_parse(NULL, s);
}

/* ---- group ---------------------------------------------------------------------------- */

void
model_group_parse(const cJSON *o, struct model_group *g)
{
	g->group_id = get_str(o, "GroupId");
	g->group_name = get_str(o, "GroupName");
	g->group_desc = get_str(o, "GroupDesc");
	g->group_type = get_str(o, "GroupType");
	g->utc_create = get_str(o, "UtcCreate");
	g->device_count = get_i64(o, "DeviceCount");
	g->device_active = get_i64(o, "DeviceActive");
	g->device_online = get_i64(o, "DeviceOnline");
	g->dynamic_group_expression = get_str(o, "DynamicGroupExpression");
}

void
model_group_clear(struct model_group *g)
{
	free(g->group_id);
	free(g->group_name);
	free(g->group_desc);
	free(g->group_type);
	free(g->utc_create);
	free(g->dynamic_group_expression);
	model_group_parse(NULL, g);
}

int
model_group_type_kind(const char *group_type)
{
	if (group_type == NULL || strcmp(group_type, MODEL_GROUP_STATIC) == 0)
		return 0;
	if (strcmp(group_type, MODEL_GROUP_DYNAMIC) == 0)
		return 1;
	return -1;
}

const char *
model_group_type_name(const char *group_type)
{
	switch (model_group_type_kind(group_type)) {
	case 0:
		return "static";
	case 1:
		return "dynamic";
	default:
		return NULL;
	}
}

/* ---- OTA firmware --------------------------------------------------------------------- */

static void
firmware_file_parse(const cJSON *o, void *v)
{
	struct model_firmware_file *f = v;

	f->name = get_str(o, "Name");
	f->size = get_i64(o, "Size");
	f->url = get_str(o, "Url");
	f->sign_value = get_str(o, "SignValue");
	f->file_md5 = get_str(o, "FileMd5");
}

void
model_firmware_parse(const cJSON *o, struct model_firmware *f)
{
	f->firmware_id = get_str(o, "FirmwareId");
	f->firmware_name = get_str(o, "FirmwareName");
	f->dest_version = get_str(o, "DestVersion");
	f->src_version = get_str(o, "SrcVersion");
	f->module_name = get_str(o, "ModuleName");
	f->product_key = get_str(o, "ProductKey");
	f->product_name = get_str(o, "ProductName");
	f->type = get_i64(o, "Type");
	f->status = get_i64(o, "Status");
	f->verify_progress = get_i64(o, "VerifyProgress");
	f->sign_method = get_str(o, "SignMethod");
	f->firmware_sign = get_str(o, "FirmwareSign");
	f->firmware_size = get_i64(o, "FirmwareSize");
	f->firmware_url = get_str(o, "FirmwareUrl");
	f->firmware_desc = get_str(o, "FirmwareDesc");
	f->udi = get_str(o, "Udi");
	f->utc_create = get_str(o, "UtcCreate");
	f->utc_modified = get_str(o, "UtcModified");
	f->files = parse_array(o, "MultiFiles.OtaPackageFileDTO|MultiFiles",
	    sizeof *f->files, firmware_file_parse, &f->file_count);
}

void
model_firmware_clear(struct model_firmware *f)
{
	size_t i;

	for (i = 0; i < f->file_count; i++) {
		free(f->files[i].name);
		free(f->files[i].url);
		free(f->files[i].sign_value);
		free(f->files[i].file_md5);
	}
	free(f->files);
	free(f->firmware_id);
	free(f->firmware_name);
	free(f->dest_version);
	free(f->src_version);
	free(f->module_name);
	free(f->product_key);
	free(f->product_name);
	free(f->sign_method);
	free(f->firmware_sign);
	free(f->firmware_url);
	free(f->firmware_desc);
	free(f->udi);
	free(f->utc_create);
	free(f->utc_modified);
	model_firmware_parse(NULL, f);
}

/* ---- OTA job -------------------------------------------------------------------------- */

static void
tag_parse(const cJSON *o, void *v)
{
	struct model_tag *t = v;

	t->key = get_str(o, "Key");
	t->value = get_str(o, "Value");
}

/* Parses the list of strings at path under o (numbers are formatted, other items
 * skipped). SrcVersions is {"SrcVersion": ["1.0.0"]} in the guide; a bare array or a
 * single string are read too. */
static char **
parse_strings(const cJSON *o, const char *path, size_t *count)
{
	struct jsonpath_list l;
	char **v, *s;
	size_t i, n = 0;

	*count = 0;
	if (jsonpath_list(o, path, &l) == 0)
		return NULL;
	v = xreallocarray(NULL, l.count, sizeof *v);
	for (i = 0; i < l.count; i++) {
		if ((s = jsonpath_strdup(l.items[i], "")) != NULL)
			v[n++] = s;
	}
	jsonpath_list_free(&l);
	if (n == 0) {
		free(v);
		return NULL;
	}
	*count = n;
	return v;
}

void
model_ota_job_parse(const cJSON *o, struct model_ota_job *j)
{
	j->job_id = get_str(o, "JobId");
	j->firmware_id = get_str(o, "FirmwareId");
	j->product_key = get_str(o, "ProductKey");
	j->name = get_str(o, "Name");
	j->job_status = get_str(o, "JobStatus");
	j->job_type = get_str(o, "JobType");
	j->selection_type = get_str(o, "SelectionType");
	j->target_selection = get_str(o, "TargetSelection");
	j->dest_version = get_str(o, "DestVersion");
	j->src_versions = parse_strings(o, "SrcVersions.SrcVersion|SrcVersions",
	    &j->src_version_count);
	j->group_id = get_str(o, "GroupId");
	j->group_name = get_str(o, "GroupName");
	j->gray_percent = get_str(o, "GrayPercent");
	j->dynamic_mode = get_i64(o, "DynamicMode");
	j->retry_interval = get_i64(o, "RetryInterval");
	j->retry_count = get_i64(o, "RetryCount");
	j->timeout_in_minutes = get_i64(o, "TimeoutInMinutes");
	j->maximum_per_minute = get_i64(o, "MaximumPerMinute");
	j->overwrite_mode = get_i64(o, "OverwriteMode");
	j->multi_module_mode = get_tri(o, "MultiModuleMode");
	j->need_push = get_tri(o, "NeedPush");
	j->need_confirm = get_tri(o, "NeedConfirm");
	j->download_protocol = get_str(o, "DownloadProtocol");
	j->job_desc = get_str(o, "JobDesc");
	j->tags = parse_array(o, "Tags.OtaTagDTO|Tags", sizeof *j->tags, tag_parse,
	    &j->tag_count);
	j->utc_create = get_str(o, "UtcCreate");
	j->utc_modified = get_str(o, "UtcModified");
	j->utc_start_time = get_str(o, "UtcStartTime");
	j->utc_end_time = get_str(o, "UtcEndTime");
	j->utc_schedule_time = get_str(o, "UtcScheduleTime");
	j->utc_schedule_finish_time = get_str(o, "UtcScheduleFinishTime");
}

void
model_ota_job_clear(struct model_ota_job *j)
{
	size_t i;

	for (i = 0; i < j->src_version_count; i++)
		free(j->src_versions[i]);
	free(j->src_versions);
	for (i = 0; i < j->tag_count; i++) {
		free(j->tags[i].key);
		free(j->tags[i].value);
	}
	free(j->tags);
	free(j->job_id);
	free(j->firmware_id);
	free(j->product_key);
	free(j->name);
	free(j->job_status);
	free(j->job_type);
	free(j->selection_type);
	free(j->target_selection);
	free(j->dest_version);
	free(j->group_id);
	free(j->group_name);
	free(j->gray_percent);
	free(j->download_protocol);
	free(j->job_desc);
	free(j->utc_create);
	free(j->utc_modified);
	free(j->utc_start_time);
	free(j->utc_end_time);
	free(j->utc_schedule_time);
	free(j->utc_schedule_finish_time);
	model_ota_job_parse(NULL, j);
}

/* ---- OTA task ------------------------------------------------------------------------- */

void
model_ota_task_parse(const cJSON *o, struct model_ota_task *t)
{
	t->task_id = get_str(o, "TaskId");
	t->task_status = get_str(o, "TaskStatus");
	t->iot_id = get_str(o, "IotId");
	t->device_name = get_str(o, "DeviceName");
	t->product_key = get_str(o, "ProductKey");
	t->product_name = get_str(o, "ProductName");
	t->job_id = get_str(o, "JobId");
	t->firmware_id = get_str(o, "FirmwareId");
	t->src_version = get_str(o, "SrcVersion");
	t->dest_version = get_str(o, "DestVersion");
	t->progress = get_dbl(o, "Progress");
	t->task_desc = get_str(o, "TaskDesc");
	t->timeout_minutes = get_i64(o, "Timeout");
	t->utc_create = get_str(o, "UtcCreate");
	t->utc_modified = get_str(o, "UtcModified");
}

void
model_ota_task_clear(struct model_ota_task *t)
{
	free(t->task_id);
	free(t->task_status);
	free(t->iot_id);
	free(t->device_name);
	free(t->product_key);
	free(t->product_name);
	free(t->job_id);
	free(t->firmware_id);
	free(t->src_version);
	free(t->dest_version);
	free(t->task_desc);
	free(t->utc_create);
	free(t->utc_modified);
	model_ota_task_parse(NULL, t);
}

/* ---- property status ------------------------------------------------------------------ */

void
model_property_status_parse(const cJSON *o, struct model_property_status *p)
{
	p->identifier = get_str(o, "Identifier");
	p->name = get_str(o, "Name");
	p->value = get_str(o, "Value");
	p->data_type = get_str(o, "DataType");
	p->unit = get_str(o, "Unit");
	p->time_ms = get_i64(o, "Time");
}

void
model_property_status_clear(struct model_property_status *p)
{
	free(p->identifier);
	free(p->name);
	free(p->value);
	free(p->data_type);
	free(p->unit);
	model_property_status_parse(NULL, p);
}

/* ---- lists ---------------------------------------------------------------------------- */

/* Adapters with the generic signatures the kind table calls through. */
#define MODEL_ADAPTERS(k)							\
	static void k##_parse_v(const cJSON *o, void *p) { model_##k##_parse(o, p); } \
	static void k##_clear_v(void *p) { model_##k##_clear(p); }
MODEL_ADAPTERS(product)
MODEL_ADAPTERS(device)
MODEL_ADAPTERS(device_status)
MODEL_ADAPTERS(group)
MODEL_ADAPTERS(firmware)
MODEL_ADAPTERS(ota_job)
MODEL_ADAPTERS(ota_task)
MODEL_ADAPTERS(property_status)

static const struct model_kind_ops {
	size_t       size;				/* sizeof the item struct */
	void       (*parse)(const cJSON *, void *);	/* model_X_parse */
	void       (*clear)(void *);			/* model_X_clear */
	const char  *action;				/* the action whose answer lists these:
							   its list path (and aliases) in the
							   action table is the default path */
} kinds[MODEL_KIND_COUNT] = {
	[MODEL_PRODUCT] = { sizeof(struct model_product), product_parse_v,
	    product_clear_v, "QueryProductList" },
	[MODEL_DEVICE] = { sizeof(struct model_device), device_parse_v,
	    device_clear_v, "QueryDevice" },
	[MODEL_DEVICE_STATUS] = { sizeof(struct model_device_status), device_status_parse_v,
	    device_status_clear_v, "BatchGetDeviceState" },
	[MODEL_GROUP] = { sizeof(struct model_group), group_parse_v,
	    group_clear_v, "QueryDeviceGroupList" },
	[MODEL_FIRMWARE] = { sizeof(struct model_firmware), firmware_parse_v,
	    firmware_clear_v, "ListOTAFirmware" },
	[MODEL_OTA_JOB] = { sizeof(struct model_ota_job), ota_job_parse_v,
	    ota_job_clear_v, "ListOTAJobByFirmware" },
	[MODEL_OTA_TASK] = { sizeof(struct model_ota_task), ota_task_parse_v,
	    ota_task_clear_v, "ListOTATaskByJob" },
	[MODEL_PROPERTY_STATUS] = { sizeof(struct model_property_status),
	    property_status_parse_v, property_status_clear_v, "QueryDevicePropertyStatus" },
};

size_t
model_item_size(enum model_kind kind)
{
	return kind < MODEL_KIND_COUNT ? kinds[kind].size : 0;
}

void *
model_list_item(const struct model_list *l, size_t i)
{
	return i < l->count ? (char *)l->items + i * kinds[l->kind].size : NULL;
}

const char *
model_default_path(enum model_kind kind)
{
	return (unsigned)kind < MODEL_KIND_COUNT ? action_get(kinds[kind].action)->list_path : "";
}

void
model_list_parse(enum model_kind kind, const cJSON *root, const char *path,
    struct model_list *out)
{
	const struct model_kind_ops *ops;

	out->kind = kind;
	out->items = NULL;
	out->count = 0;
	jsonpath_page_parse(root, &out->page);
	if ((unsigned)kind >= MODEL_KIND_COUNT)
		return;
	ops = &kinds[kind];
	if (path == NULL)
		path = action_get(ops->action)->list_path;
	out->items = parse_array(root, path, ops->size, ops->parse, &out->count);
}

void
model_list_free(struct model_list *l)
{
	size_t i;

	if ((unsigned)l->kind < MODEL_KIND_COUNT) {
		for (i = 0; i < l->count; i++)
			kinds[l->kind].clear((char *)l->items + i * kinds[l->kind].size);
	}
	free(l->items);
	l->items = NULL;
	l->count = 0;
	jsonpath_page_clear(&l->page);
}

/* ---- thing model (TSL) ---------------------------------------------------------------- */

static const char *const tsl_type_names[] = {
	[TSL_TYPE_UNKNOWN] = "unknown",
	[TSL_TYPE_INT] = "int",
	[TSL_TYPE_FLOAT] = "float",
	[TSL_TYPE_DOUBLE] = "double",
	[TSL_TYPE_TEXT] = "text",
	[TSL_TYPE_DATE] = "date",
	[TSL_TYPE_BOOL] = "bool",
	[TSL_TYPE_ENUM] = "enum",
	[TSL_TYPE_STRUCT] = "struct",
	[TSL_TYPE_ARRAY] = "array",
};

enum tsl_type
model_tsl_type_from_name(const char *s)
{
	size_t i;

	if (s == NULL)
		return TSL_TYPE_UNKNOWN;
	for (i = TSL_TYPE_INT; i < sizeof tsl_type_names / sizeof tsl_type_names[0]; i++) {
		if (strcasecmp(s, tsl_type_names[i]) == 0)
			return (enum tsl_type)i;
	}
	return TSL_TYPE_UNKNOWN;
}

const char *
model_tsl_type_name(enum tsl_type t)
{
	if ((unsigned)t >= sizeof tsl_type_names / sizeof tsl_type_names[0])
		return tsl_type_names[TSL_TYPE_UNKNOWN];
	return tsl_type_names[t];
}

const char *
model_tsl_enum_name(const struct tsl_datatype *dt, int64_t value)
{
	size_t i;

	for (i = 0; i < dt->enum_count; i++) {
		if (dt->enums[i].value == value)
			return dt->enums[i].name;
	}
	return NULL;
}

static void datatype_parse(const cJSON *dt, struct tsl_datatype *out, int depth);
static void datatype_clear(struct tsl_datatype *dt);

/* An enum/bool key such as "0" or "-1"; 0 if it is not an integer. */
static int
key_to_int64(const char *s, int64_t *out)
{
	long long v;
	char *end;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = (int64_t)v;
	return 1;
}

static int
enum_item_cmp(const void *a, const void *b)
{
	const struct tsl_enum_item *x = a, *y = b;

	return (x->value > y->value) - (x->value < y->value);
}

/* bool/enum specs: {"0": "off", "1": "on"} in the TSL; a list of {value, name} (the
 * ThingModelJson way) is read too. Keys that are not integers are skipped. */
static void
enums_parse(const cJSON *specs, struct tsl_datatype *dt)
{
	const cJSON *c;
	struct jsonpath_list l;
	struct tsl_enum_item it;
	size_t n = 0, i;

	if (cJSON_IsObject(specs)) {
		for (c = specs->child; c != NULL; c = c->next)
			n++;
		if (n == 0)
			return;
		dt->enums = xreallocarray(NULL, n, sizeof *dt->enums);
		for (c = specs->child; c != NULL; c = c->next) {
			if (!key_to_int64(c->string, &it.value))
				continue;
			if ((it.name = jsonpath_strdup(c, "")) == NULL)
				continue;
			dt->enums[dt->enum_count++] = it;
		}
	} else if (jsonpath_list(specs, "", &l) > 0) {
		dt->enums = xreallocarray(NULL, l.count, sizeof *dt->enums);
		for (i = 0; i < l.count; i++) {
			if (!jsonpath_int64(l.items[i], "value", &it.value))
				continue;
			if ((it.name = jsonpath_strdup(l.items[i], "name")) == NULL)
				continue;
			dt->enums[dt->enum_count++] = it;
		}
		jsonpath_list_free(&l);
	}
	if (dt->enum_count == 0) {
		free(dt->enums);
		dt->enums = NULL;
		return;
	}
	qsort(dt->enums, dt->enum_count, sizeof *dt->enums, enum_item_cmp);
}

/* A parameter or struct member: an object with identifier, name and dataType, or a bare
 * identifier string (the inputData of the property get service). */
static void
param_parse(const cJSON *o, struct tsl_param *p, int depth)
{
	memset(p, 0, sizeof *p);
	if (cJSON_IsObject(o)) {
		p->identifier = get_str(o, "identifier");
		p->name = get_str(o, "name|childName");
	} else {
		p->identifier = jsonpath_strdup(o, "");
	}
	datatype_parse(cJSON_IsObject(o) ? jsonpath_get(o, "dataType") : NULL, &p->type,
	    depth);
}

static void
param_clear(struct tsl_param *p)
{
	free(p->identifier);
	free(p->name);
	datatype_clear(&p->type);
}

/* Parses the parameter list at path under o; objects and strings are parameters,
 * anything else is skipped. */
static struct tsl_param *
tsl_params_parse(const cJSON *o, const char *path, int depth, size_t *count)
{
	struct jsonpath_list l;
	struct tsl_param *v;
	size_t i, n = 0;

	*count = 0;
	if (jsonpath_list(o, path, &l) == 0)
		return NULL;
	v = xreallocarray(NULL, l.count, sizeof *v);
	for (i = 0; i < l.count; i++) {
		if (cJSON_IsObject(l.items[i]) || cJSON_IsString(l.items[i]))
			param_parse(l.items[i], &v[n++], depth);
	}
	jsonpath_list_free(&l);
	if (n == 0) {
		free(v);
		return NULL;
	}
	*count = n;
	return v;
}

static void
tsl_params_free(struct tsl_param *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		param_clear(&v[i]);
	free(v);
}

/* Parses a dataType object ({"type": "int", "specs": {...}}) at nesting depth (0 for a
 * property's or parameter's own type). A plain string ("INT", the ThingModelJson way)
 * gives the type without specs. */
static void
datatype_parse(const cJSON *dt, struct tsl_datatype *out, int depth)
{
	const cJSON *specs;

	memset(out, 0, sizeof *out);
	out->length = MODEL_NONE;
	out->array_size = MODEL_NONE;
	if (cJSON_IsString(dt)) {
		out->type_name = xstrdup(dt->valuestring);
		out->type = model_tsl_type_from_name(out->type_name);
		return;
	}
	if (!cJSON_IsObject(dt))
		return;
	out->type_name = get_str(dt, "type");
	out->type = model_tsl_type_from_name(out->type_name);
	specs = jsonpath_get(dt, "specs");
	switch (out->type) {
	case TSL_TYPE_INT:
	case TSL_TYPE_FLOAT:
	case TSL_TYPE_DOUBLE:
		out->min = get_str(specs, "min");
		out->max = get_str(specs, "max");
		out->step = get_str(specs, "step");
		out->unit = get_str(specs, "unit");
		out->unit_name = get_str(specs, "unitName");
		break;
	case TSL_TYPE_TEXT:
		out->length = get_i64(specs, "length");
		break;
	case TSL_TYPE_BOOL:
	case TSL_TYPE_ENUM:
		enums_parse(specs, out);
		break;
	case TSL_TYPE_STRUCT:
		if (depth < TSL_NEST_MAX)
			out->members = tsl_params_parse(dt, "specs", depth + 1, &out->member_count);
		break;
	case TSL_TYPE_ARRAY:
		out->array_size = get_i64(specs, "size");
		if (depth < TSL_NEST_MAX && cJSON_IsObject(jsonpath_get(specs, "item"))) {
			out->item = xmalloc(sizeof *out->item);
			datatype_parse(jsonpath_get(specs, "item"), out->item, depth + 1);
		}
		break;
	case TSL_TYPE_DATE:
	case TSL_TYPE_UNKNOWN:
		break;
	}
}

static void
datatype_clear(struct tsl_datatype *dt)
{
	size_t i;

	free(dt->type_name);
	free(dt->min);
	free(dt->max);
	free(dt->step);
	free(dt->unit);
	free(dt->unit_name);
	for (i = 0; i < dt->enum_count; i++)
		free(dt->enums[i].name);
	free(dt->enums);
	tsl_params_free(dt->members, dt->member_count);
	if (dt->item != NULL) {
		datatype_clear(dt->item);
		free(dt->item);
	}
	memset(dt, 0, sizeof *dt);
	dt->length = MODEL_NONE;
	dt->array_size = MODEL_NONE;
}

static enum tsl_access
access_parse(const cJSON *o)
{
	char *s = get_str(o, "accessMode|rwFlag");
	enum tsl_access a = TSL_ACCESS_UNKNOWN;

	if (s == NULL)
		return a;
	if (strcasecmp(s, "rw") == 0 || strcasecmp(s, "READ_WRITE") == 0)
		a = TSL_ACCESS_READ_WRITE;
	else if (strcasecmp(s, "r") == 0 || strcasecmp(s, "READ_ONLY") == 0)
		a = TSL_ACCESS_READ;
	free(s);
	return a;
}

static void
property_parse(const cJSON *o, void *v)
{
	struct tsl_property *p = v;

	p->identifier = get_str(o, "identifier");
	p->name = get_str(o, "name");
	p->desc = get_str(o, "desc|description");
	p->access = access_parse(o);
	p->required = get_tri(o, "required");
	datatype_parse(jsonpath_get(o, "dataType"), &p->type, 0);
}

static void
service_parse(const cJSON *o, void *v)
{
	struct tsl_service *s = v;
	char *call = get_str(o, "callType");

	s->identifier = get_str(o, "identifier");
	s->name = get_str(o, "name|serviceName");
	s->desc = get_str(o, "desc|description");
	s->method = get_str(o, "method");
	s->call_type = TSL_CALL_UNKNOWN;
	if (call != NULL && strcasecmp(call, "sync") == 0)
		s->call_type = TSL_CALL_SYNC;
	else if (call != NULL && strcasecmp(call, "async") == 0)
		s->call_type = TSL_CALL_ASYNC;
	free(call);
	s->required = get_tri(o, "required");
	s->inputs = tsl_params_parse(o, "inputData|inputParams", 0, &s->input_count);
	s->outputs = tsl_params_parse(o, "outputData|outputParams", 0, &s->output_count);
}

static void
event_parse(const cJSON *o, void *v)
{
	struct tsl_event *e = v;
	char *type = get_str(o, "type|eventType");

	e->identifier = get_str(o, "identifier");
	e->name = get_str(o, "name|eventName");
	e->desc = get_str(o, "desc|description");
	e->method = get_str(o, "method");
	e->type = TSL_EVENT_UNKNOWN;
	if (type != NULL) {
		/* "info" in the TSL, "INFO_EVENT_TYPE" in ThingModelJson */
		if (strncasecmp(type, "info", 4) == 0)
			e->type = TSL_EVENT_INFO;
		else if (strncasecmp(type, "alert", 5) == 0)
			e->type = TSL_EVENT_ALERT;
		else if (strncasecmp(type, "error", 5) == 0)
			e->type = TSL_EVENT_ERROR;
	}
	free(type);
	e->required = get_tri(o, "required");
	e->outputs = tsl_params_parse(o, "outputData|outputParams", 0, &e->output_count);
}

int
model_tsl_parse_json(const cJSON *tsl, struct model_tsl *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(tsl)) {
		*cause = xstrdup("the thing model is not a JSON object");
		return -1;
	}
	out->schema = get_str(tsl, "schema");
	out->product_key = get_str(tsl, "profile.productKey|productKey");
	out->properties = parse_array(tsl, "properties", sizeof *out->properties,
	    property_parse, &out->property_count);
	out->services = parse_array(tsl, "services", sizeof *out->services, service_parse,
	    &out->service_count);
	out->events = parse_array(tsl, "events", sizeof *out->events, event_parse,
	    &out->event_count);
	return 0;
}

int
model_tsl_parse(const char *s, size_t len, struct model_tsl *out, char **cause)
{
	const char *end = NULL;
	cJSON *tsl;
	int rc;

	memset(out, 0, sizeof *out);
	tsl = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (tsl == NULL) {
		*cause = xasprintf("the thing model is not valid JSON (error at byte %zu of %zu)",
		    end != NULL && end >= s ? (size_t)(end - s) : (size_t)0, len);
		return -1;
	}
	while (end != NULL && end < s + len && isspace((unsigned char)*end))
		end++;
	if (end != NULL && end < s + len && *end != '\0') {
		*cause = xasprintf("the thing model has data after its JSON (at byte %zu of %zu)",
		    (size_t)(end - s), len);
		cJSON_Delete(tsl);
		return -1;
	}
	rc = model_tsl_parse_json(tsl, out, cause);
	cJSON_Delete(tsl);
	return rc;
}

int
model_tsl_from_response(const cJSON *root, struct model_tsl *out, char **cause)
{
	const cJSON *t = jsonpath_get(root, "Data.TslStr|Data.Tsl|TslStr|Tsl");

	memset(out, 0, sizeof *out);
	if (cJSON_IsString(t))
		return model_tsl_parse(t->valuestring, strlen(t->valuestring), out, cause);
	if (cJSON_IsObject(t))
		return model_tsl_parse_json(t, out, cause);
	*cause = xstrdup(t == NULL ? "the answer has no thing model (Data.TslStr)" :
	    "the answer's Data.TslStr is neither a string nor an object");
	return -1;
}

void
model_tsl_clear(struct model_tsl *t)
{
	size_t i;

	free(t->schema);
	free(t->product_key);
	for (i = 0; i < t->property_count; i++) {
		free(t->properties[i].identifier);
		free(t->properties[i].name);
		free(t->properties[i].desc);
		datatype_clear(&t->properties[i].type);
	}
	free(t->properties);
	for (i = 0; i < t->service_count; i++) {
		free(t->services[i].identifier);
		free(t->services[i].name);
		free(t->services[i].desc);
		free(t->services[i].method);
		tsl_params_free(t->services[i].inputs, t->services[i].input_count);
		tsl_params_free(t->services[i].outputs, t->services[i].output_count);
	}
	free(t->services);
	for (i = 0; i < t->event_count; i++) {
		free(t->events[i].identifier);
		free(t->events[i].name);
		free(t->events[i].desc);
		free(t->events[i].method);
		tsl_params_free(t->events[i].outputs, t->events[i].output_count);
	}
	free(t->events);
	memset(t, 0, sizeof *t);
}
