/* store.h — the simulator's world: products, devices, groups, batch registrations, and
 * what they need (the world clock, the id generator, the string arena, the lock). See
 * store.c for the memory layout. The store knows nothing of OTA or of the upload host:
 * they sit on top of it (ota.h, oss.h) and struct sim (sim.h) owns all three. All
 * functions expect the caller to hold the store's lock (sim_store_lock) when other
 * threads may use it.
 */
#ifndef IOTDECK_SIM_STORE_H
#define IOTDECK_SIM_STORE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "api/params.h"

/* Device connection states (DISABLE is a separate flag). */
enum sim_dev_status {
	SIM_DEV_UNACTIVE,	/* never connected */
	SIM_DEV_ONLINE,		/* connected */
	SIM_DEV_OFFLINE		/* was connected */
};

/* Rarely used per-device data, allocated on first use. */
struct sim_devx {
	cJSON     *props;	/* device tags (SaveDeviceProp): object of strings */
	cJSON     *values;	/* property values: identifier -> {"value":..,"time":ms} */
	cJSON     *desired;	/* desired properties: identifier -> {"value","version","time"} */
	cJSON     *pending;	/* property sets not yet applied: [{"at":ms,"items":{..}}] */
	cJSON     *services;	/* recent service calls: [{"id","name","time","in","out"}] */
	cJSON     *shadow;	/* device shadow document (state, metadata, version) */
	uint32_t  *groups;	/* indices of the static groups it belongs to */
	size_t     ngroups;	/* groups used */
};

struct sim_device {
	const char      *name;		/* DeviceName (arena) */
	const char      *nickname;	/* Nickname, "" when none (arena) */
	const char      *iotid;		/* IotId (arena) */
	const char      *secret;	/* DeviceSecret (arena) */
	const char      *firmware;	/* default OTA module version, NULL when none (arena) */
	struct sim_devx *x;		/* extras, NULL until needed */
	int64_t          created;	/* creation time, epoch ms */
	int64_t          modified;	/* last change, epoch ms */
	int64_t          active;	/* first connection, epoch ms (0 = never) */
	int64_t          online;	/* last connection, epoch ms (0 = never) */
	int64_t          status_at;	/* last status change, epoch ms */
	uint32_t         product;	/* index in store->products */
	uint32_t         ip;		/* IPv4 address (host order) */
	uint8_t          status;	/* enum sim_dev_status */
	uint8_t          disabled;	/* DisableThing */
	uint8_t          deleted;	/* deleted: kept as a tombstone */
};

struct sim_product {
	char      *key;			/* ProductKey */
	char      *name;		/* ProductName */
	char      *secret;		/* ProductSecret */
	char      *description;		/* Description ("" when none) */
	char      *commodity;		/* "iothub_senior" or "iothub" */
	char      *auth_type;		/* "secret", "id2", "x509" */
	char      *category_key;	/* CategoryKey ("" when none) */
	char      *category_name;	/* CategoryName ("" when none) */
	char      *protocol_type;	/* ProtocolType ("" when none) */
	int        node_type;		/* 0 device, 1 gateway */
	int        data_format;		/* 0 custom, 1 Alink */
	int        net_type;		/* 3 Wi-Fi, 6 cellular, 7 Ethernet, 8 other */
	int        validate_type;	/* 0, 1, 2 */
	int        id2;			/* ID² authentication */
	int        released;		/* RELEASE_STATUS */
	int        deleted;		/* deleted */
	int64_t    created;		/* GmtCreate, epoch ms */
	uint32_t  *devs;		/* live devices, creation order (indices into devs) */
	size_t     ndevs;		/* devices used */
	size_t     capdevs;		/* devices allocated */
	cJSON     *tsl;			/* draft TSL (owned), Alink TSL JSON */
	cJSON     *versions;		/* published: [{"version","time","tsl"}] newest last */
	struct params tags;		/* product tags */
};

struct sim_group {
	char      *id;			/* GroupId */
	char      *name;		/* GroupName */
	char      *desc;		/* GroupDesc */
	char      *rule;		/* DynamicGroupExpression of a dynamic group, whose
					   devices are those the rule matches (devs stays
					   empty; sim/rule.h); NULL for a static group */
	int        parent;		/* index of the parent group, -1 for a root */
	int        deleted;		/* deleted */
	int64_t    created;		/* epoch ms */
	uint32_t  *devs;		/* member devices */
	size_t     ndevs;		/* members */
	size_t     capdevs;		/* allocated */
	struct params tags;		/* group tags */
};

/* A batch registration (BatchCheckDeviceNames, BatchRegisterDevice...). */
struct sim_apply {
	long      id;		/* ApplyId */
	size_t    product;	/* product index */
	int       created;	/* the devices exist (CREATE_SUCCESS) */
	char    **names;	/* device names to create */
	char    **nicks;	/* their nicknames ("" for none) */
	size_t    n;		/* names */
	uint32_t *devs;		/* the created devices (n of them once created) */
};

/* An open-addressing index from a key to a device (slots hold index + 1). */
struct sim_index {
	uint32_t *slots;	/* 0 empty, UINT32_MAX deleted, else device index + 1 */
	size_t    cap;		/* a power of two */
	size_t    used;		/* live + deleted slots */
};

struct sim_arena_chunk;

struct sim_store {
	struct sim_product     *products;	/* products, creation order */
	size_t                  nproducts;	/* used */
	size_t                  capproducts;	/* allocated */
	struct sim_device      *devs;		/* every device ever made */
	size_t                  ndevs;		/* used */
	size_t                  capdevs;	/* allocated */
	size_t                  nlive;		/* devices not deleted */
	struct sim_group       *groups;		/* groups */
	size_t                  ngroups;	/* used */
	size_t                  capgroups;	/* allocated */
	struct sim_apply       *applies;	/* batch registrations */
	size_t                  napplies;	/* used */
	struct sim_index        by_iotid;	/* IotId -> device */
	struct sim_index        by_name;	/* (product, DeviceName) -> device */
	struct sim_arena_chunk *arena;		/* string storage of devices */
	uint64_t                rng;		/* generator state for new ids and secrets */
	int64_t                 now_ms;		/* fixed clock for tests (0 = real time) */
	double                  time_scale;	/* world seconds per real second (--time-scale) */
	int64_t                 t0_real;	/* real epoch ms when the world clock started */
	int64_t                 t0_world;	/* world epoch ms at t0_real */
	int64_t                 last_tick;	/* world ms of the last sim_world_tick */
	uint64_t                seed;		/* the fleet seed (value generation) */
	uint64_t                msg_id;		/* last MessageId handed out */
	int64_t                 flap_ms;	/* mean world ms between status changes of a device (0 = never) */
	int                     service_ms;	/* a device's reply time to a sync service, real ms (world.h) */
	int                     service_jitter_ms;	/* up to this much more (-1: service_ms / 2) */
	double                  halfconn_rate;	/* share of messages to an ONLINE device whose link is half open */
	pthread_mutex_t         lock;		/* guards everything above, and the OTA state
						   and the bucket of the same struct sim */
};

/* Returns an empty store whose random ids come from seed. */
struct sim_store *sim_store_new(uint64_t seed);
void sim_store_free(struct sim_store *s);
void sim_store_lock(struct sim_store *s);
void sim_store_unlock(struct sim_store *s);
/* Current world time in epoch ms: s->now_ms when set, else the real clock run at
 * s->time_scale since the store was made. */
int64_t sim_store_now(const struct sim_store *s);
/* Sets the world clock's speed (world seconds per real second, > 0). */
void sim_store_set_time_scale(struct sim_store *s, double scale);
/* Returns the approximate bytes the store uses. */
size_t sim_store_bytes(const struct sim_store *s);

/* Next pseudo-random number of the store's generator. */
uint64_t sim_store_rand(struct sim_store *s);
/* A well-mixed hash of a and b (splitmix64's finaliser): the seeded, repeatable choices
 * of world.c and ota.c (a device's values and delays, a task's fate). */
uint64_t sim_store_mix(uint64_t a, uint64_t b);
/* Writes n random characters of [A-Za-z0-9] into out (NUL-terminated; out has n+1). */
void sim_store_rand_chars(struct sim_store *s, char *out, size_t n);
/* Copies s into the arena; the copy lives as long as the store. */
const char *sim_store_intern(struct sim_store *s, const char *str);

/* Product lookup by ProductKey, or NULL (deleted products are not found). */
struct sim_product *sim_store_product(struct sim_store *s, const char *key);
/* Product lookup by ProductName, or NULL. */
struct sim_product *sim_store_product_by_name(struct sim_store *s, const char *name);
/* Adds a product (the store takes the strings it is given in p; devs/tags must be
 * empty). Returns its index. */
size_t sim_store_add_product(struct sim_store *s, struct sim_product *p);

/* Device lookup; NULL when missing or deleted. */
struct sim_device *sim_store_device_by_iotid(struct sim_store *s, const char *iotid);
struct sim_device *sim_store_device_by_name(struct sim_store *s, size_t product,
    const char *name);
/* Adds a device to product pi (strings are interned). Returns the device. */
struct sim_device *sim_store_add_device(struct sim_store *s, size_t pi, const char *name,
    const char *nickname, const char *iotid, const char *secret, int64_t created);
/* Deletes a device (tombstone; removed from its product and groups). */
void sim_store_delete_device(struct sim_store *s, struct sim_device *d);
/* Index of d in s->devs. */
uint32_t sim_store_device_index(const struct sim_store *s, const struct sim_device *d);
/* Extras of d, allocated on first use. */
struct sim_devx *sim_store_devx(struct sim_device *d);
/* Sets the device's status, recording the time. */
void sim_store_set_status(struct sim_store *s, struct sim_device *d, int status);
/* Status string: ONLINE, OFFLINE, UNACTIVE or DISABLE. */
const char *sim_device_status_name(const struct sim_device *d);

/* Static group lookup by GroupId, or NULL (deleted and dynamic groups are not found). */
struct sim_group *sim_store_group(struct sim_store *s, const char *id);
/* Dynamic group lookup by GroupId, or NULL (deleted and static groups are not found). */
struct sim_group *sim_store_dynamic_group(struct sim_store *s, const char *id);
/* Adds a group; returns its index. The store takes the strings. */
size_t sim_store_add_group(struct sim_store *s, char *id, char *name, char *desc,
    int parent, int64_t created);
/* Adds d to group gi (no-op when already a member); returns 1 when added. */
int sim_store_group_add_device(struct sim_store *s, size_t gi, struct sim_device *d);
/* Removes d from group gi; returns 1 when it was a member. */
int sim_store_group_remove_device(struct sim_store *s, size_t gi, struct sim_device *d);

#endif
