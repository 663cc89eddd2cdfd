/* model.h — typed models of IoT Platform answers (API 2018-01-20) and the one place
 * where the varying list shapes are turned into arrays.
 *
 * Conventions shared by every model:
 *   - Every field is optional. A string the answer did not carry is NULL; an integer is
 *     MODEL_NONE; a double is NAN (test with isnan); a yes/no field is -1.
 *   - Values are converted leniently (jsonpath.h): a number where a string is expected is
 *     formatted, "1440" where a number is expected is parsed, "true" is a boolean. A value
 *     that cannot be converted is left unset; nothing here fails on a wrong type.
 *   - Strings are copies, raw as the answer gave them: they are NOT display-safe (the UI
 *     passes them through safetext before drawing).
 *   - Times that are epoch milliseconds are kept as int64_t (*_ms); the date strings the
 *     API prints (Gmt* in several local formats, Utc* in ISO 8601) are kept as strings.
 *   - A model is owned by whoever passed it in: model_X_parse (model_parse) fills a
 *     caller's struct and model_X_clear (model_clear) frees what it holds (the struct
 *     itself stays the caller's). A struct model_list owns its item array and all in it.
 *   - Secrets (DeviceSecret, ProductSecret) are wiped before they are freed.
 */
#ifndef IOTDECK_MODEL_H
#define IOTDECK_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/jsonpath.h"

/* An integer field the answer did not carry (or carried as something unconvertible). */
#define MODEL_NONE INT64_MIN

/* A product: a QueryProductList item (Data.List.ProductInfo[]) or the QueryProduct
 * detail (Data). The list item carries the first seven fields and Description. */
struct model_product {
	char    *product_key;		/* ProductKey */
	char    *product_name;		/* ProductName */
	int64_t  node_type;		/* NodeType: 0 device, 1 gateway */
	int64_t  data_format;		/* DataFormat: 0 custom (pass-through), 1 Alink JSON */
	int64_t  device_count;		/* DeviceCount */
	int64_t  gmt_create_ms;		/* GmtCreate, epoch ms */
	char    *auth_type;		/* AuthType: secret, id2 or x509 */
	char    *description;		/* Description */
	char    *product_secret;	/* ProductSecret (detail only; wiped on free) */
	char    *product_status;	/* ProductStatus: DEVELOPMENT_STATUS or RELEASE_STATUS */
	char    *aliyun_commodity_code;	/* AliyunCommodityCode: iothub_senior or iothub */
	char    *category_key;		/* CategoryKey */
	char    *category_name;		/* CategoryName */
	char    *protocol_type;		/* ProtocolType: modbus, opc-ua, customize, ble, zigbee */
	int64_t  net_type;		/* NetType: 3 Wi-Fi, 6 cellular, 7 Ethernet, 8 other */
	int64_t  validate_type;		/* ValidateType: 0 strict, 1 weak, 2 none */
	int      owner;			/* Owner: the caller owns the product (-1 not said) */
	int      id2;			/* Id2: ID² authentication (-1 not said) */
};

/* A device: a QueryDevice item (Data.DeviceInfo[]), the QueryDeviceDetail detail (Data),
 * a BatchQueryDeviceDetail item (Data.Data[]), or a QueryDeviceBySQL or
 * QueryDynamicGroupDevices item. Fields a given API does not return stay unset. */
struct model_device {
	char    *iot_id;		/* IotId */
	char    *device_name;		/* DeviceName */
	char    *product_key;		/* ProductKey */
	char    *product_name;		/* ProductName (detail, batch detail, dynamic group) */
	char    *device_secret;		/* DeviceSecret (wiped on free) */
	char    *device_id;		/* DeviceId (QueryDevice; legacy, not usable in calls) */
	char    *status;		/* Status, or QueryDevice's DeviceStatus: ONLINE, OFFLINE,
					   UNACTIVE or DISABLE */
	char    *nickname;		/* Nickname */
	int64_t  node_type;		/* NodeType: 0 device, 1 gateway */
	char    *firmware_version;	/* FirmwareVersion of the default OTA module */
	char    *ip_address;		/* IpAddress */
	char    *region;		/* Region */
	int      owner;			/* Owner (-1 not said) */
	char    *gmt_create;		/* GmtCreate, local time in the API's format of the day */
	char    *gmt_modified;		/* GmtModified */
	char    *gmt_active;		/* GmtActive, or ActiveTime (SQL, dynamic groups) */
	char    *gmt_online;		/* GmtOnline, or LastOnlineTime (dynamic groups) */
	char    *utc_create;		/* UtcCreate, ISO 8601 */
	char    *utc_modified;		/* UtcModified */
	char    *utc_active;		/* UtcActive, or UtcActiveTime */
	char    *utc_online;		/* UtcOnline, or UtcLastOnlineTime */
};

/* A device's connection state: the GetDeviceStatus detail (Data, which has only Status
 * and Timestamp) or a BatchGetDeviceState item (DeviceStatusList.DeviceStatus[]). */
struct model_device_status {
	char    *iot_id;		/* IotId */
	char    *device_name;		/* DeviceName */
	char    *device_id;		/* DeviceId (legacy) */
	char    *status;		/* Status: ONLINE, OFFLINE, UNACTIVE or DISABLE */
	char    *as_address;		/* AsAddress: address of the access server */
	char    *last_online_time;	/* LastOnlineTime, "yyyy-MM-dd HH:mm:ss" */
	int64_t  timestamp_ms;		/* Timestamp of the status, epoch ms */
};

/* A device group: a QueryDeviceGroupList item (Data.GroupInfo[]), a
 * QueryDeviceGroupByDevice item (GroupInfos.GroupInfo[]), a QuerySuperDeviceGroup item
 * (Data.GroupInfo[]: a parent, with only the id, name and description) or the
 * QueryDeviceGroupInfo detail (Data, which adds the counts and the expression). */
struct model_group {
	char    *group_id;		/* GroupId */
	char    *group_name;		/* GroupName */
	char    *group_desc;		/* GroupDesc */
	char    *group_type;		/* GroupType: LINK_PLATFORM (static) or
					   LINK_PLATFORM_DYNAMIC (dynamic); NULL when not sent */
	char    *utc_create;		/* UtcCreate */
	int64_t  device_count;		/* DeviceCount */
	int64_t  device_active;		/* DeviceActive */
	int64_t  device_online;		/* DeviceOnline */
	char    *dynamic_group_expression;	/* DynamicGroupExpression (dynamic groups) */
};

/* The documented GroupType values (guide 4.10): a static group (devices added by hand,
 * subgroups up to three levels) and a dynamic one (devices matched by its rule,
 * DynamicGroupExpression). Requests name a dynamic group with GroupType (or GroupTypes.1)
 * LINK_PLATFORM_DYNAMIC; without it they mean the static ones. */
#define MODEL_GROUP_STATIC  "LINK_PLATFORM"
#define MODEL_GROUP_DYNAMIC "LINK_PLATFORM_DYNAMIC"

/* What a GroupType says: 0 static (LINK_PLATFORM, or NULL: an answer to a request that
 * named no type lists static groups), 1 dynamic (LINK_PLATFORM_DYNAMIC), -1 a value the
 * guide does not document (show it as it is rather than guess). */
int model_group_type_kind(const char *group_type);
/* "static" or "dynamic" for a documented GroupType (NULL counts as static), else NULL. */
const char *model_group_type_name(const char *group_type);

/* One file of a multi-file OTA package (QueryOTAFirmware MultiFiles[]). */
struct model_firmware_file {
	char    *name;			/* Name */
	int64_t  size;			/* Size in bytes */
	char    *url;			/* Url */
	char    *sign_value;		/* SignValue */
	char    *file_md5;		/* FileMd5 */
};

/* An OTA package: a ListOTAFirmware item (FirmwareInfo.SimpleFirmwareInfo[]) or the
 * QueryOTAFirmware detail (FirmwareInfo, a top-level object). */
struct model_firmware {
	char    *firmware_id;		/* FirmwareId */
	char    *firmware_name;		/* FirmwareName */
	char    *dest_version;		/* DestVersion */
	char    *src_version;		/* SrcVersion (differential packages) */
	char    *module_name;		/* ModuleName */
	char    *product_key;		/* ProductKey */
	char    *product_name;		/* ProductName */
	int64_t  type;			/* Type: 0 full, 1 differential */
	int64_t  status;		/* Status: -1 no check needed, 0 unverified, 1 verified,
					   2 verifying, 3 verification failed */
	int64_t  verify_progress;	/* VerifyProgress 0..100 (detail) */
	char    *sign_method;		/* SignMethod: MD5 or SHA256 */
	char    *firmware_sign;		/* FirmwareSign */
	int64_t  firmware_size;		/* FirmwareSize in bytes */
	char    *firmware_url;		/* FirmwareUrl (detail, single-file packages) */
	char    *firmware_desc;		/* FirmwareDesc */
	char    *udi;			/* Udi: the package's custom JSON text */
	char    *utc_create;		/* UtcCreate */
	char    *utc_modified;		/* UtcModified */
	struct model_firmware_file *files;	/* MultiFiles (detail); owned */
	size_t   file_count;		/* number of files */
};

/* A key/value tag of an OTA job (Tags.OtaTagDTO[]). */
struct model_tag {
	char    *key;			/* Key */
	char    *value;			/* Value */
};

/* An OTA job: a ListOTAJobByFirmware item (Data.SimpleOTAJobInfo[]) or the QueryOTAJob
 * detail (Data). */
struct model_ota_job {
	char    *job_id;		/* JobId */
	char    *firmware_id;		/* FirmwareId */
	char    *product_key;		/* ProductKey */
	char    *name;			/* Name of the package (detail) */
	char    *job_status;		/* JobStatus: PLANNED, IN_PROGRESS, COMPLETED, CANCELED */
	char    *job_type;		/* JobType: VERIFY_FIRMWARE or UPGRADE_FIRMWARE */
	char    *selection_type;	/* SelectionType: STATIC or DYNAMIC */
	char    *target_selection;	/* TargetSelection: ALL, SPECIFIC, GRAY or GROUP */
	char    *dest_version;		/* DestVersion */
	char   **src_versions;		/* SrcVersions.SrcVersion[]; owned, each string too */
	size_t   src_version_count;	/* number of src_versions */
	char    *group_id;		/* GroupId */
	char    *group_name;		/* GroupName */
	char    *gray_percent;		/* GrayPercent as printed, e.g. "50.00" */
	int64_t  dynamic_mode;		/* DynamicMode: 1 or 2 (dynamic jobs) */
	int64_t  retry_interval;	/* RetryInterval in minutes */
	int64_t  retry_count;		/* RetryCount */
	int64_t  timeout_in_minutes;	/* TimeoutInMinutes */
	int64_t  maximum_per_minute;	/* MaximumPerMinute */
	int64_t  overwrite_mode;	/* OverwriteMode */
	int      multi_module_mode;	/* MultiModuleMode (-1 not said) */
	int      need_push;		/* NeedPush (-1 not said) */
	int      need_confirm;		/* NeedConfirm (-1 not said) */
	char    *download_protocol;	/* DownloadProtocol: HTTPS or MQTT */
	char    *job_desc;		/* JobDesc */
	struct model_tag *tags;		/* Tags; owned */
	size_t   tag_count;		/* number of tags */
	char    *utc_create;		/* UtcCreate */
	char    *utc_modified;		/* UtcModified */
	char    *utc_start_time;	/* UtcStartTime */
	char    *utc_end_time;		/* UtcEndTime (finished jobs) */
	char    *utc_schedule_time;	/* UtcScheduleTime */
	char    *utc_schedule_finish_time;	/* UtcScheduleFinishTime */
};

/* One device's upgrade in a job: a ListOTATaskByJob item. The guide's table names the
 * item Data.SimpleOTATaskInfo[] but its example uses Data.SimpleOTAJobInfo[]; both are
 * read. */
struct model_ota_task {
	char    *task_id;		/* TaskId */
	char    *task_status;		/* TaskStatus: CONFIRM, QUEUED, NOTIFIED, IN_PROGRESS,
					   SUCCEEDED, FAILED or CANCELED */
	char    *iot_id;		/* IotId */
	char    *device_name;		/* DeviceName */
	char    *product_key;		/* ProductKey */
	char    *product_name;		/* ProductName */
	char    *job_id;		/* JobId */
	char    *firmware_id;		/* FirmwareId */
	char    *src_version;		/* SrcVersion */
	char    *dest_version;		/* DestVersion */
	double   progress;		/* Progress in percent (the API sends "0.00"); NAN */
	char    *task_desc;		/* TaskDesc: error text on failure or cancel */
	int64_t  timeout_minutes;	/* Timeout in minutes ("" when the job has none) */
	char    *utc_create;		/* UtcCreate */
	char    *utc_modified;		/* UtcModified */
};

/* The latest value of one property: a QueryDevicePropertyStatus item
 * (Data.List.PropertyStatusInfo[]). */
struct model_property_status {
	char    *identifier;		/* Identifier */
	char    *name;			/* Name */
	char    *value;			/* Value as text (the API sends strings) */
	char    *data_type;		/* DataType: int, float, double, enum, bool, text, date,
					   array or struct */
	char    *unit;			/* Unit */
	int64_t  time_ms;		/* Time of the value, epoch ms (sent as a string) */
};

/* What a struct model_list holds (and which field table model_parse uses). */
enum model_kind {
	MODEL_PRODUCT,		/* struct model_product */
	MODEL_DEVICE,		/* struct model_device */
	MODEL_DEVICE_STATUS,	/* struct model_device_status */
	MODEL_GROUP,		/* struct model_group */
	MODEL_FIRMWARE,		/* struct model_firmware */
	MODEL_OTA_JOB,		/* struct model_ota_job */
	MODEL_OTA_TASK,		/* struct model_ota_task */
	MODEL_PROPERTY_STATUS,	/* struct model_property_status */
	MODEL_KIND_COUNT
};

/* The type of a field in a model's field table (model.c describes every model as one). */
enum model_ftype {
	MODEL_F_STR,		/* char *: a copy of the string form, NULL unset */
	MODEL_F_SECRET,		/* char *: as STR, wiped before it is freed */
	MODEL_F_I64,		/* int64_t: MODEL_NONE unset */
	MODEL_F_DBL,		/* double: NAN unset */
	MODEL_F_TRI,		/* int: 1 yes, 0 no, -1 unset */
	MODEL_F_STRS,		/* char **: strings, counted by the size_t at count_offset */
	MODEL_F_LIST,		/* structs described by aux, counted at count_offset */
	MODEL_F_CHOICE,		/* an enum: the value of the string aux names, 0 unset */
	MODEL_F_CUSTOM		/* read and freed by aux's functions (the TSL's dataType) */
};

/* One row of a model's field table. */
struct model_field {
	const char               *path;		/* JSON path under the item; '|' separates
						   the other names answers use */
	enum model_ftype          type;		/* how the member is read and freed */
	size_t                    offset;	/* offsetof the member in the model */
	size_t                    count_offset;	/* STRS, LIST: offsetof the size_t count */
	const void               *aux;		/* LIST: the items' table; CHOICE: the
						   names; CUSTOM: the functions (private) */
};

/* Parses one object into *out, a struct of the kind's type, which is overwritten (not
 * freed) first. An obj that is NULL or not an object leaves *out with every field unset.
 * Never fails. Release what *out holds with model_clear. */
void model_parse(enum model_kind kind, const cJSON *obj, void *out);
/* Frees everything the model holds and leaves it with every field unset (clearing twice
 * is harmless). */
void model_clear(enum model_kind kind, void *m);
/* The field table of a kind and its number of rows (for generic display and tests). */
const struct model_field *model_fields(enum model_kind kind, size_t *count);

/* Typed forms: model_device_parse(obj, &d), model_device_clear(&d), ... */
#define MODEL_TYPED(name, kind)							\
	static inline void model_##name##_parse(const cJSON *obj, struct model_##name *out) \
	{ model_parse(kind, obj, out); }					\
	static inline void model_##name##_clear(struct model_##name *m)		\
	{ model_clear(kind, m); }
MODEL_TYPED(product, MODEL_PRODUCT)
MODEL_TYPED(device, MODEL_DEVICE)
MODEL_TYPED(device_status, MODEL_DEVICE_STATUS)
MODEL_TYPED(group, MODEL_GROUP)
MODEL_TYPED(firmware, MODEL_FIRMWARE)
MODEL_TYPED(ota_job, MODEL_OTA_JOB)
MODEL_TYPED(ota_task, MODEL_OTA_TASK)
MODEL_TYPED(property_status, MODEL_PROPERTY_STATUS)
#undef MODEL_TYPED

/* A parsed list and the paging totals of the answer it came from. */
struct model_list {
	enum model_kind       kind;	/* the type of every item */
	void                 *items;	/* count structs of that type (cast: struct
					   model_device *d = list.items); owned, NULL if empty */
	size_t                count;	/* number of items */
	struct jsonpath_page  page;	/* Total, PageCount, ... of the answer; owned */
};

/* Parses the list at path in the answer root (path NULL: the kind's default, see
 * model_default_path) into *out, normalising the shapes jsonpath_list describes.
 * Items that are not objects are skipped. A missing or null list gives zero items.
 * Always succeeds; free with model_list_free. */
void model_list_parse(enum model_kind kind, const cJSON *root, const char *path,
    struct model_list *out);
/* Frees every item and the paging token, and empties l (its kind stays). */
void model_list_free(struct model_list *l);
/* The default list path of a kind: where the list action of that kind (QueryProductList,
 * QueryDevice, BatchGetDeviceState, QueryDeviceGroupList, ListOTAFirmware,
 * ListOTAJobByFirmware, ListOTATaskByJob, QueryDevicePropertyStatus) keeps it. Pass
 * action_get(name)->list_path instead for the other actions of a kind. */
const char *model_default_path(enum model_kind kind);
/* The size of one item of a kind (the stride of model_list.items). */
size_t model_item_size(enum model_kind kind);
/* The i-th item of l (cast to the kind's struct), or NULL past the end. */
void *model_list_item(const struct model_list *l, size_t i);

/* ---- Thing model (TSL) ------------------------------------------------------------ */

/* Data types of the TSL (guide 4.11.19; the TslStr spells them in lower case). */
enum tsl_type {
	TSL_TYPE_UNKNOWN = 0,	/* missing, or a type this version does not know */
	TSL_TYPE_INT,		/* int32 */
	TSL_TYPE_FLOAT,		/* float */
	TSL_TYPE_DOUBLE,	/* double */
	TSL_TYPE_TEXT,		/* text of at most length bytes */
	TSL_TYPE_DATE,		/* UTC epoch ms as a string */
	TSL_TYPE_BOOL,		/* 0/1 with a name for each */
	TSL_TYPE_ENUM,		/* integers with a name for each */
	TSL_TYPE_STRUCT,	/* named members */
	TSL_TYPE_ARRAY		/* size elements of one item type */
};

/* How far ARRAY and STRUCT may nest (4.11.19: parent and child). A container deeper than
 * this keeps its type but not its specs, so hostile input cannot recurse without end. */
#define TSL_NEST_MAX 2

/* One value->name pair of a bool or enum. */
struct tsl_enum_item {
	int64_t  value;			/* the integer sent on the wire */
	char    *name;			/* its label */
};

struct tsl_param;

/* A data type and its specs. Only the fields of its type are set. */
struct tsl_datatype {
	enum tsl_type          type;		/* the type */
	char                  *type_name;	/* "type" as the TSL spelt it (also when
						   unknown); NULL if missing */
	char                  *min;		/* int/float/double: specs.min as text */
	char                  *max;		/* specs.max */
	char                  *step;		/* specs.step */
	char                  *unit;		/* specs.unit, the symbol */
	char                  *unit_name;	/* specs.unitName */
	int64_t                length;		/* text: specs.length in bytes */
	struct tsl_enum_item  *enums;		/* bool/enum: value->name, sorted by value;
						   owned */
	size_t                 enum_count;	/* number of enums */
	struct tsl_param      *members;		/* struct: its members; owned */
	size_t                 member_count;	/* number of members */
	int64_t                array_size;	/* array: specs.size */
	struct tsl_datatype   *item;		/* array: the element type; owned, NULL if
						   not given */
};

/* A struct member, or an input/output parameter of a service or event. */
struct tsl_param {
	char                *identifier;	/* identifier */
	char                *name;		/* name */
	struct tsl_datatype  type;		/* dataType */
};

/* accessMode "rw"/"r", or rwFlag READ_WRITE/READ_ONLY. */
enum tsl_access {
	TSL_ACCESS_UNKNOWN = 0,	/* not said */
	TSL_ACCESS_READ,	/* read only */
	TSL_ACCESS_READ_WRITE	/* can be set from the cloud */
};

struct tsl_property {
	char                *identifier;	/* identifier */
	char                *name;		/* name */
	char                *desc;		/* desc */
	enum tsl_access      access;		/* accessMode / rwFlag */
	int                  required;		/* required (-1 not said) */
	struct tsl_datatype  type;		/* dataType */
};

/* callType "sync"/"async" (any case). */
enum tsl_call {
	TSL_CALL_UNKNOWN = 0,	/* not said */
	TSL_CALL_ASYNC,		/* answer comes later, InvokeThingService returns MessageId */
	TSL_CALL_SYNC		/* RRPC, answer within 5 s */
};

struct tsl_service {
	char              *identifier;		/* identifier */
	char              *name;		/* name */
	char              *desc;		/* desc */
	char              *method;		/* method, e.g. thing.service.Reboot */
	enum tsl_call      call_type;		/* callType */
	int                required;		/* required (-1 not said) */
	struct tsl_param  *inputs;		/* inputData; owned. A bare identifier string
						   (the property get service) gives a param
						   with only identifier set */
	size_t             input_count;		/* number of inputs */
	struct tsl_param  *outputs;		/* outputData; owned */
	size_t             output_count;	/* number of outputs */
};

/* type "info"/"alert"/"error" (or eventType INFO_EVENT_TYPE...). */
enum tsl_event_type {
	TSL_EVENT_UNKNOWN = 0,	/* not said */
	TSL_EVENT_INFO,		/* information */
	TSL_EVENT_ALERT,	/* alert */
	TSL_EVENT_ERROR		/* fault */
};

struct tsl_event {
	char                *identifier;	/* identifier */
	char                *name;		/* name */
	char                *desc;		/* desc */
	char                *method;		/* method, e.g. thing.event.property.post */
	enum tsl_event_type  type;		/* type */
	int                  required;		/* required (-1 not said) */
	struct tsl_param    *outputs;		/* outputData; owned */
	size_t               output_count;	/* number of outputs */
};

/* A whole thing model. */
struct model_tsl {
	char                *schema;		/* schema URL */
	char                *product_key;	/* profile.productKey */
	struct tsl_property *properties;	/* properties; owned */
	size_t               property_count;	/* number of properties */
	struct tsl_service  *services;		/* services; owned */
	size_t               service_count;	/* number of services */
	struct tsl_event    *events;		/* events; owned */
	size_t               event_count;	/* number of events */
};

/* Parses an already-parsed TSL object into *out (overwritten first). Returns 0, or -1
 * with a caller-freed *cause when tsl is not a JSON object. Lists that are single objects
 * or missing are normalised as for answers; unknown members are ignored. Free with
 * model_tsl_clear (also after a failure). */
int model_tsl_parse_json(const cJSON *tsl, struct model_tsl *out, char **cause);
/* Parses TSL text s[0..len) (need not be NUL-terminated). Returns 0, or -1 with a
 * caller-freed *cause when it is not JSON or not an object. */
int model_tsl_parse(const char *s, size_t len, struct model_tsl *out, char **cause);
/* Parses the TSL of a GetThingModelTsl or GetThingModelTslPublished answer: Data.TslStr
 * (also TslStr, Tsl, Data.Tsl), a JSON string holding the TSL, or the TSL object itself.
 * Returns 0, or -1 with a caller-freed *cause when the answer has no TSL or it does not
 * parse. */
int model_tsl_from_response(const cJSON *root, struct model_tsl *out, char **cause);
/* Frees everything a model_tsl holds and empties it. */
void model_tsl_clear(struct model_tsl *t);

/* Returns the type named s ("int", "FLOAT", ...; any case), TSL_TYPE_UNKNOWN otherwise. */
enum tsl_type model_tsl_type_from_name(const char *s);
/* Returns the lower-case TSL name of a type ("int"...), "unknown" for TSL_TYPE_UNKNOWN. */
const char *model_tsl_type_name(enum tsl_type t);
/* Returns the label of value in a bool/enum type, or NULL when it has none. */
const char *model_tsl_enum_name(const struct tsl_datatype *dt, int64_t value);

#endif
