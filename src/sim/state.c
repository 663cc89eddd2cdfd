/* state.c — saving and loading the world (see state.h). */
#include "sim/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "sim/savefile.h"

#define STATE_VERSION 1

static void
add_i64(cJSON *o, const char *name, int64_t v)
{
	cJSON_AddNumberToObject(o, name, (double)v);
}

static int64_t
get_i64(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(o, name);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const char *
get_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static cJSON *
params_json(const struct params *p)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < p->n; i++) {
		cJSON *kv = cJSON_CreateArray();
		cJSON_AddItemToArray(kv, cJSON_CreateString(p->v[i].name));
		cJSON_AddItemToArray(kv, cJSON_CreateString(p->v[i].value));
		cJSON_AddItemToArray(a, kv);
	}
	return a;
}

static void
json_params(const cJSON *a, struct params *p)
{
	const cJSON *kv;

	params_init(p);
	cJSON_ArrayForEach(kv, a)
		if (cJSON_GetArraySize(kv) == 2)
			params_set(p, cJSON_GetArrayItem(kv, 0)->valuestring, cJSON_GetArrayItem(kv, 1)->valuestring);
}

static cJSON *
u32_json(const uint32_t *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(v[i]));
	return a;
}

/* Writes one record line {"kind": obj} and deletes obj. */
static int
put(FILE *f, const char *kind, cJSON *obj)
{
	cJSON *rec = cJSON_CreateObject();
	char *s;
	int rc;

	cJSON_AddItemToObject(rec, kind, obj);
	s = cJSON_PrintUnformatted(rec);
	rc = fputs(s, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
	free(s);
	cJSON_Delete(rec);
	return rc;
}

static cJSON *
dup_or_null(const cJSON *v)
{
	return v != NULL ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

int
sim_state_save(struct sim *sim, const char *path, char **cause)
{
	struct sim_savefile *sf = sim_savefile_begin(path, cause);
	struct sim_store *s = sim->store;
	const struct sim_ota *o = sim->ota;
	FILE *f;
	cJSON *h;
	size_t i, k;
	int err = 0;

	if (sf == NULL)
		return -1;
	f = sim_savefile_stream(sf);
	h = cJSON_CreateObject();
	cJSON_AddNumberToObject(h, "version", STATE_VERSION);
	add_i64(h, "world_ms", sim_store_now(s));
	cJSON_AddNumberToObject(h, "seed_lo", (double)(s->seed & 0xFFFFFFFFu));
	cJSON_AddNumberToObject(h, "seed_hi", (double)(s->seed >> 32));
	cJSON_AddNumberToObject(h, "rng_lo", (double)(s->rng & 0xFFFFFFFFu));
	cJSON_AddNumberToObject(h, "rng_hi", (double)(s->rng >> 32));
	add_i64(h, "msg_id", (int64_t)s->msg_id);
	err |= put(f, "iotdeck-sim-state", h);
	for (i = 0; i < s->nproducts && !err; i++) {
		const struct sim_product *p = &s->products[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "key", p->key);
		cJSON_AddStringToObject(j, "name", p->name);
		cJSON_AddStringToObject(j, "secret", p->secret);
		cJSON_AddStringToObject(j, "description", p->description);
		cJSON_AddStringToObject(j, "commodity", p->commodity);
		cJSON_AddStringToObject(j, "auth_type", p->auth_type);
		cJSON_AddStringToObject(j, "category_key", p->category_key);
		cJSON_AddStringToObject(j, "category_name", p->category_name);
		cJSON_AddStringToObject(j, "protocol_type", p->protocol_type);
		cJSON_AddNumberToObject(j, "node_type", p->node_type);
		cJSON_AddNumberToObject(j, "data_format", p->data_format);
		cJSON_AddNumberToObject(j, "net_type", p->net_type);
		cJSON_AddNumberToObject(j, "validate_type", p->validate_type);
		cJSON_AddNumberToObject(j, "id2", p->id2);
		cJSON_AddNumberToObject(j, "released", p->released);
		cJSON_AddNumberToObject(j, "deleted", p->deleted);
		add_i64(j, "created", p->created);
		cJSON_AddItemToObject(j, "tsl", dup_or_null(p->tsl));
		cJSON_AddItemToObject(j, "versions", dup_or_null(p->versions));
		cJSON_AddItemToObject(j, "tags", params_json(&p->tags));
		err |= put(f, "product", j);
	}
	for (i = 0; i < s->ndevs && !err; i++) {
		const struct sim_device *d = &s->devs[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "p", d->product);
		cJSON_AddStringToObject(j, "name", d->name);
		cJSON_AddStringToObject(j, "nick", d->nickname);
		cJSON_AddStringToObject(j, "iotid", d->iotid);
		cJSON_AddStringToObject(j, "secret", d->secret);
		if (d->firmware != NULL)
			cJSON_AddStringToObject(j, "fw", d->firmware);
		add_i64(j, "created", d->created);
		add_i64(j, "modified", d->modified);
		add_i64(j, "active", d->active);
		add_i64(j, "online", d->online);
		add_i64(j, "status_at", d->status_at);
		cJSON_AddNumberToObject(j, "ip", d->ip);
		cJSON_AddNumberToObject(j, "status", d->status);
		cJSON_AddNumberToObject(j, "disabled", d->disabled);
		cJSON_AddNumberToObject(j, "deleted", d->deleted);
		if (d->x != NULL) {
			cJSON *x = cJSON_AddObjectToObject(j, "x");
			cJSON_AddItemToObject(x, "props", dup_or_null(d->x->props));
			cJSON_AddItemToObject(x, "values", dup_or_null(d->x->values));
			cJSON_AddItemToObject(x, "desired", dup_or_null(d->x->desired));
			cJSON_AddItemToObject(x, "pending", dup_or_null(d->x->pending));
			cJSON_AddItemToObject(x, "services", dup_or_null(d->x->services));
			cJSON_AddItemToObject(x, "shadow", dup_or_null(d->x->shadow));
		}
		err |= put(f, "device", j);
	}
	for (i = 0; i < s->ngroups && !err; i++) {
		const struct sim_group *g = &s->groups[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "id", g->id);
		cJSON_AddStringToObject(j, "name", g->name);
		cJSON_AddStringToObject(j, "desc", g->desc);
		if (g->rule != NULL)
			cJSON_AddStringToObject(j, "rule", g->rule);
		cJSON_AddNumberToObject(j, "parent", g->parent);
		cJSON_AddNumberToObject(j, "deleted", g->deleted);
		add_i64(j, "created", g->created);
		cJSON_AddItemToObject(j, "devs", u32_json(g->devs, g->ndevs));
		cJSON_AddItemToObject(j, "tags", params_json(&g->tags));
		err |= put(f, "group", j);
	}
	for (i = 0; i < o->nfw && !err; i++) {
		const struct sim_firmware *w = &o->fw[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "id", w->id);
		cJSON_AddStringToObject(j, "name", w->name);
		cJSON_AddStringToObject(j, "dest", w->dest);
		cJSON_AddStringToObject(j, "src", w->src);
		cJSON_AddStringToObject(j, "module", w->module);
		cJSON_AddStringToObject(j, "desc", w->desc);
		cJSON_AddStringToObject(j, "url", w->url);
		cJSON_AddStringToObject(j, "sign", w->sign);
		cJSON_AddStringToObject(j, "sign_method", w->sign_method);
		cJSON_AddStringToObject(j, "udi", w->udi);
		cJSON_AddNumberToObject(j, "product", (double)w->product);
		cJSON_AddNumberToObject(j, "type", w->type);
		cJSON_AddNumberToObject(j, "status", w->status);
		cJSON_AddNumberToObject(j, "size", (double)w->size);
		cJSON_AddNumberToObject(j, "deleted", w->deleted);
		add_i64(j, "created", w->created);
		add_i64(j, "modified", w->modified);
		err |= put(f, "firmware", j);
	}
	for (i = 0; i < o->njobs && !err; i++) {
		const struct sim_job *b = &o->jobs[i];
		cJSON *j = cJSON_CreateObject(), *ov;
		cJSON_AddStringToObject(j, "id", b->id);
		cJSON_AddNumberToObject(j, "firmware", (double)b->firmware);
		cJSON_AddNumberToObject(j, "product", (double)b->product);
		cJSON_AddNumberToObject(j, "type", b->type);
		cJSON_AddStringToObject(j, "target", b->target);
		cJSON_AddStringToObject(j, "protocol", b->protocol);
		cJSON_AddStringToObject(j, "group_id", b->group_id);
		cJSON_AddStringToObject(j, "group_name", b->group_name);
		cJSON_AddStringToObject(j, "desc", b->desc);
		cJSON_AddItemToObject(j, "tags", params_json(&b->tags));
		cJSON_AddItemToObject(j, "src_versions", params_json(&b->src_versions));
		cJSON_AddNumberToObject(j, "need_confirm", b->need_confirm);
		cJSON_AddNumberToObject(j, "need_push", b->need_push);
		cJSON_AddNumberToObject(j, "timeout_min", b->timeout_min);
		cJSON_AddNumberToObject(j, "max_per_min", b->max_per_min);
		cJSON_AddNumberToObject(j, "retry_interval", b->retry_interval);
		cJSON_AddNumberToObject(j, "retry_count", b->retry_count);
		cJSON_AddNumberToObject(j, "dynamic_mode", b->dynamic_mode);
		cJSON_AddNumberToObject(j, "gray_percent", b->gray_percent);
		add_i64(j, "created", b->created);
		add_i64(j, "start", b->start);
		add_i64(j, "schedule", b->schedule);
		add_i64(j, "finish", b->finish);
		if (b->gray_text != NULL)
			cJSON_AddStringToObject(j, "gray_text", b->gray_text);
		add_i64(j, "canceled", b->canceled);
		add_i64(j, "modified", b->modified);
		cJSON_AddItemToObject(j, "devs", u32_json(b->devs, b->ndevs));
		ov = cJSON_AddArrayToObject(j, "ov");
		for (k = 0; b->ov != NULL && k < b->ndevs; k++) {
			const struct sim_task_ov *t = &b->ov[k];
			cJSON *e;
			if (t->restart == 0 && t->canceled == 0 && t->attempt == 0 && t->confirmed == 0)
				continue;
			e = cJSON_CreateArray();
			cJSON_AddItemToArray(e, cJSON_CreateNumber((double)k));
			cJSON_AddItemToArray(e, cJSON_CreateNumber((double)t->restart));
			cJSON_AddItemToArray(e, cJSON_CreateNumber((double)t->canceled));
			cJSON_AddItemToArray(e, cJSON_CreateNumber(t->attempt));
			cJSON_AddItemToArray(e, cJSON_CreateNumber(t->confirmed));
			cJSON_AddItemToArray(ov, e);
		}
		err |= put(f, "job", j);
	}
	for (i = 0; i < o->nmods && !err; i++) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "product_key", o->mods[i].product_key);
		cJSON_AddStringToObject(j, "name", o->mods[i].name);
		cJSON_AddStringToObject(j, "alias", o->mods[i].alias);
		cJSON_AddStringToObject(j, "desc", o->mods[i].desc);
		add_i64(j, "created", o->mods[i].created);
		add_i64(j, "modified", o->mods[i].modified);
		err |= put(f, "module", j);
	}
	if (err) {
		*cause = xasprintf("%s: %s", path, strerror(errno ? errno : EIO));
		sim_savefile_abort(sf);
		return -1;
	}
	return sim_savefile_commit(sf, cause);
}

static cJSON *
take(cJSON *o, const char *name)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(o, name);

	if (cJSON_IsNull(v)) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static int
load_line(struct sim *sim, cJSON *rec, int64_t *world, char **cause)
{
	struct sim_store *s = sim->store;
	cJSON *j;
	const cJSON *e;

	if ((j = cJSON_GetObjectItem(rec, "iotdeck-sim-state")) != NULL) {
		if (get_i64(j, "version") != STATE_VERSION) {
			*cause = xstrdup("unsupported state version");
			return -1;
		}
		*world = get_i64(j, "world_ms");
		s->seed = (uint64_t)get_i64(j, "seed_lo") | (uint64_t)get_i64(j, "seed_hi") << 32;
		s->rng = (uint64_t)get_i64(j, "rng_lo") | (uint64_t)get_i64(j, "rng_hi") << 32;
		s->msg_id = (uint64_t)get_i64(j, "msg_id");
	} else if ((j = cJSON_GetObjectItem(rec, "product")) != NULL) {
		struct sim_product p;
		memset(&p, 0, sizeof p);
		p.key = xstrdup(get_str(j, "key"));
		p.name = xstrdup(get_str(j, "name"));
		p.secret = xstrdup(get_str(j, "secret"));
		p.description = xstrdup(get_str(j, "description"));
		p.commodity = xstrdup(get_str(j, "commodity"));
		p.auth_type = xstrdup(get_str(j, "auth_type"));
		p.category_key = xstrdup(get_str(j, "category_key"));
		p.category_name = xstrdup(get_str(j, "category_name"));
		p.protocol_type = xstrdup(get_str(j, "protocol_type"));
		p.node_type = (int)get_i64(j, "node_type");
		p.data_format = (int)get_i64(j, "data_format");
		p.net_type = (int)get_i64(j, "net_type");
		p.validate_type = (int)get_i64(j, "validate_type");
		p.id2 = (int)get_i64(j, "id2");
		p.released = (int)get_i64(j, "released");
		p.deleted = (int)get_i64(j, "deleted");
		p.created = get_i64(j, "created");
		p.tsl = take(j, "tsl");
		p.versions = take(j, "versions");
		if (p.tsl == NULL)
			p.tsl = cJSON_CreateObject();
		if (p.versions == NULL)
			p.versions = cJSON_CreateArray();
		json_params(cJSON_GetObjectItem(j, "tags"), &p.tags);
		sim_store_add_product(s, &p);
	} else if ((j = cJSON_GetObjectItem(rec, "device")) != NULL) {
		size_t pi = (size_t)get_i64(j, "p");
		struct sim_device *d;
		cJSON *x;
		if (pi >= s->nproducts) {
			*cause = xstrdup("a device names an unknown product");
			return -1;
		}
		d = sim_store_add_device(s, pi, get_str(j, "name"), get_str(j, "nick"),
		    get_str(j, "iotid"), get_str(j, "secret"), get_i64(j, "created"));
		if (cJSON_IsString(cJSON_GetObjectItem(j, "fw")))
			d->firmware = sim_store_intern(s, get_str(j, "fw"));
		d->modified = get_i64(j, "modified");
		d->active = get_i64(j, "active");
		d->online = get_i64(j, "online");
		d->status_at = get_i64(j, "status_at");
		d->ip = (uint32_t)get_i64(j, "ip");
		d->status = (uint8_t)get_i64(j, "status");
		d->disabled = (uint8_t)get_i64(j, "disabled");
		if ((x = cJSON_GetObjectItem(j, "x")) != NULL) {
			struct sim_devx *dx = sim_store_devx(d);
			dx->props = take(x, "props");
			dx->values = take(x, "values");
			dx->desired = take(x, "desired");
			dx->pending = take(x, "pending");
			dx->services = take(x, "services");
			dx->shadow = take(x, "shadow");
		}
		if (get_i64(j, "deleted"))
			sim_store_delete_device(s, d);
	} else if ((j = cJSON_GetObjectItem(rec, "group")) != NULL) {
		size_t gi = sim_store_add_group(s, xstrdup(get_str(j, "id")), xstrdup(get_str(j, "name")),
		    xstrdup(get_str(j, "desc")), (int)get_i64(j, "parent"), get_i64(j, "created"));
		s->groups[gi].deleted = (int)get_i64(j, "deleted");
		if (cJSON_IsString(cJSON_GetObjectItem(j, "rule")))
			s->groups[gi].rule = xstrdup(cJSON_GetObjectItem(j, "rule")->valuestring);
		params_free(&s->groups[gi].tags);
		json_params(cJSON_GetObjectItem(j, "tags"), &s->groups[gi].tags);
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "devs")) {
			size_t di = (size_t)e->valuedouble;
			if (di < s->ndevs)
				sim_store_group_add_device(s, gi, &s->devs[di]);
		}
	} else if ((j = cJSON_GetObjectItem(rec, "firmware")) != NULL) {
		struct sim_firmware w;
		memset(&w, 0, sizeof w);
		w.id = xstrdup(get_str(j, "id"));
		w.name = xstrdup(get_str(j, "name"));
		w.dest = xstrdup(get_str(j, "dest"));
		w.src = xstrdup(get_str(j, "src"));
		w.module = xstrdup(get_str(j, "module"));
		w.desc = xstrdup(get_str(j, "desc"));
		w.url = xstrdup(get_str(j, "url"));
		w.sign = xstrdup(get_str(j, "sign"));
		w.sign_method = xstrdup(get_str(j, "sign_method"));
		w.udi = xstrdup(get_str(j, "udi"));
		w.product = (size_t)get_i64(j, "product");
		w.type = (int)get_i64(j, "type");
		w.status = (int)get_i64(j, "status");
		w.size = (long)get_i64(j, "size");
		w.deleted = (int)get_i64(j, "deleted");
		w.created = get_i64(j, "created");
		w.modified = get_i64(j, "modified");
		sim_ota_add_firmware(sim->ota, &w);
	} else if ((j = cJSON_GetObjectItem(rec, "job")) != NULL) {
		struct sim_job b, *nb;
		memset(&b, 0, sizeof b);
		b.id = xstrdup(get_str(j, "id"));
		b.firmware = (size_t)get_i64(j, "firmware");
		b.product = (size_t)get_i64(j, "product");
		b.type = (enum sim_job_type)get_i64(j, "type");
		b.target = xstrdup(get_str(j, "target"));
		b.protocol = xstrdup(get_str(j, "protocol"));
		b.group_id = xstrdup(get_str(j, "group_id"));
		b.group_name = xstrdup(get_str(j, "group_name"));
		b.desc = xstrdup(get_str(j, "desc"));
		json_params(cJSON_GetObjectItem(j, "tags"), &b.tags);
		json_params(cJSON_GetObjectItem(j, "src_versions"), &b.src_versions);
		b.need_confirm = (int)get_i64(j, "need_confirm");
		b.need_push = (int)get_i64(j, "need_push");
		b.timeout_min = (int)get_i64(j, "timeout_min");
		b.max_per_min = (int)get_i64(j, "max_per_min");
		b.retry_interval = (int)get_i64(j, "retry_interval");
		b.retry_count = (int)get_i64(j, "retry_count");
		b.dynamic_mode = (int)get_i64(j, "dynamic_mode");
		b.gray_percent = cJSON_GetObjectItem(j, "gray_percent") != NULL ?
		    cJSON_GetObjectItem(j, "gray_percent")->valuedouble : 0;
		b.created = get_i64(j, "created");
		b.start = get_i64(j, "start");
		b.schedule = get_i64(j, "schedule");
		b.finish = get_i64(j, "finish");
		b.gray_text = cJSON_IsString(cJSON_GetObjectItem(j, "gray_text")) ?
		    xstrdup(get_str(j, "gray_text")) : NULL;
		b.canceled = get_i64(j, "canceled");
		b.modified = get_i64(j, "modified");
		b.ndevs = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(j, "devs"));
		b.devs = xreallocarray(NULL, b.ndevs ? b.ndevs : 1, sizeof *b.devs);
		b.ndevs = 0;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "devs"))
			if ((size_t)e->valuedouble < s->ndevs)
				b.devs[b.ndevs++] = (uint32_t)e->valuedouble;
		nb = sim_ota_add_job(sim->ota, &b);
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "ov")) {
			size_t k = (size_t)cJSON_GetArrayItem(e, 0)->valuedouble;
			struct sim_task_ov *ov;
			if (k >= nb->ndevs || cJSON_GetArraySize(e) != 5)
				continue;
			ov = &sim_ota_overrides(nb)[k];
			ov->restart = (int64_t)cJSON_GetArrayItem(e, 1)->valuedouble;
			ov->canceled = (int64_t)cJSON_GetArrayItem(e, 2)->valuedouble;
			ov->attempt = (uint16_t)cJSON_GetArrayItem(e, 3)->valuedouble;
			ov->confirmed = (uint8_t)cJSON_GetArrayItem(e, 4)->valuedouble;
		}
	} else if ((j = cJSON_GetObjectItem(rec, "module")) != NULL) {
		struct sim_ota *o = sim->ota;
		struct sim_ota_module *m;
		o->mods = xreallocarray(o->mods, o->nmods + 1, sizeof *o->mods);
		m = &o->mods[o->nmods++];
		m->product_key = xstrdup(get_str(j, "product_key"));
		m->name = xstrdup(get_str(j, "name"));
		m->alias = xstrdup(get_str(j, "alias"));
		m->desc = xstrdup(get_str(j, "desc"));
		m->created = get_i64(j, "created");
		m->modified = get_i64(j, "modified");
	}
	return 0;
}

int
sim_state_load(struct sim *sim, const char *path, char **cause)
{
	struct sim_store *s = sim->store;
	int missing, rc = -1;
	FILE *f = sim_savefile_open_read(path, &missing, cause);
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	long lineno = 0;
	int64_t world = 0;

	if (f == NULL)
		return missing ? 1 : -1;
	while ((got = getline(&line, &cap, f)) > 0) {
		cJSON *rec;
		char *sub = NULL;
		lineno++;
		if ((rec = cJSON_Parse(line)) == NULL) {
			*cause = xasprintf("%s:%ld: not JSON", path, lineno);
			goto out;
		}
		if (lineno == 1 && cJSON_GetObjectItem(rec, "iotdeck-sim-state") == NULL) {
			cJSON_Delete(rec);
			*cause = xasprintf("%s: not an iotdeck-sim state file", path);
			goto out;
		}
		if (load_line(sim, rec, &world, &sub) != 0) {
			*cause = xasprintf("%s:%ld: %s", path, lineno, sub);
			free(sub);
			cJSON_Delete(rec);
			goto out;
		}
		cJSON_Delete(rec);
	}
	if (lineno == 0) {
		*cause = xasprintf("%s: empty state file", path);
		goto out;
	}
	/* The world resumes where it stopped (or at the real time, when that is later). */
	if (world > sim_store_now(s)) {
		s->t0_world = world;
		s->last_tick = world;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}
