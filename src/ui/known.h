/* known.h — what the console has seen of the account: ProductKeys and their names, for
 * completing :devices PK and for titles that name a product ("温湿度传感器 (a1Bw…)").
 * Filled as the products pane loads; a sorted array (hundreds of products at most). */
#ifndef IOTDECK_KNOWN_H
#define IOTDECK_KNOWN_H

#include <stddef.h>
#include <stdint.h>

struct known_product {
	char *key;	/* ProductKey (raw) */
	char *name;	/* ProductName (raw), or NULL */
	int64_t devices;	/* DeviceCount as the product list last said, -1: not said */
};

struct known {
	struct known_product *v;	/* sorted by key (owned) */
	size_t                n, cap;	/* used, allocated */
};

void known_free(struct known *k);
/* Records (or updates) a product. */
void known_product(struct known *k, const char *key, const char *name);
/* Records a product's DeviceCount (n < 0: not known); a product not recorded is left
 * out. */
void known_product_devices(struct known *k, const char *key, int64_t n);
/* A product's DeviceCount as last listed (a hint for paging its devices), -1: unknown. */
int64_t known_product_device_count(const struct known *k, const char *key);
/* The name of a product, or NULL. */
const char *known_product_name(const struct known *k, const char *key);
/* The index of the first key starting with prefix, and how many do (they are adjacent). */
size_t known_prefix(const struct known *k, const char *prefix, size_t *count);

#endif
