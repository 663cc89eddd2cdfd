/* model.c — typed models of IoT Platform answers (see model.h).
 *
 * DESIGN: each model is described once, as a field table. A row gives a field's offset
 * in the model's struct, its type and the JSON path it comes from (a '|' in a path names
 * the other names answers use, such as QueryDevice's DeviceStatus for Status), the way
 * src/ui/config.c describes its settings. One generic parse (fields_parse) and one
 * generic clear (fields_clear) walk a table, so adding a field is one row, and the
 * parse, the free and the "unset" value of a field cannot disagree. The field's C type
 * is checked at compile time: the F() row macro picks the row's type with _Generic from
 * the struct member itself, so a row whose member has a type the table cannot hold does
 * not compile, and a string can never be read into an integer. Nested lists (a
 * firmware's MultiFiles, a job's Tags) are rows that point at the table of their items.
 * The kind table (kinds[]) gives each list kind its item table and the action whose
 * answer lists it; the list path itself comes from the action table only
 * (action_get(action)->list_path), never from a string here.
 *
 * Every value is read with jsonpath's lenient getters, so a field that is missing or
 * has a type that cannot be converted is simply left unset.
 *
 * The thing model (TSL) below the lists is parsed by hand: its fields are mostly
 * nested types and enumerations, not flat values.
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

/* A yes/no field: 1, 0, or -1 when not said. */
static int
get_tri(const cJSON *o, const char *path)
{
	int v = -1;

	jsonpath_bool(o, path, &v);
	return v;
}

/* Parses the list at path under o into a new array of elements of size bytes: item()
 * fills one element from one list item and returns 0 to skip the item (the element is
 * then reused). Returns NULL and *count 0 when no item was kept. */
static void *
parse_array(const cJSON *o, const char *path, size_t size,
    int (*item)(const cJSON *, void *, const void *), const void *arg, size_t *count)
{
	struct jsonpath_list l;
	char *items;
	size_t i, n = 0;

	*count = 0;
	if (jsonpath_list(o, path, &l) == 0)
		return NULL;
	items = xreallocarray(NULL, l.count, size);
	for (i = 0; i < l.count; i++)
		n += item(l.items[i], items + n * size, arg) != 0;
	jsonpath_list_free(&l);
	if (n == 0) {
		free(items);
		return NULL;
	}
	*count = n;
	return items;
}

/* ---- field tables ----------------------------------------------------------------------- */

/* The table of one struct: its size and its rows. */
struct model_desc {
	size_t                     size;	/* sizeof the struct */
	const struct model_field  *fields;	/* its rows */
	size_t                     nfields;	/* number of rows */
};

#define DESC(type, rows) { sizeof(type), rows, sizeof rows / sizeof rows[0] }

/* The row type of a struct member, from its C type (a compile error for any other). */
#define FIELD_TYPE(m)							\
	_Generic((m), char *: MODEL_F_STR, int64_t: MODEL_F_I64, double: MODEL_F_DBL, \
	    int: MODEL_F_TRI, char **: MODEL_F_STRS)
/* Rows of struct model_<s>: a value; a secret; a string list or a list of structs
 * described by table sub, with the member counting it. */
#define F(s, m, p) { .path = (p), .offset = offsetof(struct model_##s, m),	\
	.type = FIELD_TYPE(((struct model_##s *)0)->m) }
#define SECRET(s, m, p) { .path = (p), .offset = offsetof(struct model_##s, m),	\
	.type = MODEL_F_SECRET }
#define STRS(s, m, n, p) { .path = (p), .offset = offsetof(struct model_##s, m),	\
	.type = FIELD_TYPE(((struct model_##s *)0)->m),				\
	.count_offset = offsetof(struct model_##s, n) }
#define LIST(s, m, n, p, sub_) { .path = (p), .offset = offsetof(struct model_##s, m), \
	.type = MODEL_F_LIST, .count_offset = offsetof(struct model_##s, n), .sub = (sub_) }

static const struct model_field product_fields[] = {
	F(product, product_key, "ProductKey"),
	F(product, product_name, "ProductName"),
	F(product, node_type, "NodeType"),
	F(product, data_format, "DataFormat"),
	F(product, device_count, "DeviceCount"),
	F(product, gmt_create_ms, "GmtCreate"),
	F(product, auth_type, "AuthType"),
	F(product, description, "Description"),
	SECRET(product, product_secret, "ProductSecret"),
	F(product, product_status, "ProductStatus"),
	F(product, aliyun_commodity_code, "AliyunCommodityCode"),
	F(product, category_key, "CategoryKey"),
	F(product, category_name, "CategoryName"),
	F(product, protocol_type, "ProtocolType"),
	F(product, net_type, "NetType"),
	F(product, validate_type, "ValidateType"),
	F(product, owner, "Owner"),
	F(product, id2, "Id2"),
};

static const struct model_field device_fields[] = {
	F(device, iot_id, "IotId"),
	F(device, device_name, "DeviceName"),
	F(device, product_key, "ProductKey"),
	F(device, product_name, "ProductName"),
	SECRET(device, device_secret, "DeviceSecret"),
	F(device, device_id, "DeviceId"),
	F(device, status, "Status|DeviceStatus"),
	F(device, nickname, "Nickname"),
	F(device, node_type, "NodeType"),
	F(device, firmware_version, "FirmwareVersion"),
	F(device, ip_address, "IpAddress"),
	F(device, region, "Region"),
	F(device, owner, "Owner"),
	F(device, gmt_create, "GmtCreate"),
	F(device, gmt_modified, "GmtModified"),
	F(device, gmt_active, "GmtActive|ActiveTime"),
	F(device, gmt_online, "GmtOnline|LastOnlineTime"),
	F(device, utc_create, "UtcCreate"),
	F(device, utc_modified, "UtcModified"),
	F(device, utc_active, "UtcActive|UtcActiveTime"),
	F(device, utc_online, "UtcOnline|UtcLastOnlineTime"),
};

static const struct model_field device_status_fields[] = {
	F(device_status, iot_id, "IotId"),
	F(device_status, device_name, "DeviceName"),
	F(device_status, device_id, "DeviceId"),
	F(device_status, status, "Status"),
	F(device_status, as_address, "AsAddress"),
	F(device_status, last_online_time, "LastOnlineTime"),
	F(device_status, timestamp_ms, "Timestamp"),
};

static const struct model_field group_fields[] = {
	F(group, group_id, "GroupId"),
	F(group, group_name, "GroupName"),
	F(group, group_desc, "GroupDesc"),
	F(group, group_type, "GroupType"),
	F(group, utc_create, "UtcCreate"),
	F(group, device_count, "DeviceCount"),
	F(group, device_active, "DeviceActive"),
	F(group, device_online, "DeviceOnline"),
	F(group, dynamic_group_expression, "DynamicGroupExpression"),
};

static const struct model_field firmware_file_fields[] = {
	F(firmware_file, name, "Name"),
	F(firmware_file, size, "Size"),
	F(firmware_file, url, "Url"),
	F(firmware_file, sign_value, "SignValue"),
	F(firmware_file, file_md5, "FileMd5"),
};
static const struct model_desc firmware_file_desc =
    DESC(struct model_firmware_file, firmware_file_fields);

static const struct model_field firmware_fields[] = {
	F(firmware, firmware_id, "FirmwareId"),
	F(firmware, firmware_name, "FirmwareName"),
	F(firmware, dest_version, "DestVersion"),
	F(firmware, src_version, "SrcVersion"),
	F(firmware, module_name, "ModuleName"),
	F(firmware, product_key, "ProductKey"),
	F(firmware, product_name, "ProductName"),
	F(firmware, type, "Type"),
	F(firmware, status, "Status"),
	F(firmware, verify_progress, "VerifyProgress"),
	F(firmware, sign_method, "SignMethod"),
	F(firmware, firmware_sign, "FirmwareSign"),
	F(firmware, firmware_size, "FirmwareSize"),
	F(firmware, firmware_url, "FirmwareUrl"),
	F(firmware, firmware_desc, "FirmwareDesc"),
	F(firmware, udi, "Udi"),
	F(firmware, utc_create, "UtcCreate"),
	F(firmware, utc_modified, "UtcModified"),
	/* Array of OtaPackageFileDTO in the table; a bare array is read too */
	LIST(firmware, files, file_count, "MultiFiles.OtaPackageFileDTO|MultiFiles",
	    &firmware_file_desc),
};

static const struct model_field tag_fields[] = {
	F(tag, key, "Key"),
	F(tag, value, "Value"),
};
static const struct model_desc tag_desc = DESC(struct model_tag, tag_fields);

static const struct model_field ota_job_fields[] = {
	F(ota_job, job_id, "JobId"),
	F(ota_job, firmware_id, "FirmwareId"),
	F(ota_job, product_key, "ProductKey"),
	F(ota_job, name, "Name"),
	F(ota_job, job_status, "JobStatus"),
	F(ota_job, job_type, "JobType"),
	F(ota_job, selection_type, "SelectionType"),
	F(ota_job, target_selection, "TargetSelection"),
	F(ota_job, dest_version, "DestVersion"),
	/* {"SrcVersion": ["1.0.0"]} in the guide; a bare array or one string are read too */
	STRS(ota_job, src_versions, src_version_count, "SrcVersions.SrcVersion|SrcVersions"),
	F(ota_job, group_id, "GroupId"),
	F(ota_job, group_name, "GroupName"),
	F(ota_job, gray_percent, "GrayPercent"),
	F(ota_job, dynamic_mode, "DynamicMode"),
	F(ota_job, retry_interval, "RetryInterval"),
	F(ota_job, retry_count, "RetryCount"),
	F(ota_job, timeout_in_minutes, "TimeoutInMinutes"),
	F(ota_job, maximum_per_minute, "MaximumPerMinute"),
	F(ota_job, overwrite_mode, "OverwriteMode"),
	F(ota_job, multi_module_mode, "MultiModuleMode"),
	F(ota_job, need_push, "NeedPush"),
	F(ota_job, need_confirm, "NeedConfirm"),
	F(ota_job, download_protocol, "DownloadProtocol"),
	F(ota_job, job_desc, "JobDesc"),
	LIST(ota_job, tags, tag_count, "Tags.OtaTagDTO|Tags", &tag_desc),
	F(ota_job, utc_create, "UtcCreate"),
	F(ota_job, utc_modified, "UtcModified"),
	F(ota_job, utc_start_time, "UtcStartTime"),
	F(ota_job, utc_end_time, "UtcEndTime"),
	F(ota_job, utc_schedule_time, "UtcScheduleTime"),
	F(ota_job, utc_schedule_finish_time, "UtcScheduleFinishTime"),
};

static const struct model_field ota_task_fields[] = {
	F(ota_task, task_id, "TaskId"),
	F(ota_task, task_status, "TaskStatus"),
	F(ota_task, iot_id, "IotId"),
	F(ota_task, device_name, "DeviceName"),
	F(ota_task, product_key, "ProductKey"),
	F(ota_task, product_name, "ProductName"),
	F(ota_task, job_id, "JobId"),
	F(ota_task, firmware_id, "FirmwareId"),
	F(ota_task, src_version, "SrcVersion"),
	F(ota_task, dest_version, "DestVersion"),
	F(ota_task, progress, "Progress"),
	F(ota_task, task_desc, "TaskDesc"),
	F(ota_task, timeout_minutes, "Timeout"),
	F(ota_task, utc_create, "UtcCreate"),
	F(ota_task, utc_modified, "UtcModified"),
};

static const struct model_field property_status_fields[] = {
	F(property_status, identifier, "Identifier"),
	F(property_status, name, "Name"),
	F(property_status, value, "Value"),
	F(property_status, data_type, "DataType"),
	F(property_status, unit, "Unit"),
	F(property_status, time_ms, "Time"),
};

/* Every list kind: its item table and the action whose answer lists it (that action's
 * list path, aliases included, is the kind's default path). */
static const struct model_kind_row {
	struct model_desc  desc;	/* the item table */
	const char        *action;	/* the list action */
} kinds[MODEL_KIND_COUNT] = {
	[MODEL_PRODUCT] = { DESC(struct model_product, product_fields), "QueryProductList" },
	[MODEL_DEVICE] = { DESC(struct model_device, device_fields), "QueryDevice" },
	[MODEL_DEVICE_STATUS] = { DESC(struct model_device_status, device_status_fields),
	    "BatchGetDeviceState" },
	[MODEL_GROUP] = { DESC(struct model_group, group_fields), "QueryDeviceGroupList" },
	[MODEL_FIRMWARE] = { DESC(struct model_firmware, firmware_fields), "ListOTAFirmware" },
	[MODEL_OTA_JOB] = { DESC(struct model_ota_job, ota_job_fields), "ListOTAJobByFirmware" },
	[MODEL_OTA_TASK] = { DESC(struct model_ota_task, ota_task_fields), "ListOTATaskByJob" },
	[MODEL_PROPERTY_STATUS] = { DESC(struct model_property_status, property_status_fields),
	    "QueryDevicePropertyStatus" },
};

/* ---- generic parse and clear -------------------------------------------------------- */

static void fields_parse(const struct model_desc *d, const cJSON *o, void *out);

/* The count member of row f (STRS, LIST) in struct m. */
#define COUNT(m, f) (*(size_t *)((char *)(m) + (f)->count_offset))

/* parse_array items: an object parsed by table arg; a string (or number) copied. */
static int
object_item(const cJSON *o, void *out, const void *desc)
{
	if (!cJSON_IsObject(o))
		return 0;
	fields_parse(desc, o, out);
	return 1;
}

static int
string_item(const cJSON *o, void *out, const void *unused)
{
	(void)unused;
	return (*(char **)out = jsonpath_strdup(o, "")) != NULL;
}

/* Fills *out (overwritten, not freed) from object o (NULL: every field unset). */
static void
fields_parse(const struct model_desc *d, const cJSON *o, void *out)
{
	const struct model_field *f;
	char *p;

	memset(out, 0, d->size);
	for (f = d->fields; f < d->fields + d->nfields; f++) {
		p = (char *)out + f->offset;
		switch (f->type) {
		case MODEL_F_STR:
		case MODEL_F_SECRET:
			*(char **)p = jsonpath_strdup(o, f->path);
			break;
		case MODEL_F_I64:
			*(int64_t *)p = MODEL_NONE;
			jsonpath_int64(o, f->path, (int64_t *)p);
			break;
		case MODEL_F_DBL:
			*(double *)p = NAN;
			jsonpath_double(o, f->path, (double *)p);
			break;
		case MODEL_F_TRI:
			*(int *)p = -1;
			jsonpath_bool(o, f->path, (int *)p);
			break;
		case MODEL_F_STRS:
			*(char ***)p = parse_array(o, f->path, sizeof(char *), string_item, NULL,
			    &COUNT(out, f));
			break;
		case MODEL_F_LIST:
			*(void **)p = parse_array(o, f->path, f->sub->size, object_item, f->sub,
			    &COUNT(out, f));
			break;
		}
	}
}

/* Frees what *m holds (secrets wiped first) and leaves every field unset. */
static void
fields_clear(const struct model_desc *d, void *m)
{
	const struct model_field *f;
	char *p, *s;
	size_t i;

	for (f = d->fields; f < d->fields + d->nfields; f++) {
		p = (char *)m + f->offset;
		switch (f->type) {
		case MODEL_F_SECRET:
			if ((s = *(char **)p) != NULL)
				sodium_memzero(s, strlen(s));
			/* FALLTHROUGH */
		case MODEL_F_STR:
			free(*(char **)p);
			break;
		case MODEL_F_STRS:
			for (i = 0; i < COUNT(m, f); i++)
				free((*(char ***)p)[i]);
			free(*(char ***)p);
			break;
		case MODEL_F_LIST:
			for (i = 0; i < COUNT(m, f); i++)
				fields_clear(f->sub, *(char **)p + i * f->sub->size);
			free(*(void **)p);
			break;
		case MODEL_F_I64:
		case MODEL_F_DBL:
		case MODEL_F_TRI:
			break;
		}
	}
	fields_parse(d, NULL, m);
}

void
model_parse(enum model_kind kind, const cJSON *obj, void *out)
{
	if ((unsigned)kind < MODEL_KIND_COUNT)
		fields_parse(&kinds[kind].desc, cJSON_IsObject(obj) ? obj : NULL, out);
}

void
model_clear(enum model_kind kind, void *m)
{
	if ((unsigned)kind < MODEL_KIND_COUNT)
		fields_clear(&kinds[kind].desc, m);
}

const struct model_field *
model_fields(enum model_kind kind, size_t *count)
{
	*count = (unsigned)kind < MODEL_KIND_COUNT ? kinds[kind].desc.nfields : 0;
	return *count != 0 ? kinds[kind].desc.fields : NULL;
}

/* ---- groups ------------------------------------------------------------------------- */

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

/* ---- lists ---------------------------------------------------------------------------- */

size_t
model_item_size(enum model_kind kind)
{
	return (unsigned)kind < MODEL_KIND_COUNT ? kinds[kind].desc.size : 0;
}

void *
model_list_item(const struct model_list *l, size_t i)
{
	return i < l->count ? (char *)l->items + i * kinds[l->kind].desc.size : NULL;
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
	out->kind = kind;
	out->items = NULL;
	out->count = 0;
	jsonpath_page_parse(root, &out->page);
	if ((unsigned)kind >= MODEL_KIND_COUNT)
		return;
	out->items = parse_array(root, path != NULL ? path : model_default_path(kind),
	    kinds[kind].desc.size, object_item, &kinds[kind].desc, &out->count);
}

void
model_list_free(struct model_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		model_clear(l->kind, model_list_item(l, i));
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

/* parse_array items: a parameter (an object or a string; arg points at the depth). */
static int
param_item(const cJSON *o, void *p, const void *depth)
{
	if (!cJSON_IsObject(o) && !cJSON_IsString(o))
		return 0;
	param_parse(o, p, *(const int *)depth);
	return 1;
}

/* Parses the parameter list at path under o; objects and strings are parameters,
 * anything else is skipped. */
static struct tsl_param *
tsl_params_parse(const cJSON *o, const char *path, int depth, size_t *count)
{
	return parse_array(o, path, sizeof(struct tsl_param), param_item, &depth, count);
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

/* parse_array items: one property object. */
static int
property_item(const cJSON *o, void *v, const void *unused)
{
	struct tsl_property *p = v;

	(void)unused;
	if (!cJSON_IsObject(o))
		return 0;
	p->identifier = get_str(o, "identifier");
	p->name = get_str(o, "name");
	p->desc = get_str(o, "desc|description");
	p->access = access_parse(o);
	p->required = get_tri(o, "required");
	datatype_parse(jsonpath_get(o, "dataType"), &p->type, 0);
	return 1;
}

/* parse_array items: one service object. */
static int
service_item(const cJSON *o, void *v, const void *unused)
{
	struct tsl_service *s = v;
	char *call;

	(void)unused;
	if (!cJSON_IsObject(o))
		return 0;
	call = get_str(o, "callType");
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
	return 1;
}

/* parse_array items: one event object. */
static int
event_item(const cJSON *o, void *v, const void *unused)
{
	struct tsl_event *e = v;
	char *type;

	(void)unused;
	if (!cJSON_IsObject(o))
		return 0;
	type = get_str(o, "type|eventType");
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
	return 1;
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
	    property_item, NULL, &out->property_count);
	out->services = parse_array(tsl, "services", sizeof *out->services, service_item,
	    NULL, &out->service_count);
	out->events = parse_array(tsl, "events", sizeof *out->events, event_item, NULL,
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
