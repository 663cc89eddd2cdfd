/* h_group.c — device groups (guide 4.10): static groups nested three levels deep with
 * the devices added to them, and dynamic groups whose devices are those their rule
 * matches (sim/rule.h).
 *
 * The two kinds are apart, as the guide keeps them: an action that takes GroupType (or
 * GroupTypes.N) means the dynamic groups with LINK_PLATFORM_DYNAMIC and the static ones
 * without it; one that takes none means the static ones, except the three actions made
 * for dynamic groups (CreateDeviceDynamicGroup, DeleteDeviceDynamicGroup,
 * QueryDynamicGroupDevices, which need IotInstanceId) and the two that report what a
 * device or a tag belongs to (QueryDeviceGroupByDevice, QueryDeviceGroupByTags). A group
 * of the other kind is iot.group.NotExistedGroup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/actions.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "sim/handler.h"
#include "sim/rule.h"

#define GROUP_TYPE_STATIC "LINK_PLATFORM"
#define GROUP_TYPE_DYNAMIC "LINK_PLATFORM_DYNAMIC"
/* Limits of guide 4.10 / 4.6. */
#define MAX_GROUP_LEVEL 3
#define MAX_GROUPS_PER_DEVICE 10
#define MAX_SUBGROUPS 100
#define MAX_GROUP_TAGS 100
#define MAX_DYNAMIC_GROUPS 10	/* 4.10.2: "最多可创建10个动态分组" */

/* Group names: 4-30 wide, Chinese (2 wide), letters, digits, '_'. */
static int
group_name_ok(const char *s)
{
	int w = sim_name_width(s, "_", 1);

	return w >= 4 && w <= 30;
}

static int
level_of(const struct sim_store *s, const struct sim_group *g)
{
	int level = 1;

	while (g->parent >= 0) {
		g = &s->groups[g->parent];
		level++;
	}
	return level;
}

/* The group GroupId names among the static (dynamic 0) or dynamic (1) groups; sets the
 * guide's error and returns NULL. */
static struct sim_group *
need_group_of(struct sim_call *c, int dynamic)
{
	const char *id = sim_arg(c, "GroupId");
	struct sim_group *g;

	if (id == NULL) {
		sim_fail(c, "iot.group.NullGroupId", "groupId is null.");
		return NULL;
	}
	g = dynamic ? sim_store_dynamic_group(c->store, id) : sim_store_group(c->store, id);
	if (g == NULL)
		sim_fail(c, "iot.group.NotExistedGroup", "%s group does not exist.",
		    dynamic ? "dynamic" : "static");
	return g;
}

static struct sim_group *
need_group(struct sim_call *c)
{
	return need_group_of(c, 0);
}

/* The GroupType parameter: LINK_PLATFORM_DYNAMIC for a dynamic group, absent (or
 * LINK_PLATFORM, more lenient than the guide) for a static one. Returns 0 or 1, or -1
 * after a gateway error. */
static int
type_arg(struct sim_call *c)
{
	const char *t = sim_arg(c, "GroupType");

	if (t == NULL || strcmp(t, GROUP_TYPE_STATIC) == 0)
		return 0;
	if (strcmp(t, GROUP_TYPE_DYNAMIC) == 0)
		return 1;
	return sim_gw_fail(c, 400, "InvalidGroupType",
	    "The specified parameter GroupType is not valid (LINK_PLATFORM_DYNAMIC, or none).");
}

/* The group named by GroupId and GroupType. */
static struct sim_group *
need_typed_group(struct sim_call *c)
{
	int dynamic = type_arg(c);

	return dynamic < 0 ? NULL : need_group_of(c, dynamic);
}

static int
name_taken(const struct sim_store *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (!s->groups[i].deleted && strcmp(s->groups[i].name, name) == 0)
			return 1;
	return 0;
}

/* Calls fn(arg, d) for each device rule r matches, newest first, until it returns
 * nonzero: a scan of the product the rule pins, else of every device. */
static void
rule_devices(struct sim_store *s, const struct sim_rule *r,
    int (*fn)(void *arg, struct sim_store *s, const struct sim_device *d), void *arg)
{
	long pi = sim_rule_product(r, s);
	const struct sim_product *p;
	size_t i;

	if (pi == -2)
		return;
	if (pi >= 0) {
		p = &s->products[pi];
		for (i = p->ndevs; i-- > 0;)
			if (sim_rule_match(r, s, &s->devs[p->devs[i]]) &&
			    fn(arg, s, &s->devs[p->devs[i]]))
				return;
		return;
	}
	for (i = s->ndevs; i-- > 0;)
		if (!s->devs[i].deleted && sim_rule_match(r, s, &s->devs[i]) && fn(arg, s, &s->devs[i]))
			return;
}

/* A dynamic group's stored rule, parsed (it was checked when the group was made). */
static struct sim_rule *
group_rule(const struct sim_group *g)
{
	const char *code;
	char *msg = NULL;
	struct sim_rule *r = sim_rule_parse(g->rule, &code, &msg);

	free(msg);
	return r;
}

/* Checks a new group's GroupName and GroupDesc (either kind); returns -1 after the error. */
static int
check_name_desc(struct sim_call *c, const char *name, const char *desc)
{
	if (!group_name_ok(name))
		return sim_fail(c, "iot.group.InvalidGroupName",
		    "group name is invalid: 4-30 characters (a Chinese character counts 2), letters, digits and _.");
	if (desc != NULL && utf8_chars(desc) > 100)
		return sim_fail(c, "iot.group.LongGroupDescError", "group description is longer than 100 characters.");
	return 0;
}

static int
create_device_group(struct sim_call *c)
{
	const char *name = sim_arg(c, "GroupName"), *desc = sim_arg(c, "GroupDesc");
	const char *super = sim_arg(c, "SuperGroupId");
	struct sim_group *parent = NULL;
	char id[24];
	size_t gi, i, nchildren = 0;
	cJSON *d;

	if (check_name_desc(c, name, desc) != 0)
		return -1;
	if (super != NULL) {
		if (sim_store_dynamic_group(c->store, super) != NULL)
			return sim_fail(c, "iot.group.SuperGroupUnsupport",
			    "a dynamic group holds no subgroups.");
		if ((parent = sim_store_group(c->store, super)) == NULL)
			return sim_fail(c, "iot.group.NotExistedGroup", "parent group does not exist.");
		if (level_of(c->store, parent) >= MAX_GROUP_LEVEL)
			return sim_fail(c, "iot.group.GroupLevelExceedingLimitError",
			    "groups nest at most three levels.");
	}
	if (name_taken(c->store, name))
		return sim_fail(c, "iot.group.GroupNameExisted", "group name already exists.");
	for (i = 0; parent != NULL && i < c->store->ngroups; i++) {
		const struct sim_group *g = &c->store->groups[i];
		if (!g->deleted && g->parent == (int)(parent - c->store->groups))
			nchildren++;
	}
	if (nchildren >= MAX_SUBGROUPS)
		return sim_fail(c, "iot.group.GroupCountExceedMax", "a group holds at most 100 subgroups.");
	sim_store_rand_chars(c->store, id, 16);
	gi = sim_store_add_group(c->store, xstrdup(id), xstrdup(name), xstrdup(desc != NULL ? desc : ""),
	    parent != NULL ? (int)(parent - c->store->groups) : -1, sim_store_now(c->store));
	d = cJSON_AddObjectToObject(c->out, "Data");
	if (desc != NULL)
		cJSON_AddStringToObject(d, "GroupDesc", desc);
	cJSON_AddStringToObject(d, "GroupName", name);
	sim_add_time(d, "UtcCreate", c->store->groups[gi].created, 0);
	cJSON_AddStringToObject(d, "GroupId", id);
	return 0;
}

/* 4.10.2. The rule is checked here, with QueryDeviceBySQL's codes (sim/rule.h). */
static int
create_device_dynamic_group(struct sim_call *c)
{
	const char *name = sim_arg(c, "GroupName"), *desc = sim_arg(c, "GroupDesc");
	const char *expr = sim_arg(c, "DynamicGroupExpression"), *code = NULL;
	struct sim_rule *rule;
	char id[24], *msg = NULL;
	size_t gi, i, ndynamic = 0;
	cJSON *d;

	if (check_name_desc(c, name, desc) != 0)
		return -1;
	if ((rule = sim_rule_parse(expr, &code, &msg)) == NULL) {
		sim_fail(c, code, "DynamicGroupExpression: %s.", msg);
		free(msg);
		return -1;
	}
	sim_rule_free(rule);
	if (name_taken(c->store, name))
		return sim_fail(c, "iot.group.GroupNameExisted", "group name already exists.");
	for (i = 0; i < c->store->ngroups; i++)
		ndynamic += !c->store->groups[i].deleted && c->store->groups[i].rule != NULL;
	if (ndynamic >= MAX_DYNAMIC_GROUPS)
		return sim_fail(c, "iot.group.GroupCountExceedMax", "an account holds at most 10 dynamic groups.");
	sim_store_rand_chars(c->store, id, 16);
	gi = sim_store_add_group(c->store, xstrdup(id), xstrdup(name), xstrdup(desc != NULL ? desc : ""),
	    -1, sim_store_now(c->store));
	c->store->groups[gi].rule = xstrdup(expr);
	d = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(d, "GroupName", name);
	sim_add_time(d, "UtcCreate", c->store->groups[gi].created, 0);
	if (desc != NULL)
		cJSON_AddStringToObject(d, "GroupDesc", desc);
	cJSON_AddStringToObject(d, "DynamicGroupExpression", expr);
	cJSON_AddStringToObject(d, "GroupId", id);
	return 0;
}

static int
update_device_group(struct sim_call *c)
{
	struct sim_group *g = need_typed_group(c);
	const char *desc = sim_arg(c, "GroupDesc");

	if (g == NULL)
		return -1;
	if (desc != NULL && utf8_chars(desc) > 100)
		return sim_fail(c, "iot.group.LongGroupDescError", "group description is longer than 100 characters.");
	xstrset(&g->desc, desc != NULL ? desc : "");
	return 0;
}

static int
delete_device_group(struct sim_call *c)
{
	struct sim_group *g = need_group(c);
	size_t i, gi;

	if (g == NULL)
		return -1;
	gi = (size_t)(g - c->store->groups);
	for (i = 0; i < c->store->ngroups; i++)
		if (!c->store->groups[i].deleted && c->store->groups[i].parent == (int)gi)
			return sim_fail(c, "iot.group.SubGroupNotNull", "the group has subgroups; delete them first.");
	while (g->ndevs > 0)
		sim_store_group_remove_device(c->store, gi, &c->store->devs[g->devs[g->ndevs - 1]]);
	g->deleted = 1;
	return 0;
}

static int
delete_device_dynamic_group(struct sim_call *c)
{
	struct sim_group *g = need_group_of(c, 1);

	if (g == NULL)
		return -1;
	g->deleted = 1;
	return 0;
}

/* Resolves Device.N.ProductKey/DeviceName pairs; returns the count (devices NULL when
 * invalid) or -1 after an error. */
static long
group_devices(struct sim_call *c, struct sim_device ***out)
{
	struct sim_device **v = NULL;
	char kp[64], kn[64];
	const char *pk, *dn;
	size_t n;

	for (n = 0;; n++) {
		struct sim_product *p;
		snprintf(kp, sizeof kp, "Device.%zu.ProductKey", n + 1);
		snprintf(kn, sizeof kn, "Device.%zu.DeviceName", n + 1);
		pk = params_get(c->p, kp);
		dn = params_get(c->p, kn);
		if (pk == NULL && dn == NULL)
			break;
		if (n >= 200) {
			free(v);
			sim_fail(c, "iot.device.TooManyDeviceNamesPerRequest", "at most 200 devices per call.");
			return -1;
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n] = NULL;
		if (pk != NULL && dn != NULL && (p = sim_store_product(c->store, pk)) != NULL)
			v[n] = sim_store_device_by_name(c->store, (size_t)(p - c->store->products), dn);
	}
	*out = v;
	return (long)n;
}

static int
batch_add_relations(struct sim_call *c)
{
	struct sim_group *g = need_group(c);
	struct sim_device **devs = NULL;
	long n, i, valid = 0, added = 0, already = 0, exceed = 0;
	size_t gi;
	char *msg;

	if (g == NULL || (n = group_devices(c, &devs)) < 0)
		return -1;
	gi = (size_t)(g - c->store->groups);
	for (i = 0; i < n; i++) {
		struct sim_device *d = devs[i];
		size_t k;
		int member = 0;
		if (d == NULL)
			continue;
		valid++;
		if (d->x != NULL)
			for (k = 0; k < d->x->ngroups; k++)
				member |= d->x->groups[k] == gi;
		if (member) {
			already++;
			continue;
		}
		if (d->x != NULL && d->x->ngroups >= MAX_GROUPS_PER_DEVICE) {
			exceed++;
			continue;
		}
		added += sim_store_group_add_device(c->store, gi, d);
	}
	free(devs);
	cJSON_AddNumberToObject(c->out, "SuccessAddedDeviceCount", (double)added);
	cJSON_AddNumberToObject(c->out, "ExceedTenGroupDeviceCount", (double)exceed);
	msg = xasprintf("%ld devices have been added, and %ld devices failed to be added.", added,
	    n - added);
	cJSON_AddStringToObject(c->out, "ErrorMessage", msg);
	free(msg);
	cJSON_AddNumberToObject(c->out, "ValidDeviceCount", (double)valid);
	cJSON_AddNumberToObject(c->out, "AlreadyRelatedGroupDeviceCount", (double)already);
	return 0;
}

static int
batch_delete_relations(struct sim_call *c)
{
	struct sim_group *g = need_group(c);
	struct sim_device **devs = NULL;
	long n, i, valid = 0, removed = 0;
	size_t gi, before;

	if (g == NULL || (n = group_devices(c, &devs)) < 0)
		return -1;
	gi = (size_t)(g - c->store->groups);
	before = g->ndevs;
	for (i = 0; i < n; i++) {
		if (devs[i] == NULL)
			continue;
		if (sim_store_group_remove_device(c->store, gi, devs[i])) {
			valid++;
			removed++;
		}
	}
	free(devs);
	cJSON_AddNumberToObject(c->out, "SuccessDeviceCount", (double)removed);
	cJSON_AddNumberToObject(c->out, "ValidDeviceCount", (double)valid);
	cJSON_AddNumberToObject(c->out, "AlreadyRelatedGroupDeviceCount", (double)before);
	return 0;
}

/* Device counts of a group. */
struct counts {
	size_t count, active, online;
};

static int
count_device(void *arg, struct sim_store *s, const struct sim_device *dev)
{
	struct counts *n = arg;

	(void)s;
	n->count++;
	n->active += dev->active != 0;
	n->online += !dev->disabled && dev->status == SIM_DEV_ONLINE;
	return 0;
}

static int
query_device_group_info(struct sim_call *c)
{
	struct sim_group *g = need_typed_group(c);
	struct counts n = { 0, 0, 0 };
	struct sim_rule *r;
	size_t i;
	cJSON *d;

	if (g == NULL)
		return -1;
	if (g->rule != NULL) {
		if ((r = group_rule(g)) != NULL)
			rule_devices(c->store, r, count_device, &n);
		sim_rule_free(r);
	}
	for (i = 0; i < g->ndevs; i++)
		count_device(&n, c->store, &c->store->devs[g->devs[i]]);
	d = cJSON_AddObjectToObject(c->out, "Data");
	cJSON_AddStringToObject(d, "GroupName", g->name);
	sim_add_time(d, "UtcCreate", g->created, 0);
	cJSON_AddNumberToObject(d, "DeviceOnline", (double)n.online);
	if (*g->desc != '\0')
		cJSON_AddStringToObject(d, "GroupDesc", g->desc);
	cJSON_AddNumberToObject(d, "DeviceActive", (double)n.active);
	if (g->rule != NULL)
		cJSON_AddStringToObject(d, "DynamicGroupExpression", g->rule);
	cJSON_AddNumberToObject(d, "DeviceCount", (double)n.count);
	cJSON_AddStringToObject(d, "GroupId", g->id);
	return 0;
}

static cJSON *
group_info(const struct sim_group *g)
{
	cJSON *o = cJSON_CreateObject();

	if (*g->desc != '\0')
		cJSON_AddStringToObject(o, "GroupDesc", g->desc);
	cJSON_AddStringToObject(o, "GroupName", g->name);
	sim_add_time(o, "UtcCreate", g->created, 0);
	cJSON_AddStringToObject(o, "GroupId", g->id);
	cJSON_AddStringToObject(o, "GroupType", g->rule != NULL ? GROUP_TYPE_DYNAMIC : GROUP_TYPE_STATIC);
	return o;
}

static int
query_device_group_list(struct sim_call *c)
{
	const char *super = sim_arg(c, "SuperGroupId"), *name = sim_arg(c, "GroupName");
	const struct sim_group *parent = NULL;
	const char **types = NULL;
	long page, size;
	size_t i, total = 0, skip, shown = 0, ntypes;
	int dynamic = 0;
	cJSON *arr;

	if (sim_page_args(c, 200, &page, &size) != 0)
		return -1;
	/* GroupTypes.N: one value, LINK_PLATFORM_DYNAMIC; none lists the static groups. */
	ntypes = sim_arg_list(c, "GroupTypes", &types);
	if (ntypes > 0)
		dynamic = strcmp(types[0], GROUP_TYPE_DYNAMIC) == 0;
	if (ntypes > 0 && !dynamic && strcmp(types[0], GROUP_TYPE_STATIC) != 0) {
		free(types);
		return sim_gw_fail(c, 400, "InvalidGroupTypes.1",
		    "The specified parameter GroupTypes.1 is not valid (LINK_PLATFORM_DYNAMIC).");
	}
	free(types);
	if (ntypes > 1)
		return sim_gw_fail(c, 400, "InvalidGroupTypes.2",
		    "GroupTypes takes one value (LINK_PLATFORM_DYNAMIC).");
	if (super != NULL && (parent = sim_store_group(c->store, super)) == NULL)
		return sim_fail(c, "iot.group.NotExistedGroup", "parent group does not exist.");
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	/* Newest first (4.10.10: "按照分组创建时间倒序"). */
	for (i = c->store->ngroups; i-- > 0;) {
		const struct sim_group *g = &c->store->groups[i];
		if (g->deleted || (g->rule != NULL) != dynamic ||
		    g->parent != (parent != NULL ? (int)(parent - c->store->groups) : -1))
			continue;
		/* GroupName: "不支持分组名称模糊查询". */
		if ((name != NULL && strcmp(g->name, name) != 0) || total++ < skip ||
		    shown >= (size_t)size)
			continue;
		cJSON_AddItemToArray(arr, group_info(g));
		shown++;
	}
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "GroupInfo", arr);
	sim_add_paging(c->out, "CurrentPage", page, size, total);
	return 0;
}

static int
set_device_group_tags(struct sim_call *c)
{
	struct sim_group *g = need_typed_group(c);
	const char *s = sim_arg(c, "TagString");
	cJSON *in, *t;

	if (g == NULL)
		return -1;
	in = s != NULL ? cJSON_Parse(s) : cJSON_CreateArray();
	if (!cJSON_IsArray(in) || cJSON_GetArraySize(in) > MAX_GROUP_TAGS) {
		int many = cJSON_IsArray(in);
		cJSON_Delete(in);
		return many ? sim_fail(c, "iot.group.TagCountExceedMax", "a group holds at most 100 tags.")
		    : sim_fail(c, "iot.group.InvalidFormattedTagString",
		    "TagString must be a JSON array of {\"tagKey\",\"tagValue\"}.");
	}
	cJSON_ArrayForEach(t, in) {
		const cJSON *k = cJSON_GetObjectItem(t, "tagKey"), *v = cJSON_GetObjectItem(t, "tagValue");
		if (!cJSON_IsString(k) || !cJSON_IsString(v) || *k->valuestring == '\0' ||
		    *v->valuestring == '\0') {
			cJSON_Delete(in);
			return sim_fail(c, "iot.group.InvalidFormattedTagString",
			    "tagKey and tagValue must be non-empty strings.");
		}
	}
	/* The call replaces the group's tags. */
	params_free(&g->tags);
	cJSON_ArrayForEach(t, in)
		params_set(&g->tags, cJSON_GetObjectItem(t, "tagKey")->valuestring,
		    cJSON_GetObjectItem(t, "tagValue")->valuestring);
	cJSON_Delete(in);
	return 0;
}

static int
query_device_group_tag_list(struct sim_call *c)
{
	struct sim_group *g = need_typed_group(c);
	cJSON *arr;
	size_t i;

	if (g == NULL)
		return -1;
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "GroupTagInfo");
	for (i = 0; i < g->tags.n; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "TagValue", g->tags.v[i].value);
		cJSON_AddStringToObject(t, "TagKey", g->tags.v[i].name);
		cJSON_AddItemToArray(arr, t);
	}
	return 0;
}

static int
query_device_group_by_device(struct sim_call *c)
{
	struct sim_device *d = sim_need_device(c, "IotId");
	struct sim_rule *r;
	cJSON *arr;
	size_t i;

	if (d == NULL)
		return -1;
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "GroupInfos"), "GroupInfo");
	if (d->x != NULL)
		for (i = 0; i < d->x->ngroups; i++)
			cJSON_AddItemToArray(arr, group_info(&c->store->groups[d->x->groups[i]]));
	/* The dynamic groups whose rule it matches (the guide's example answers one). */
	for (i = 0; i < c->store->ngroups; i++) {
		const struct sim_group *g = &c->store->groups[i];
		if (g->deleted || g->rule == NULL || (r = group_rule(g)) == NULL)
			continue;
		if (sim_rule_match(r, c->store, d))
			cJSON_AddItemToArray(arr, group_info(g));
		sim_rule_free(r);
	}
	return 0;
}

/* The SDK model reads Data.GroupInfo[] (the guide's example flattens it): the parent
 * first, then its ancestors. */
static int
query_super_device_group(struct sim_call *c)
{
	struct sim_group *g = need_group(c);
	const struct sim_group *up;
	cJSON *arr;

	if (g == NULL)
		return -1;
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "GroupInfo");
	for (up = g; up->parent >= 0;) {
		cJSON *o = cJSON_CreateObject();
		up = &c->store->groups[up->parent];
		cJSON_AddStringToObject(o, "GroupName", up->name);
		cJSON_AddStringToObject(o, "GroupId", up->id);
		if (*up->desc != '\0')
			cJSON_AddStringToObject(o, "GroupDesc", up->desc);
		cJSON_AddItemToArray(arr, o);
	}
	return 0;
}

static int
query_device_list_by_device_group(struct sim_call *c)
{
	struct sim_group *g = need_group(c);
	long page, size;
	size_t i, start;
	cJSON *arr;

	if (g == NULL || sim_page_args(c, 200, &page, &size) != 0)
		return -1;
	start = (size_t)(page - 1) * (size_t)size;
	cJSON_AddNumberToObject(c->out, "PageCount", (double)((g->ndevs + (size_t)size - 1) / (size_t)size));
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleDeviceInfo");
	for (i = start; i < g->ndevs && i < start + (size_t)size; i++) {
		const struct sim_device *d = &c->store->devs[g->devs[i]];
		const struct sim_product *p = &c->store->products[d->product];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "DeviceName", d->name);
		cJSON_AddStringToObject(o, "ProductKey", p->key);
		cJSON_AddStringToObject(o, "ProductName", p->name);
		cJSON_AddStringToObject(o, "IotId", d->iotid);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddNumberToObject(c->out, "PageSize", (double)size);
	cJSON_AddNumberToObject(c->out, "Page", (double)page);
	cJSON_AddNumberToObject(c->out, "Total", (double)g->ndevs);
	return 0;
}

/* QueryDynamicGroupDevices's page: the filters, then the rows of the page. */
struct dyn_page {
	const char *pk;		/* ProductKey filter, or NULL */
	const char *name;	/* DeviceName filter, or NULL */
	int         fuzzy;	/* name is a prefix */
	const char *status;	/* Status filter, or NULL */
	size_t      skip;	/* matches before the page */
	size_t      size;	/* rows a page */
	size_t      total;	/* matches */
	cJSON      *arr;	/* the page's rows */
};

static cJSON *
dyn_device(struct sim_store *s, const struct sim_device *d)
{
	const struct sim_product *p = &s->products[d->product];
	cJSON *o = cJSON_CreateObject();

	sim_add_time(o, "LastOnlineTime", d->online, 1);
	sim_add_time(o, "UtcActiveTime", d->active, 0);
	cJSON_AddStringToObject(o, "Status", sim_device_status_name(d));
	cJSON_AddStringToObject(o, "IotId", d->iotid);
	if (*p->category_key != '\0')
		cJSON_AddStringToObject(o, "CategoryKey", p->category_key);
	cJSON_AddStringToObject(o, "ProductName", p->name);
	sim_add_time(o, "UtcLastOnlineTime", d->online, 0);
	sim_add_time(o, "ActiveTime", d->active, 1);
	cJSON_AddNumberToObject(o, "NodeType", p->node_type);
	cJSON_AddStringToObject(o, "ProductKey", p->key);
	if (*d->nickname != '\0')
		cJSON_AddStringToObject(o, "Nickname", d->nickname);
	cJSON_AddStringToObject(o, "DeviceName", d->name);
	return o;
}

static int
dyn_row(void *arg, struct sim_store *s, const struct sim_device *d)
{
	struct dyn_page *pg = arg;

	if (pg->pk != NULL && strcmp(s->products[d->product].key, pg->pk) != 0)
		return 0;
	if (pg->name != NULL && (pg->fuzzy ? strncmp(d->name, pg->name, strlen(pg->name)) :
	    strcmp(d->name, pg->name)) != 0)
		return 0;
	if (pg->status != NULL && strcmp(sim_device_status_name(d), pg->status) != 0)
		return 0;
	if (pg->total >= pg->skip && pg->total < pg->skip + pg->size)
		cJSON_AddItemToArray(pg->arr, dyn_device(s, d));
	pg->total++;
	return 0;
}

/* 4.10.9: CurrentPage/PageSize (200 at most, 10 by default), and NextToken: a page's
 * token continues where it ended (the token of the simulator says the offset). The
 * devices are listed newest first. */
static int
query_dynamic_group_devices(struct sim_call *c)
{
	struct sim_group *g = need_group_of(c, 1);
	const char *token = sim_arg(c, "NextToken");
	static const char *const statuses[] = { "ONLINE", "OFFLINE", "UNACTIVE", "DISABLE" };
	struct dyn_page pg;
	struct sim_rule *r;
	unsigned long off;
	long page, size;
	char *next;
	int n = 0;
	size_t i;

	memset(&pg, 0, sizeof pg);
	if (g == NULL || sim_page_args(c, 200, &page, &size) != 0 ||
	    sim_arg_bool(c, "FuzzyName", 0, &pg.fuzzy) != 0)
		return -1;
	pg.pk = sim_arg(c, "ProductKey");
	pg.name = sim_arg(c, "DeviceName");
	pg.status = sim_arg(c, "Status");
	if (pg.status != NULL) {
		for (i = 0; i < 4 && strcmp(pg.status, statuses[i]) != 0; i++)
			;
		if (i == 4)
			return sim_gw_fail(c, 400, "InvalidStatus",
			    "The specified parameter Status is not valid (ONLINE, OFFLINE, UNACTIVE or DISABLE).");
	}
	/* "DeviceName值为设备名称的前缀字符串，长度必须大于4个字符" */
	if (pg.fuzzy && pg.name != NULL && utf8_chars(pg.name) <= 4)
		return sim_fail(c, "iot.device.FuzzyRuntimeSearchMinLengthLimit",
		    "a fuzzy DeviceName needs at least 5 characters.");
	pg.size = (size_t)size;
	pg.skip = (size_t)(page - 1) * (size_t)size;
	if (token != NULL) {
		if (sscanf(token, "SIMDYN.%lx%n", &off, &n) != 1 || token[n] != '\0')
			return sim_fail(c, "iot.common.InvalidFormattedParameter", "NextToken is invalid.");
		pg.skip = off;
	}
	pg.arr = cJSON_CreateArray();
	if ((r = group_rule(g)) != NULL)
		rule_devices(c->store, r, dyn_row, &pg);
	sim_rule_free(r);
	if (pg.skip + pg.size < pg.total) {
		next = xasprintf("SIMDYN.%zx", pg.skip + pg.size);
		cJSON_AddStringToObject(c->out, "NextToken", next);
		free(next);
	}
	cJSON_AddNumberToObject(c->out, "PageCount", (double)((pg.total + pg.size - 1) / pg.size));
	cJSON_AddNumberToObject(c->out, "PageSize", (double)size);
	cJSON_AddNumberToObject(c->out, "Total", (double)pg.total);
	cJSON_AddNumberToObject(c->out, "Page", (double)page);
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "SimpleDeviceInfo", pg.arr);
	return 0;
}

/* A group's tag (sim_tags_match). */
static const char *
group_tag(const void *obj, const char *key)
{
	return params_get(&((const struct sim_group *)obj)->tags, key);
}

static int
query_device_group_by_tags(struct sim_call *c)
{
	long page, size;
	size_t i, ntags = sim_arg_tag_count(c), total = 0, skip, shown = 0;
	cJSON *arr;

	if (sim_page_args(c, 200, &page, &size) != 0)
		return -1;
	skip = (size_t)(page - 1) * (size_t)size;
	arr = cJSON_CreateArray();
	for (i = 0; i < c->store->ngroups; i++) {
		const struct sim_group *g = &c->store->groups[i];
		cJSON *o;
		if (g->deleted || !sim_tags_match(c, ntags, group_tag, g) || total++ < skip ||
		    shown >= (size_t)size)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "GroupName", g->name);
		cJSON_AddStringToObject(o, "GroupId", g->id);
		cJSON_AddItemToArray(arr, o);
		shown++;
	}
	cJSON_AddItemToObject(cJSON_AddObjectToObject(c->out, "Data"), "DeviceGroup", arr);
	sim_add_paging(c->out, "Page", page, size, total);
	return 0;
}

const struct sim_handler sim_group_handlers[] = {
	{ ACT_CreateDeviceGroup, create_device_group },
	{ ACT_CreateDeviceDynamicGroup, create_device_dynamic_group },
	{ ACT_UpdateDeviceGroup, update_device_group },
	{ ACT_DeleteDeviceGroup, delete_device_group },
	{ ACT_DeleteDeviceDynamicGroup, delete_device_dynamic_group },
	{ ACT_BatchAddDeviceGroupRelations, batch_add_relations },
	{ ACT_BatchDeleteDeviceGroupRelations, batch_delete_relations },
	{ ACT_QueryDeviceGroupInfo, query_device_group_info },
	{ ACT_QueryDeviceGroupList, query_device_group_list },
	{ ACT_SetDeviceGroupTags, set_device_group_tags },
	{ ACT_QueryDeviceGroupTagList, query_device_group_tag_list },
	{ ACT_QueryDeviceGroupByDevice, query_device_group_by_device },
	{ ACT_QuerySuperDeviceGroup, query_super_device_group },
	{ ACT_QueryDeviceListByDeviceGroup, query_device_list_by_device_group },
	{ ACT_QueryDynamicGroupDevices, query_dynamic_group_devices },
	{ ACT_QueryDeviceGroupByTags, query_device_group_by_tags },
	{ NULL, NULL }
};
