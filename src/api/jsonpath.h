/* jsonpath.h — lenient access to IoT Platform JSON answers: dotted paths, one list
 * accessor that normalises the documented list shapes, typed getters that convert
 * wrong JSON types instead of failing, and the paging totals.
 *
 * Paths are member names joined by '.', e.g. "Data.List.ProductInfo". Each name is
 * matched case-sensitively first, then case-insensitively (the guide spells some names
 * both ways: NextPageToken/nextPageToken). A path may list alternatives separated by
 * '|': "Data.SimpleOTATaskInfo|Data.SimpleOTAJobInfo" uses the first one present.
 * The empty path "" (or NULL) names the node itself; a JSON null counts as missing.
 *
 * Nothing here allocates cJSON nodes: every const cJSON * returned is borrowed from the
 * tree it came from and lives as long as that tree.
 */
#ifndef IOTDECK_JSONPATH_H
#define IOTDECK_JSONPATH_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* The items of a list in an answer, whatever shape the answer gave it. */
struct jsonpath_list {
	const cJSON **items;	/* count borrowed nodes; the array is owned by the list */
	size_t        count;	/* number of items (0 for a missing, null or empty list) */
};

/* The paging totals of an answer; -1 (or NULL) where the answer does not say. */
struct jsonpath_page {
	int64_t  total;		/* Total (TotalCount as a fallback) */
	int64_t  page_count;	/* PageCount */
	int64_t  page_size;	/* PageSize */
	int64_t  current_page;	/* CurrentPage, Page or PageNo */
	char    *next_token;	/* NextToken or NextPageToken; NULL when absent or empty,
				   which means there are no more pages; owned by the page */
};

/* Returns the node at path under root, or NULL when a name is missing or a step is not
 * an object. Borrowed from root. */
const cJSON *jsonpath_get(const cJSON *root, const char *path);

/* Fills *out with the items of the list at path under root and returns their number.
 * Normalises the shapes the guide documents:
 *   - an array at path (Data.DeviceInfo[], or a bare array such as ListThingTemplates'
 *     Data) gives its elements, skipping those that carry nothing (null, "", {});
 *   - an array met before the path ends (QueryDeviceBySQL's Data when the path says
 *     Data.DeviceInfo, XML-style wrappers the answer left out) is taken as the list;
 *   - an object or scalar where an array is expected (QueryDynamicGroupDevices,
 *     ListOTAModuleByProduct) gives one item;
 *   - a missing path, null, "", {} or an empty array give zero items, not an error.
 * Always succeeds; free *out with jsonpath_list_free. */
size_t jsonpath_list(const cJSON *root, const char *path, struct jsonpath_list *out);
/* Frees the item array of l (not the nodes, which belong to their tree) and empties l. */
void jsonpath_list_free(struct jsonpath_list *l);

/* Typed getters: each reads the node at path under root and converts it. They return 1
 * and store the value when the node holds something convertible, else 0 and leave *out
 * unchanged. Conversions:
 *   string  string as is; number formatted ("1581595942000", "0.01"); bool "true"/"false"
 *   int64   integral number; string holding an integer or an integral decimal
 *           ("1440", " 7 ", "3.0"); bool 1/0. Out-of-range or fractional values fail.
 *   double  number; string holding a number ("0.00"); bool 1/0
 *   bool    true/false; number (non-zero is true); string "true"/"false"/"1"/"0"
 *           in any case
 * Objects, arrays and null never convert. */
int jsonpath_int64(const cJSON *root, const char *path, int64_t *out);
int jsonpath_double(const cJSON *root, const char *path, double *out);
int jsonpath_bool(const cJSON *root, const char *path, int *out);
/* Returns a caller-freed copy of the string form of the node at path (conversions as
 * above), or NULL when absent or not convertible. */
char *jsonpath_strdup(const cJSON *root, const char *path);

/* Reads the paging totals of an answer wherever they sit: each field at the top level
 * first, then inside Data (QueryProductList keeps them in Data, QueryDevice at the top).
 * Free with jsonpath_page_clear. */
void jsonpath_page_parse(const cJSON *root, struct jsonpath_page *out);
/* Frees the token of p and resets every field to "not said". */
void jsonpath_page_clear(struct jsonpath_page *p);

#endif
