/* seed.c — deterministic fleet generation (see seed.h). */
#include "sim/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "sim/tsl.h"

/* 2024-01-01T00:00:00Z in ms: seeded products and devices are created after it. */
#define SEED_EPOCH_MS 1704067200000LL

static const char *const cities[] = { "杭州", "上海", "北京", "深圳", "成都", "武汉" };
static const char *const places[] = { "Lab", "Warehouse", "Boiler room", "Lobby", "Roof",
	"Parking", "Server room", "Office" };

static void
nickname(char *out, size_t len, const struct sim_template *t, size_t j, uint64_t r)
{
	switch (j % 4) {
	case 0:
		snprintf(out, len, "%s%s-%zu号楼-%zu", cities[r % 6], t->name, (size_t)(r >> 8) % 12 + 1,
		    j + 1);
		break;
	case 1:
		snprintf(out, len, "%s %zu", places[r % 8], j + 1);
		break;
	case 2:
		snprintf(out, len, "%s_%s_%zu", cities[r % 6], t->name_ascii, j + 1);
		break;
	default:
		out[0] = '\0';
		break;
	}
}

int
sim_seed(struct sim *sim, uint64_t seed, size_t nproducts, size_t ndevices,
    char **cause)
{
	struct sim_store *s = sim->store;
	char key[16], secret[40], iotid[40], name[96], nick[160];
	static const char *const versions[] = { "1.0.0", "1.1.0", "1.2.3", "2.0.1" };
	size_t i, j, per, extra, pi, gi;
	int64_t created;
	uint64_t r;

	if (nproducts == 0 && ndevices > 0) {
		*cause = xstrdup("devices need at least one product");
		return -1;
	}
	if (ndevices > 50000000) {
		*cause = xstrdup("at most 50,000,000 devices");
		return -1;
	}
	s->rng = seed * 0x2545F4914F6CDD1DULL + 1;
	if (ndevices > 0) {
		s->capdevs = ndevices + 1024;
		s->devs = xreallocarray(s->devs, s->capdevs, sizeof *s->devs);
	}
	per = nproducts ? ndevices / nproducts : 0;
	extra = nproducts ? ndevices % nproducts : 0;
	for (i = 0; i < nproducts; i++) {
		const struct sim_template *t = &sim_templates[i % sim_template_count];
		struct sim_product p;
		size_t count = per + (i < extra ? 1 : 0);

		memset(&p, 0, sizeof p);
		params_init(&p.tags);
		memcpy(key, "a1", 2);
		sim_store_rand_chars(s, key + 2, 9);
		p.key = xstrdup(key);
		p.name = i < sim_template_count ? xstrdup(t->name)
		    : xasprintf("%s-%zu", t->name, i / sim_template_count + 1);
		sim_store_rand_chars(s, secret, 16);
		p.secret = xstrdup(secret);
		p.description = xasprintf("%s (%s), seeded", t->name, t->name_ascii);
		p.commodity = xstrdup("iothub_senior");
		p.auth_type = xstrdup("secret");
		p.category_key = xstrdup(t->category_key);
		p.category_name = xstrdup(t->category_name);
		p.protocol_type = xstrdup(t->node_type == 1 ? "" : "");
		p.node_type = t->node_type;
		p.data_format = 1;
		p.net_type = t->net_type;
		p.validate_type = 1;
		p.released = i % 3 == 0;
		p.created = SEED_EPOCH_MS + (int64_t)i * 86400000LL;
		p.tsl = sim_tsl_build((unsigned)(i % sim_template_count), key);
		p.versions = cJSON_CreateArray();
		{
			cJSON *v = cJSON_CreateObject();
			cJSON_AddStringToObject(v, "version", "1.0.0");
			cJSON_AddNumberToObject(v, "time", (double)(p.created + 3600000));
			cJSON_AddItemToObject(v, "tsl", cJSON_Duplicate(p.tsl, 1));
			cJSON_AddItemToArray(p.versions, v);
		}
		params_set(&p.tags, "region", cities[i % 6]);
		pi = sim_store_add_product(s, &p);
		if (count > 0) {
			s->products[pi].capdevs = count;
			s->products[pi].devs = xreallocarray(NULL, count, sizeof(uint32_t));
		}
		for (j = 0; j < count; j++) {
			struct sim_device *d;
			r = sim_store_rand(s);
			snprintf(name, sizeof name, "%s-%06zu", t->name_ascii, j + 1);
			if (i == 0 && j == 1)
				snprintf(nick, sizeof nick, "%s", SIM_SEED_NICK_ANSI);
			else if (i == 0 && j == 2)
				snprintf(nick, sizeof nick, "%s", SIM_SEED_NICK_BIDI);
			else
				nickname(nick, sizeof nick, t, j, r);
			sim_store_rand_chars(s, iotid, 20);
			memcpy(iotid + 20, "000100", 7);
			sim_store_rand_chars(s, secret, 32);
			created = s->products[pi].created + 60000 + (int64_t)j * 1000;
			d = sim_store_add_device(s, pi, name, nick, iotid, secret, created);
			d->ip = (10u << 24) | (uint32_t)(r & 0xFFFFFF);
			switch ((r >> 32) % 20) {
			case 0: case 1:
				break;	/* never activated */
			case 2:
				d->disabled = 1;
				d->status = SIM_DEV_OFFLINE;
				d->active = created + 120000;
				d->online = created + 240000;
				break;
			case 3: case 4: case 5: case 6: case 7:
				d->status = SIM_DEV_OFFLINE;
				d->active = created + 120000;
				d->online = created + 120000 + (int64_t)((r >> 8) % 86400000);
				break;
			default:
				d->status = SIM_DEV_ONLINE;
				d->active = created + 120000;
				d->online = created + 120000 + (int64_t)((r >> 8) % 86400000);
				break;
			}
			d->status_at = d->online ? d->online : created;
			d->modified = d->status_at;
			if (d->active)
				d->firmware = versions[(r >> 40) % 4];
		}
	}
	/* Groups: a region tree and one group per product with its first devices. */
	if (nproducts > 0) {
		int64_t g0 = SEED_EPOCH_MS + 3600000;
		size_t east, north;
		char gid[24];

		sim_store_rand_chars(s, gid, 16);
		east = sim_store_add_group(s, xstrdup(gid), xstrdup("华东区域"),
		    xstrdup("华东区域的所有设备"), -1, g0);
		sim_store_rand_chars(s, gid, 16);
		north = sim_store_add_group(s, xstrdup(gid), xstrdup("华北区域"),
		    xstrdup("华北区域的所有设备"), -1, g0);
		sim_store_rand_chars(s, gid, 16);
		sim_store_add_group(s, xstrdup(gid), xstrdup("杭州园区"), xstrdup("杭州园区"),
		    (int)east, g0 + 1000);
		params_set(&s->groups[east].tags, "region", "east");
		params_set(&s->groups[north].tags, "region", "north");
		for (i = 0; i < nproducts && i < 20; i++) {
			struct sim_product *p = &s->products[i];
			sim_store_rand_chars(s, gid, 16);
			snprintf(name, sizeof name, "group_%s", sim_templates[i % sim_template_count].name_ascii);
			if (i >= sim_template_count)
				snprintf(name + strlen(name), sizeof name - strlen(name), "_%zu", i);
			gi = sim_store_add_group(s, xstrdup(gid), xstrdup(name),
			    xasprintf("%s 的前 %d 台设备", p->name, 100), (int)(i % 2 ? north : east),
			    g0 + 2000 + (int64_t)i);
			for (j = 0; j < p->ndevs && j < 100; j++)
				sim_store_group_add_device(s, gi, &s->devs[p->devs[j]]);
		}
	}
	sim_ota_seed(sim->ota);
	/* After the OTA seed (whose ids come from the same generator): a third level under
	 * 杭州园区 with the first devices of product 0, and a dynamic group of its devices
	 * that are online (its members change as devices come and go). */
	if (nproducts > 0) {
		int64_t g0 = SEED_EPOCH_MS + 3600000;
		const struct sim_product *p = &s->products[0];
		char gid[24];
		size_t park;

		for (park = 0; park < s->ngroups && strcmp(s->groups[park].name, "杭州园区") != 0; park++)
			;
		sim_store_rand_chars(s, gid, 16);
		gi = sim_store_add_group(s, xstrdup(gid), xstrdup("西湖实验室"),
		    xstrdup("杭州园区的实验室"), (int)park, g0 + 3000);
		for (j = 0; j < p->ndevs && j < 10; j++)
			sim_store_group_add_device(s, gi, &s->devs[p->devs[j]]);
		sim_store_rand_chars(s, gid, 16);
		gi = sim_store_add_group(s, xstrdup(gid), xstrdup("在线传感器"),
		    xasprintf("%s 中在线的设备", p->name), -1, g0 + 4000);
		s->groups[gi].rule = xasprintf("product_key = \"%s\" and status = \"ONLINE\"", p->key);
	}
	return 0;
}
