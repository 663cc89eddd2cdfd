/* reply.c — error bodies, request ids, JSON/XML rendering. */
#include "sim/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/xmalloc.h"

void
sim_error_set(struct sim_error *e, int http, const char *code, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	sim_error_clear(e);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	e->http = http;
	e->code = xstrdup(code);
	e->message = buf_detach(&b);
}

void
sim_error_clear(struct sim_error *e)
{
	free(e->code);
	free(e->message);
	e->code = NULL;
	e->message = NULL;
	e->http = 0;
	e->retry_after_ms = 0;
}

void
sim_request_id(char out[37])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char r[16];
	size_t i, o = 0;

	randombytes_buf(r, sizeof r);
	r[6] = (unsigned char)((r[6] & 0x0F) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 0xF];
	}
	out[o] = '\0';
}

cJSON *
sim_error_body(const struct sim_error *e, const char *rid, const char *host_id)
{
	cJSON *o = cJSON_CreateObject();
	char *rec;

	cJSON_AddStringToObject(o, "RequestId", rid);
	if (e->http == 200) {
		cJSON_AddBoolToObject(o, "Success", 0);
		cJSON_AddStringToObject(o, "Code", e->code);
		cJSON_AddStringToObject(o, "ErrorMessage", e->message ? e->message : "");
		return o;
	}
	cJSON_AddStringToObject(o, "HostId", host_id);
	cJSON_AddStringToObject(o, "Code", e->code);
	cJSON_AddStringToObject(o, "Message", e->message ? e->message : "");
	rec = xasprintf("https://api.aliyun.com/troubleshoot?q=%s&product=Iot&requestId=%s",
	    e->code, rid);
	cJSON_AddStringToObject(o, "Recommend", rec);
	free(rec);
	return o;
}

static void
xml_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '&': buf_adds(b, "&amp;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default: buf_addc(b, *s); break;
		}
	}
}

static void xml_value(struct buf *b, const cJSON *v, const char *name);

static void
xml_children(struct buf *b, const cJSON *obj)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, obj) {
		if (cJSON_IsArray(c)) {
			const cJSON *item;
			/* XML repeats the element for each item of a list. */
			cJSON_ArrayForEach(item, c)
				xml_value(b, item, c->string);
		} else
			xml_value(b, c, c->string);
	}
}

static void
xml_value(struct buf *b, const cJSON *v, const char *name)
{
	char *num;

	buf_addf(b, "<%s>", name);
	if (cJSON_IsObject(v))
		xml_children(b, v);
	else if (cJSON_IsString(v))
		xml_escape(b, v->valuestring);
	else if (cJSON_IsBool(v))
		buf_adds(b, cJSON_IsTrue(v) ? "true" : "false");
	else if (cJSON_IsNumber(v)) {
		num = cJSON_PrintUnformatted(v);
		buf_adds(b, num);
		free(num);
	} else if (cJSON_IsArray(v)) {
		const cJSON *item;
		cJSON_ArrayForEach(item, v)
			xml_value(b, item, "item");
	}
	buf_addf(b, "</%s>", name);
}

char *
sim_render(const cJSON *body, int xml, const char *root)
{
	struct buf b = BUF_INIT;
	char *s;

	if (!xml) {
		s = cJSON_PrintUnformatted(body);
		return s != NULL ? s : xstrdup("{}");
	}
	buf_adds(&b, "<?xml version='1.0' encoding='UTF-8'?>");
	if (cJSON_IsArray(body))
		xml_value(&b, body, root);
	else {
		buf_addf(&b, "<%s>", root);
		xml_children(&b, body);
		buf_addf(&b, "</%s>", root);
	}
	return buf_detach(&b);
}
