/* store.c — the simulator's world in compact arrays.
 *
 * DESIGN: a million devices must fit in well under 1 GiB and a list page must cost a
 * few microseconds, so devices are not JSON. Every device is one fixed-size struct
 * sim_device (about 100 bytes) in a single array, s->devs, never reordered: its index
 * is its identity inside the simulator. Its strings (name, nickname, IotId, secret,
 * firmware version) are copied into an append-only arena of 1 MiB chunks, so a device
 * costs one allocation-free slot plus ~100 bytes of text. Each product keeps the indices
 * of its live devices in creation order, so QueryDevice page k is a slice of that array
 * (read from the end: newest first). Two open-addressing hash indexes map an IotId and
 * a (product, DeviceName) pair to a device index; deleting a device leaves a tombstone
 * in s->devs and in the indexes. Rarely used data (device tags, property values, group
 * memberships) hangs off a per-device pointer allocated on first use.
 * One mutex guards the whole store (and the OTA state and bucket of the struct sim that
 * owns it, sim.h); handlers run under it. The store knows nothing of OTA.
 */
#include "sim/store.h"
#include "core/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xmalloc.h"

#define ARENA_CHUNK (1u << 20)

struct sim_arena_chunk {
	struct sim_arena_chunk *next;	/* older chunk */
	size_t                  used;	/* bytes used in data */
	size_t                  cap;	/* bytes in data */
	char                    data[];	/* the strings */
};

struct sim_store *
sim_store_new(uint64_t seed)
{
	struct sim_store *s = xcalloc(1, sizeof *s);

	s->rng = seed ^ 0x9E3779B97F4A7C15ULL;
	s->seed = seed;
	s->time_scale = 1.0;
	s->flap_ms = 2LL * 3600 * 1000;
	s->service_ms = 200;	/* SIM_SERVICE_MS of world.h */
	s->service_jitter_ms = -1;	/* half of it */
	s->t0_real = s->t0_world = clock_wall_ms();
	s->last_tick = s->t0_world;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

static void
devx_free(struct sim_devx *x)
{
	if (x == NULL)
		return;
	cJSON_Delete(x->props);
	cJSON_Delete(x->values);
	cJSON_Delete(x->desired);
	cJSON_Delete(x->pending);
	cJSON_Delete(x->services);
	cJSON_Delete(x->shadow);
	free(x->groups);
	free(x);
}

void
sim_store_free(struct sim_store *s)
{
	struct sim_arena_chunk *c, *next;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nproducts; i++) {
		struct sim_product *p = &s->products[i];
		free(p->key);
		free(p->name);
		free(p->secret);
		free(p->description);
		free(p->commodity);
		free(p->auth_type);
		free(p->category_key);
		free(p->category_name);
		free(p->protocol_type);
		free(p->devs);
		cJSON_Delete(p->tsl);
		cJSON_Delete(p->versions);
		params_free(&p->tags);
	}
	free(s->products);
	for (i = 0; i < s->ndevs; i++)
		devx_free(s->devs[i].x);
	free(s->devs);
	for (i = 0; i < s->ngroups; i++) {
		free(s->groups[i].id);
		free(s->groups[i].name);
		free(s->groups[i].desc);
		free(s->groups[i].rule);
		free(s->groups[i].devs);
		params_free(&s->groups[i].tags);
	}
	free(s->groups);
	for (i = 0; i < s->napplies; i++) {
		size_t k;
		for (k = 0; k < s->applies[i].n; k++) {
			free(s->applies[i].names[k]);
			free(s->applies[i].nicks[k]);
		}
		free(s->applies[i].names);
		free(s->applies[i].nicks);
		free(s->applies[i].devs);
	}
	free(s->applies);
	free(s->by_iotid.slots);
	free(s->by_name.slots);
	for (c = s->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void
sim_store_lock(struct sim_store *s)
{
	pthread_mutex_lock(&s->lock);
}

void
sim_store_unlock(struct sim_store *s)
{
	pthread_mutex_unlock(&s->lock);
}

int64_t
sim_store_now(const struct sim_store *s)
{

	int64_t real;

	if (s->now_ms != 0)
		return s->now_ms;
	real = clock_wall_ms();
	return s->t0_world + (int64_t)((double)(real - s->t0_real) * s->time_scale);
}

void
sim_store_set_time_scale(struct sim_store *s, double scale)
{
	int64_t now = sim_store_now(s);

	s->t0_real = clock_wall_ms();
	s->t0_world = now;
	s->time_scale = scale > 0 ? scale : 1.0;
}

size_t
sim_store_bytes(const struct sim_store *s)
{
	const struct sim_arena_chunk *c;
	size_t n = sizeof *s, i;

	n += s->capdevs * sizeof *s->devs;
	n += s->capproducts * sizeof *s->products;
	for (i = 0; i < s->nproducts; i++)
		n += s->products[i].capdevs * sizeof(uint32_t);
	n += (s->by_iotid.cap + s->by_name.cap) * sizeof(uint32_t);
	for (c = s->arena; c != NULL; c = c->next)
		n += sizeof *c + c->cap;
	return n;
}

uint64_t
sim_store_rand(struct sim_store *s)
{
	/* splitmix64: tiny, and good enough for ids. */
	uint64_t z = (s->rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint64_t
sim_store_mix(uint64_t a, uint64_t b)
{
	uint64_t z = a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void
sim_store_rand_chars(struct sim_store *s, char *out, size_t n)
{
	static const char alnum[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = alnum[sim_store_rand(s) % 62];
	out[n] = '\0';
}

const char *
sim_store_intern(struct sim_store *s, const char *str)
{
	size_t len = strlen(str) + 1, cap;
	struct sim_arena_chunk *c = s->arena;
	char *dst;

	if (len == 1)
		return "";
	if (c == NULL || c->cap - c->used < len) {
		cap = len > ARENA_CHUNK ? len : ARENA_CHUNK;
		c = xmalloc(sizeof *c + cap);
		c->next = s->arena;
		c->used = 0;
		c->cap = cap;
		s->arena = c;
	}
	dst = c->data + c->used;
	memcpy(dst, str, len);
	c->used += len;
	return dst;
}

/* ---- indexes ---------------------------------------------------------------------- */

#define SLOT_DELETED UINT32_MAX

static uint64_t
hash_bytes(const char *s, uint64_t h)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static uint64_t
hash_iotid(const char *iotid)
{
	return hash_bytes(iotid, 1469598103934665603ULL);
}

static uint64_t
hash_name(size_t product, const char *name)
{
	return hash_bytes(name, 1469598103934665603ULL ^ ((uint64_t)product * 0x9E3779B97F4A7C15ULL));
}

static void index_insert(struct sim_index *ix, uint64_t h, uint32_t di);

static void
index_rehash(struct sim_store *s, struct sim_index *ix, int by_name, size_t cap)
{
	size_t i;
	uint32_t *old = ix->slots;
	size_t oldcap = ix->cap;

	ix->slots = xcalloc(cap, sizeof *ix->slots);
	ix->cap = cap;
	ix->used = 0;
	for (i = 0; i < oldcap; i++) {
		uint32_t v = old[i];
		const struct sim_device *d;
		if (v == 0 || v == SLOT_DELETED)
			continue;
		d = &s->devs[v - 1];
		index_insert(ix, by_name ? hash_name(d->product, d->name) : hash_iotid(d->iotid),
		    v - 1);
	}
	free(old);
}

static void
index_insert(struct sim_index *ix, uint64_t h, uint32_t di)
{
	size_t i = h & (ix->cap - 1);

	while (ix->slots[i] != 0 && ix->slots[i] != SLOT_DELETED)
		i = (i + 1) & (ix->cap - 1);
	if (ix->slots[i] == 0)
		ix->used++;
	ix->slots[i] = di + 1;
}

static void
index_add(struct sim_store *s, struct sim_index *ix, int by_name, uint32_t di)
{
	const struct sim_device *d = &s->devs[di];

	if (ix->cap == 0 || (ix->used + 1) * 2 > ix->cap)
		index_rehash(s, ix, by_name, ix->cap ? ix->cap * 2 : 1024);
	index_insert(ix, by_name ? hash_name(d->product, d->name) : hash_iotid(d->iotid), di);
}

/* Returns the slot holding di, or NULL. */
static uint32_t *
index_slot(struct sim_index *ix, uint64_t h, const struct sim_store *s, int by_name,
    size_t product, const char *key)
{
	size_t i;

	if (ix->cap == 0)
		return NULL;
	for (i = h & (ix->cap - 1); ix->slots[i] != 0; i = (i + 1) & (ix->cap - 1)) {
		const struct sim_device *d;
		if (ix->slots[i] == SLOT_DELETED)
			continue;
		d = &s->devs[ix->slots[i] - 1];
		if (by_name ? (d->product == product && strcmp(d->name, key) == 0)
		    : strcmp(d->iotid, key) == 0)
			return &ix->slots[i];
	}
	return NULL;
}

/* ---- products ---------------------------------------------------------------------- */

struct sim_product *
sim_store_product(struct sim_store *s, const char *key)
{
	size_t i;

	if (key == NULL)
		return NULL;
	for (i = 0; i < s->nproducts; i++)
		if (!s->products[i].deleted && strcmp(s->products[i].key, key) == 0)
			return &s->products[i];
	return NULL;
}

struct sim_product *
sim_store_product_by_name(struct sim_store *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nproducts; i++)
		if (!s->products[i].deleted && strcmp(s->products[i].name, name) == 0)
			return &s->products[i];
	return NULL;
}

size_t
sim_store_add_product(struct sim_store *s, struct sim_product *p)
{
	if (s->nproducts == s->capproducts) {
		s->capproducts = s->capproducts ? s->capproducts * 2 : 16;
		s->products = xreallocarray(s->products, s->capproducts, sizeof *s->products);
	}
	s->products[s->nproducts] = *p;
	return s->nproducts++;
}

/* ---- devices ----------------------------------------------------------------------- */

struct sim_device *
sim_store_device_by_iotid(struct sim_store *s, const char *iotid)
{
	uint32_t *slot;

	if (iotid == NULL)
		return NULL;
	slot = index_slot(&s->by_iotid, hash_iotid(iotid), s, 0, 0, iotid);
	return slot != NULL ? &s->devs[*slot - 1] : NULL;
}

struct sim_device *
sim_store_device_by_name(struct sim_store *s, size_t product, const char *name)
{
	uint32_t *slot;

	if (name == NULL)
		return NULL;
	slot = index_slot(&s->by_name, hash_name(product, name), s, 1, product, name);
	return slot != NULL ? &s->devs[*slot - 1] : NULL;
}

uint32_t
sim_store_device_index(const struct sim_store *s, const struct sim_device *d)
{
	return (uint32_t)(d - s->devs);
}

struct sim_device *
sim_store_add_device(struct sim_store *s, size_t pi, const char *name,
    const char *nickname, const char *iotid, const char *secret, int64_t created)
{
	struct sim_product *p = &s->products[pi];
	struct sim_device *d;
	uint32_t di;

	if (s->ndevs == s->capdevs) {
		s->capdevs = s->capdevs ? s->capdevs + s->capdevs / 2 : 1024;
		s->devs = xreallocarray(s->devs, s->capdevs, sizeof *s->devs);
	}
	di = (uint32_t)s->ndevs++;
	d = &s->devs[di];
	memset(d, 0, sizeof *d);
	d->name = sim_store_intern(s, name);
	d->nickname = sim_store_intern(s, nickname != NULL ? nickname : "");
	d->iotid = sim_store_intern(s, iotid);
	d->secret = sim_store_intern(s, secret);
	d->created = d->modified = d->status_at = created;
	d->product = (uint32_t)pi;
	d->status = SIM_DEV_UNACTIVE;
	if (p->ndevs == p->capdevs) {
		p->capdevs = p->capdevs ? p->capdevs * 2 : 64;
		p->devs = xreallocarray(p->devs, p->capdevs, sizeof *p->devs);
	}
	p->devs[p->ndevs++] = di;
	index_add(s, &s->by_iotid, 0, di);
	index_add(s, &s->by_name, 1, di);
	s->nlive++;
	return d;
}

static void
remove_index(uint32_t *v, size_t *n, uint32_t di)
{
	size_t i;

	for (i = *n; i-- > 0;) {
		if (v[i] == di) {
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
			(*n)--;
			return;
		}
	}
}

void
sim_store_delete_device(struct sim_store *s, struct sim_device *d)
{
	uint32_t di = sim_store_device_index(s, d), *slot;
	struct sim_product *p = &s->products[d->product];
	size_t i;

	if (d->deleted)
		return;
	slot = index_slot(&s->by_iotid, hash_iotid(d->iotid), s, 0, 0, d->iotid);
	if (slot != NULL)
		*slot = SLOT_DELETED;
	slot = index_slot(&s->by_name, hash_name(d->product, d->name), s, 1, d->product, d->name);
	if (slot != NULL)
		*slot = SLOT_DELETED;
	remove_index(p->devs, &p->ndevs, di);
	if (d->x != NULL) {
		for (i = 0; i < d->x->ngroups; i++) {
			struct sim_group *g = &s->groups[d->x->groups[i]];
			remove_index(g->devs, &g->ndevs, di);
		}
		d->x->ngroups = 0;
	}
	d->deleted = 1;
	s->nlive--;
}

struct sim_devx *
sim_store_devx(struct sim_device *d)
{
	if (d->x == NULL)
		d->x = xcalloc(1, sizeof *d->x);
	return d->x;
}

void
sim_store_set_status(struct sim_store *s, struct sim_device *d, int status)
{
	int64_t now = sim_store_now(s);

	if (d->status == status)
		return;
	d->status = (uint8_t)status;
	d->status_at = now;
	if (status == SIM_DEV_ONLINE) {
		if (d->active == 0)
			d->active = now;
		d->online = now;
	}
}

const char *
sim_device_status_name(const struct sim_device *d)
{
	if (d->disabled)
		return "DISABLE";
	switch (d->status) {
	case SIM_DEV_ONLINE:
		return "ONLINE";
	case SIM_DEV_OFFLINE:
		return "OFFLINE";
	default:
		return "UNACTIVE";
	}
}

/* ---- groups ------------------------------------------------------------------------ */

static struct sim_group *
group_find(struct sim_store *s, const char *id, int dynamic)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < s->ngroups; i++)
		if (!s->groups[i].deleted && (s->groups[i].rule != NULL) == dynamic &&
		    strcmp(s->groups[i].id, id) == 0)
			return &s->groups[i];
	return NULL;
}

struct sim_group *
sim_store_group(struct sim_store *s, const char *id)
{
	return group_find(s, id, 0);
}

struct sim_group *
sim_store_dynamic_group(struct sim_store *s, const char *id)
{
	return group_find(s, id, 1);
}

size_t
sim_store_add_group(struct sim_store *s, char *id, char *name, char *desc, int parent,
    int64_t created)
{
	struct sim_group *g;

	if (s->ngroups == s->capgroups) {
		s->capgroups = s->capgroups ? s->capgroups * 2 : 16;
		s->groups = xreallocarray(s->groups, s->capgroups, sizeof *s->groups);
	}
	g = &s->groups[s->ngroups];
	memset(g, 0, sizeof *g);
	g->id = id;
	g->name = name;
	g->desc = desc;
	g->parent = parent;
	g->created = created;
	params_init(&g->tags);
	return s->ngroups++;
}

int
sim_store_group_add_device(struct sim_store *s, size_t gi, struct sim_device *d)
{
	struct sim_group *g = &s->groups[gi];
	struct sim_devx *x = sim_store_devx(d);
	uint32_t di = sim_store_device_index(s, d);
	size_t i;

	for (i = 0; i < x->ngroups; i++)
		if (x->groups[i] == gi)
			return 0;
	x->groups = xreallocarray(x->groups, x->ngroups + 1, sizeof *x->groups);
	x->groups[x->ngroups++] = (uint32_t)gi;
	if (g->ndevs == g->capdevs) {
		g->capdevs = g->capdevs ? g->capdevs * 2 : 16;
		g->devs = xreallocarray(g->devs, g->capdevs, sizeof *g->devs);
	}
	g->devs[g->ndevs++] = di;
	return 1;
}

int
sim_store_group_remove_device(struct sim_store *s, size_t gi, struct sim_device *d)
{
	struct sim_group *g = &s->groups[gi];
	size_t i, n;

	if (d->x == NULL)
		return 0;
	n = d->x->ngroups;
	for (i = 0; i < n; i++) {
		if (d->x->groups[i] == gi) {
			memmove(&d->x->groups[i], &d->x->groups[i + 1], (n - i - 1) * sizeof(uint32_t));
			d->x->ngroups--;
			remove_index(g->devs, &g->ndevs, sim_store_device_index(s, d));
			return 1;
		}
	}
	return 0;
}
