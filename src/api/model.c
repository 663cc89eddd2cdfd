/* model.c — typed models of IoT Platform answers and of the thing model (see model.h).
 *
 * DESIGN: each model is described once, as a field table. A row gives a member's offset
 * in the model's struct, its type and the JSON path it comes from (a '|' in a path names
 * the other names answers use, such as QueryDevice's DeviceStatus for Status), the way
 * src/ui/config.c describes its settings. One generic parse (fields_parse) and one
 * generic clear (fields_clear) walk a table, so adding a field is one row, and the
 * parse, the free and the "unset" value of a field cannot disagree.
 *
 * The member's C type is checked at compile time: the F() row macro takes the row's
 * type from the member itself with _Generic, so a row whose member has a type the table
 * cannot hold does not compile, and a string is never read into an integer. Lists in an
 * item (a firmware's MultiFiles, a job's Tags, a service's inputData) are LIST rows that
 * point at the table of their items; CHOICE rows map a documented string to an enum
 * (accessMode "rw" or rwFlag READ_WRITE); the one shape a table cannot say, the TSL's
 * dataType (its specs depend on its type, structs and arrays nest), is a CUSTOM row with
 * its own parse and clear, and the nesting depth is carried down so that hostile input
 * cannot recurse without end.
 *
 * The kind table (kinds[]) gives each list kind its item table and the action whose
 * answer lists it; the list path itself comes from the action table only
 * (action_get(action)->list_path), never from a string here.
 *
 * Every value is read with jsonpath's lenient getters, so a field that is missing or
 * has a type that cannot be converted is simply left unset.
 *
 * (The duplicate-code scan pairs the tables with one another: rows of one shape, which
 * are data, one row per field, not logic written twice.)
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

/* ---- field tables ----------------------------------------------------------------------- */

/* The table of one struct. */
struct model_desc {
	size_t                     size;	/* sizeof the struct */
	const struct model_field  *fields;	/* its rows */
	size_t                     nfields;	/* number of rows */
	int                        strings;	/* a string item of a list is read as the
						   first row alone (a TSL parameter given
						   by its identifier) */
};

/* A CHOICE row's values: a documented string (any case) and its enum value. */
struct model_choice {
	const char  *name;		/* the string; NULL ends the list */
	int          value;		/* the enum value (0: not said) */
};

/* A CUSTOM row's functions. */
struct model_custom {
	void (*parse)(const cJSON *node, void *member, int depth);	/* node: at the path */
	void (*clear)(void *member);
};

#define DESC(type, rows, strings_) { .size = sizeof(type), .fields = (rows),	\
	.nfields = sizeof (rows) / sizeof (rows)[0], .strings = (strings_) }

/* The row type of a struct member, from its C type (a compile error for any other). */
#define FIELD_TYPE(m)							\
	_Generic((m), char *: MODEL_F_STR, int64_t: MODEL_F_I64, double: MODEL_F_DBL, \
	    int: MODEL_F_TRI, char **: MODEL_F_STRS)
/* Rows of struct s: a value; a secret; a string list or a list of structs described by
 * table sub, with the member n counting it; an enum from choices; a custom member. */
#define F(s, m, p) { .path = (p), .offset = offsetof(struct s, m),		\
	.type = FIELD_TYPE(((struct s *)0)->m) }
#define SECRET(s, m, p) { .path = (p), .offset = offsetof(struct s, m), .type = MODEL_F_SECRET }
#define STRS(s, m, n, p) { .path = (p), .offset = offsetof(struct s, m),	\
	.type = FIELD_TYPE(((struct s *)0)->m), .count_offset = offsetof(struct s, n) }
#define LIST(s, m, n, p, sub) { .path = (p), .offset = offsetof(struct s, m),	\
	.type = MODEL_F_LIST, .count_offset = offsetof(struct s, n), .aux = (sub) }
#define CHOICE(s, m, p, choices) { .path = (p), .offset = offsetof(struct s, m),	\
	.type = MODEL_F_CHOICE, .aux = (choices) }
#define CUSTOM(s, m, p, ops) { .path = (p), .offset = offsetof(struct s, m),	\
	.type = MODEL_F_CUSTOM, .aux = (ops) }

static const struct model_field product_fields[] = {
	F(model_product, product_key, "ProductKey"),
	F(model_product, product_name, "ProductName"),
	F(model_product, node_type, "NodeType"),
	F(model_product, data_format, "DataFormat"),
	F(model_product, device_count, "DeviceCount"),
	F(model_product, gmt_create_ms, "GmtCreate"),
	F(model_product, auth_type, "AuthType"),
	F(model_product, description, "Description"),
	SECRET(model_product, product_secret, "ProductSecret"),
	F(model_product, product_status, "ProductStatus"),
	F(model_product, aliyun_commodity_code, "AliyunCommodityCode"),
	F(model_product, category_key, "CategoryKey"),
	F(model_product, category_name, "CategoryName"),
	F(model_product, protocol_type, "ProtocolType"),
	F(model_product, net_type, "NetType"),
	F(model_product, validate_type, "ValidateType"),
	F(model_product, owner, "Owner"),
	F(model_product, id2, "Id2"),
};

static const struct model_field device_fields[] = {
	F(model_device, iot_id, "IotId"),
	F(model_device, device_name, "DeviceName"),
	F(model_device, product_key, "ProductKey"),
	F(model_device, product_name, "ProductName"),
	SECRET(model_device, device_secret, "DeviceSecret"),
	F(model_device, device_id, "DeviceId"),
	F(model_device, status, "Status|DeviceStatus"),
	F(model_device, nickname, "Nickname"),
	F(model_device, node_type, "NodeType"),
	F(model_device, firmware_version, "FirmwareVersion"),
	F(model_device, ip_address, "IpAddress"),
	F(model_device, region, "Region"),
	F(model_device, owner, "Owner"),
	F(model_device, gmt_create, "GmtCreate"),
	F(model_device, gmt_modified, "GmtModified"),
	F(model_device, gmt_active, "GmtActive|ActiveTime"),
	F(model_device, gmt_online, "GmtOnline|LastOnlineTime"),
	F(model_device, utc_create, "UtcCreate"),
	F(model_device, utc_modified, "UtcModified"),
	F(model_device, utc_active, "UtcActive|UtcActiveTime"),
	F(model_device, utc_online, "UtcOnline|UtcLastOnlineTime"),
};

static const struct model_field device_status_fields[] = {
	F(model_device_status, iot_id, "IotId"),
	F(model_device_status, device_name, "DeviceName"),
	F(model_device_status, device_id, "DeviceId"),
	F(model_device_status, status, "Status"),
	F(model_device_status, as_address, "AsAddress"),
	F(model_device_status, last_online_time, "LastOnlineTime"),
	F(model_device_status, timestamp_ms, "Timestamp"),
};

static const struct model_field group_fields[] = {
	F(model_group, group_id, "GroupId"),
	F(model_group, group_name, "GroupName"),
	F(model_group, group_desc, "GroupDesc"),
	F(model_group, group_type, "GroupType"),
	F(model_group, utc_create, "UtcCreate"),
	F(model_group, device_count, "DeviceCount"),
	F(model_group, device_active, "DeviceActive"),
	F(model_group, device_online, "DeviceOnline"),
	F(model_group, dynamic_group_expression, "DynamicGroupExpression"),
};

static const struct model_field firmware_file_fields[] = {
	F(model_firmware_file, name, "Name"),
	F(model_firmware_file, size, "Size"),
	F(model_firmware_file, url, "Url"),
	F(model_firmware_file, sign_value, "SignValue"),
	F(model_firmware_file, file_md5, "FileMd5"),
};
static const struct model_desc firmware_file_desc =
    DESC(struct model_firmware_file, firmware_file_fields, 0);

static const struct model_field firmware_fields[] = {
	F(model_firmware, firmware_id, "FirmwareId"),
	F(model_firmware, firmware_name, "FirmwareName"),
	F(model_firmware, dest_version, "DestVersion"),
	F(model_firmware, src_version, "SrcVersion"),
	F(model_firmware, module_name, "ModuleName"),
	F(model_firmware, product_key, "ProductKey"),
	F(model_firmware, product_name, "ProductName"),
	F(model_firmware, type, "Type"),
	F(model_firmware, status, "Status"),
	F(model_firmware, verify_progress, "VerifyProgress"),
	F(model_firmware, sign_method, "SignMethod"),
	F(model_firmware, firmware_sign, "FirmwareSign"),
	F(model_firmware, firmware_size, "FirmwareSize"),
	F(model_firmware, firmware_url, "FirmwareUrl"),
	F(model_firmware, firmware_desc, "FirmwareDesc"),
	F(model_firmware, udi, "Udi"),
	F(model_firmware, utc_create, "UtcCreate"),
	F(model_firmware, utc_modified, "UtcModified"),
	/* Array of OtaPackageFileDTO in the table; a bare array is read too */
	LIST(model_firmware, files, file_count, "MultiFiles.OtaPackageFileDTO|MultiFiles",
	    &firmware_file_desc),
};

static const struct model_field tag_fields[] = {
	F(model_tag, key, "Key"),
	F(model_tag, value, "Value"),
};
static const struct model_desc tag_desc = DESC(struct model_tag, tag_fields, 0);

static const struct model_field ota_job_fields[] = {
	F(model_ota_job, job_id, "JobId"),
	F(model_ota_job, firmware_id, "FirmwareId"),
	F(model_ota_job, product_key, "ProductKey"),
	F(model_ota_job, name, "Name"),
	F(model_ota_job, job_status, "JobStatus"),
	F(model_ota_job, job_type, "JobType"),
	F(model_ota_job, selection_type, "SelectionType"),
	F(model_ota_job, target_selection, "TargetSelection"),
	F(model_ota_job, dest_version, "DestVersion"),
	/* {"SrcVersion": ["1.0.0"]} in the guide; a bare array or one string are read too */
	STRS(model_ota_job, src_versions, src_version_count, "SrcVersions.SrcVersion|SrcVersions"),
	F(model_ota_job, group_id, "GroupId"),
	F(model_ota_job, group_name, "GroupName"),
	F(model_ota_job, gray_percent, "GrayPercent"),
	F(model_ota_job, dynamic_mode, "DynamicMode"),
	F(model_ota_job, retry_interval, "RetryInterval"),
	F(model_ota_job, retry_count, "RetryCount"),
	F(model_ota_job, timeout_in_minutes, "TimeoutInMinutes"),
	F(model_ota_job, maximum_per_minute, "MaximumPerMinute"),
	F(model_ota_job, overwrite_mode, "OverwriteMode"),
	F(model_ota_job, multi_module_mode, "MultiModuleMode"),
	F(model_ota_job, need_push, "NeedPush"),
	F(model_ota_job, need_confirm, "NeedConfirm"),
	F(model_ota_job, download_protocol, "DownloadProtocol"),
	F(model_ota_job, job_desc, "JobDesc"),
	LIST(model_ota_job, tags, tag_count, "Tags.OtaTagDTO|Tags", &tag_desc),
	F(model_ota_job, utc_create, "UtcCreate"),
	F(model_ota_job, utc_modified, "UtcModified"),
	F(model_ota_job, utc_start_time, "UtcStartTime"),
	F(model_ota_job, utc_end_time, "UtcEndTime"),
	F(model_ota_job, utc_schedule_time, "UtcScheduleTime"),
	F(model_ota_job, utc_schedule_finish_time, "UtcScheduleFinishTime"),
};

static const struct model_field ota_task_fields[] = {
	F(model_ota_task, task_id, "TaskId"),
	F(model_ota_task, task_status, "TaskStatus"),
	F(model_ota_task, iot_id, "IotId"),
	F(model_ota_task, device_name, "DeviceName"),
	F(model_ota_task, product_key, "ProductKey"),
	F(model_ota_task, product_name, "ProductName"),
	F(model_ota_task, job_id, "JobId"),
	F(model_ota_task, firmware_id, "FirmwareId"),
	F(model_ota_task, src_version, "SrcVersion"),
	F(model_ota_task, dest_version, "DestVersion"),
	F(model_ota_task, progress, "Progress"),
	F(model_ota_task, task_desc, "TaskDesc"),
	F(model_ota_task, timeout_minutes, "Timeout"),
	F(model_ota_task, utc_create, "UtcCreate"),
	F(model_ota_task, utc_modified, "UtcModified"),
};

static const struct model_field property_status_fields[] = {
	F(model_property_status, identifier, "Identifier"),
	F(model_property_status, name, "Name"),
	F(model_property_status, value, "Value"),
	F(model_property_status, data_type, "DataType"),
	F(model_property_status, unit, "Unit"),
	F(model_property_status, time_ms, "Time"),
};


/* ---- the thing model's tables ----------------------------------------------------------- */

static void datatype_parse(const cJSON *dt, void *v, int depth);
static void datatype_clear(void *v);
static const struct model_custom datatype_ops = { datatype_parse, datatype_clear };

/* A struct member or a service's or event's parameter: an object, or a bare identifier
 * string (the inputData of the property get service). */
static const struct model_field param_fields[] = {
	F(tsl_param, identifier, "identifier"),
	F(tsl_param, name, "name|childName"),
	CUSTOM(tsl_param, type, "dataType", &datatype_ops),
};
static const struct model_desc param_desc = DESC(struct tsl_param, param_fields, 1);

static const struct model_choice access_choices[] = {
	{ "rw", TSL_ACCESS_READ_WRITE }, { "READ_WRITE", TSL_ACCESS_READ_WRITE },
	{ "r", TSL_ACCESS_READ }, { "READ_ONLY", TSL_ACCESS_READ }, { NULL, 0 },
};

static const struct model_field property_fields[] = {
	F(tsl_property, identifier, "identifier"),
	F(tsl_property, name, "name"),
	F(tsl_property, desc, "desc|description"),
	CHOICE(tsl_property, access, "accessMode|rwFlag", access_choices),
	F(tsl_property, required, "required"),
	CUSTOM(tsl_property, type, "dataType", &datatype_ops),
};
static const struct model_desc property_desc = DESC(struct tsl_property, property_fields, 0);

static const struct model_choice call_choices[] = {
	{ "sync", TSL_CALL_SYNC }, { "async", TSL_CALL_ASYNC }, { NULL, 0 },
};

static const struct model_field service_fields[] = {
	F(tsl_service, identifier, "identifier"),
	F(tsl_service, name, "name|serviceName"),
	F(tsl_service, desc, "desc|description"),
	F(tsl_service, method, "method"),
	CHOICE(tsl_service, call_type, "callType", call_choices),
	F(tsl_service, required, "required"),
	LIST(tsl_service, inputs, input_count, "inputData|inputParams", &param_desc),
	LIST(tsl_service, outputs, output_count, "outputData|outputParams", &param_desc),
};
static const struct model_desc service_desc = DESC(struct tsl_service, service_fields, 0);

/* "info" in the TSL, "INFO_EVENT_TYPE" in ThingModelJson */
static const struct model_choice event_choices[] = {
	{ "info", TSL_EVENT_INFO }, { "INFO_EVENT_TYPE", TSL_EVENT_INFO },
	{ "alert", TSL_EVENT_ALERT }, { "ALERT_EVENT_TYPE", TSL_EVENT_ALERT },
	{ "error", TSL_EVENT_ERROR }, { "ERROR_EVENT_TYPE", TSL_EVENT_ERROR }, { NULL, 0 },
};

static const struct model_field event_fields[] = {
	F(tsl_event, identifier, "identifier"),
	F(tsl_event, name, "name|eventName"),
	F(tsl_event, desc, "desc|description"),
	F(tsl_event, method, "method"),
	CHOICE(tsl_event, type, "type|eventType", event_choices),
	F(tsl_event, required, "required"),
	LIST(tsl_event, outputs, output_count, "outputData|outputParams", &param_desc),
};
static const struct model_desc event_desc = DESC(struct tsl_event, event_fields, 0);

static const struct model_field tsl_fields[] = {
	F(model_tsl, schema, "schema"),
	F(model_tsl, product_key, "profile.productKey|productKey"),
	LIST(model_tsl, properties, property_count, "properties", &property_desc),
	LIST(model_tsl, services, service_count, "services", &service_desc),
	LIST(model_tsl, events, event_count, "events", &event_desc),
};
static const struct model_desc tsl_desc = DESC(struct model_tsl, tsl_fields, 0);

/* Every list kind: its item table and the action whose answer lists it (that action's
 * list path, aliases included, is the kind's default path). */
#define KIND(name) DESC(struct model_##name, name##_fields, 0)
static const struct model_kind_row {
	struct model_desc  desc;	/* the item table */
	const char        *action;	/* the list action */
} kinds[MODEL_KIND_COUNT] = {
	[MODEL_PRODUCT] = { KIND(product), ACT_QueryProductList },
	[MODEL_DEVICE] = { KIND(device), ACT_QueryDevice },
	[MODEL_DEVICE_STATUS] = { KIND(device_status), ACT_BatchGetDeviceState },
	[MODEL_GROUP] = { KIND(group), ACT_QueryDeviceGroupList },
	[MODEL_FIRMWARE] = { KIND(firmware), ACT_ListOTAFirmware },
	[MODEL_OTA_JOB] = { KIND(ota_job), ACT_ListOTAJobByFirmware },
	[MODEL_OTA_TASK] = { KIND(ota_task), ACT_ListOTATaskByJob },
	[MODEL_PROPERTY_STATUS] = { KIND(property_status), ACT_QueryDevicePropertyStatus },
};

/* ---- generic parse and clear -------------------------------------------------------- */

static void fields_parse(const struct model_desc *d, const cJSON *o, void *out, int depth);
static void fields_clear(const struct model_desc *d, void *m);

/* The count member of row f (STRS, LIST) in struct m. */
#define COUNT(m, f) (*(size_t *)((char *)(m) + (f)->count_offset))

/* One list item into *out: with desc NULL a string (or number) into a char *; else an
 * object by the table desc, or a string as its first row if desc takes them (depth: of
 * the TSL data types in the item). Returns 0 for an item skipped. */
static int
list_item(const cJSON *o, void *out, const struct model_desc *desc, int depth)
{
	if (desc == NULL)
		return (*(char **)out = jsonpath_strdup(o, "")) != NULL;
	if (cJSON_IsString(o) && desc->strings) {
		fields_parse(desc, NULL, out, depth);
		*(char **)((char *)out + desc->fields[0].offset) = xstrdup(o->valuestring);
		return 1;
	}
	if (!cJSON_IsObject(o))
		return 0;
	fields_parse(desc, o, out, depth);
	return 1;
}

/* Parses the list at path under o into a new array of count items described by desc
 * (NULL: strings); NULL when no item was kept. */
static void *
list_parse(const cJSON *o, const char *path, const struct model_desc *desc, int depth,
    size_t *count)
{
	struct jsonpath_list l;
	size_t i, n = 0, size = desc != NULL ? desc->size : sizeof(char *);
	char *items;

	*count = 0;
	if (jsonpath_list(o, path, &l) == 0)
		return NULL;
	items = xreallocarray(NULL, l.count, size);
	for (i = 0; i < l.count; i++)
		n += list_item(l.items[i], items + n * size, desc, depth) != 0;
	jsonpath_list_free(&l);
	if (n == 0) {
		free(items);
		return NULL;
	}
	*count = n;
	return items;
}

/* Frees a list of count items described by desc (NULL: strings). */
static void
list_free(const struct model_desc *desc, void *items, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (desc != NULL)
			fields_clear(desc, (char *)items + i * desc->size);
		else
			free(((char **)items)[i]);
	}
	free(items);
}

/* The value of the choice named s (any case), 0 when none is. */
static int
choice_value(const struct model_choice *c, const char *s)
{
	for (; s != NULL && c->name != NULL; c++) {
		if (strcasecmp(c->name, s) == 0)
			return c->value;
	}
	return 0;
}

/* Fills *out (overwritten, not freed) from object o (NULL: every field unset). */
static void
fields_parse(const struct model_desc *d, const cJSON *o, void *out, int depth)
{
	const struct model_field *f;
	char *p, *s;

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
		case MODEL_F_LIST:
			*(void **)p = list_parse(o, f->path, f->aux, depth, &COUNT(out, f));
			break;
		case MODEL_F_CHOICE:
			/* enum members are int-sized (every enum here is small) */
			s = jsonpath_strdup(o, f->path);
			*(int *)p = choice_value(f->aux, s);
			free(s);
			break;
		case MODEL_F_CUSTOM:
			((const struct model_custom *)f->aux)->parse(jsonpath_get(o, f->path), p,
			    depth);
			break;
		}
	}
}

/* Frees what *m holds (secrets wiped first) and leaves every field unset. */
static void
fields_clear(const struct model_desc *d, void *m)
{
	const struct model_field *f;
	char *p;

	for (f = d->fields; f < d->fields + d->nfields; f++) {
		p = (char *)m + f->offset;
		switch (f->type) {
		case MODEL_F_SECRET:
			if (*(char **)p != NULL)
				sodium_memzero(*(char **)p, strlen(*(char **)p));
			/* FALLTHROUGH */
		case MODEL_F_STR:
			free(*(char **)p);
			break;
		case MODEL_F_STRS:
		case MODEL_F_LIST:
			list_free(f->aux, *(void **)p, COUNT(m, f));
			break;
		case MODEL_F_CUSTOM:
			((const struct model_custom *)f->aux)->clear(p);
			break;
		case MODEL_F_I64:
		case MODEL_F_DBL:
		case MODEL_F_TRI:
		case MODEL_F_CHOICE:
			break;
		}
	}
	fields_parse(d, NULL, m, 0);
}

void
model_parse(enum model_kind kind, const cJSON *obj, void *out)
{
	if ((unsigned)kind < MODEL_KIND_COUNT)
		fields_parse(&kinds[kind].desc, cJSON_IsObject(obj) ? obj : NULL, out, 0);
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
	out->items = list_parse(root, path != NULL ? path : model_default_path(kind),
	    &kinds[kind].desc, 0, &out->count);
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

/* Parses a dataType object ({"type": "int", "specs": {...}}) at nesting depth (0 for a
 * property's or parameter's own type) into the struct tsl_datatype v. A plain string
 * ("INT", the ThingModelJson way) gives the type without specs. */
static void
datatype_parse(const cJSON *dt, void *v, int depth)
{
	struct tsl_datatype *out = v;
	const cJSON *specs;

	memset(out, 0, sizeof *out);
	out->length = MODEL_NONE;
	out->array_size = MODEL_NONE;
	out->type_name = cJSON_IsString(dt) ? xstrdup(dt->valuestring) :
	    jsonpath_strdup(dt, "type");
	out->type = model_tsl_type_from_name(out->type_name);
	if (!cJSON_IsObject(dt))
		return;
	specs = jsonpath_get(dt, "specs");
	switch (out->type) {
	case TSL_TYPE_INT:
	case TSL_TYPE_FLOAT:
	case TSL_TYPE_DOUBLE:
		out->min = jsonpath_strdup(specs, "min");
		out->max = jsonpath_strdup(specs, "max");
		out->step = jsonpath_strdup(specs, "step");
		out->unit = jsonpath_strdup(specs, "unit");
		out->unit_name = jsonpath_strdup(specs, "unitName");
		break;
	case TSL_TYPE_TEXT:
		jsonpath_int64(specs, "length", &out->length);
		break;
	case TSL_TYPE_BOOL:
	case TSL_TYPE_ENUM:
		enums_parse(specs, out);
		break;
	case TSL_TYPE_STRUCT:
		if (depth < TSL_NEST_MAX)
			out->members = list_parse(dt, "specs", &param_desc, depth + 1,
			    &out->member_count);
		break;
	case TSL_TYPE_ARRAY:
		jsonpath_int64(specs, "size", &out->array_size);
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
datatype_clear(void *v)
{
	struct tsl_datatype *dt = v;
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
	list_free(&param_desc, dt->members, dt->member_count);
	if (dt->item != NULL) {
		datatype_clear(dt->item);
		free(dt->item);
	}
	datatype_parse(NULL, dt, 0);
}

int
model_tsl_parse_json(const cJSON *tsl, struct model_tsl *out, char **cause)
{
	fields_parse(&tsl_desc, cJSON_IsObject(tsl) ? tsl : NULL, out, 0);
	if (!cJSON_IsObject(tsl)) {
		*cause = xstrdup("the thing model is not a JSON object");
		return -1;
	}
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
	fields_clear(&tsl_desc, t);
}
