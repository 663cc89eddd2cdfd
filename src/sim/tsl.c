/* tsl.c — TSL templates and typed values. */
#include "sim/tsl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

const struct sim_template sim_templates[] = {
	{ "温湿度传感器", "th-sensor", "TemperatureHumidityDetector", "温湿度检测", 0, 3 },
	{ "智能路灯", "street-light", "Lighting", "路灯照明", 0, 6 },
	{ "智能电表", "power-meter", "ElectricityMeter", "电表", 0, 6 },
	{ "边缘网关", "edge-gateway", "Gateway", "网关", 1, 7 },
	{ "水泵控制器", "water-pump", "WaterPump", "水泵", 0, 8 },
	{ "智能门锁", "door-lock", "Lock", "门锁", 0, 3 },
};
const unsigned sim_template_count = sizeof sim_templates / sizeof sim_templates[0];

/* ---- building data types ----------------------------------------------------------- */

static cJSON *
dt_num(const char *type, const char *min, const char *max, const char *step,
    const char *unit, const char *unit_name)
{
	cJSON *dt = cJSON_CreateObject(), *sp;

	cJSON_AddStringToObject(dt, "type", type);
	sp = cJSON_AddObjectToObject(dt, "specs");
	cJSON_AddStringToObject(sp, "min", min);
	cJSON_AddStringToObject(sp, "max", max);
	cJSON_AddStringToObject(sp, "step", step);
	if (unit != NULL) {
		cJSON_AddStringToObject(sp, "unit", unit);
		cJSON_AddStringToObject(sp, "unitName", unit_name);
	}
	return dt;
}

/* items: "0:关闭|1:打开" */
static cJSON *
dt_enum(const char *type, const char *items)
{
	cJSON *dt = cJSON_CreateObject(), *sp;
	const char *p = items;
	char key[16], val[64];
	size_t n;

	cJSON_AddStringToObject(dt, "type", type);
	sp = cJSON_AddObjectToObject(dt, "specs");
	while (*p != '\0') {
		n = strcspn(p, ":");
		if (n >= sizeof key || p[n] == '\0')
			break;
		memcpy(key, p, n);
		key[n] = '\0';
		p += n + 1;
		n = strcspn(p, "|");
		if (n >= sizeof val)
			n = sizeof val - 1;
		memcpy(val, p, n);
		val[n] = '\0';
		cJSON_AddStringToObject(sp, key, val);
		p += n + (p[n] == '|');
	}
	return dt;
}

static cJSON *
dt_text(int length)
{
	cJSON *dt = cJSON_CreateObject(), *sp;
	char buf[16];

	cJSON_AddStringToObject(dt, "type", "text");
	sp = cJSON_AddObjectToObject(dt, "specs");
	snprintf(buf, sizeof buf, "%d", length);
	cJSON_AddStringToObject(sp, "length", buf);
	return dt;
}

static cJSON *
dt_date(void)
{
	cJSON *dt = cJSON_CreateObject();

	cJSON_AddStringToObject(dt, "type", "date");
	cJSON_AddObjectToObject(dt, "specs");
	return dt;
}

static cJSON *
member(const char *id, const char *name, cJSON *dt)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "identifier", id);
	cJSON_AddStringToObject(m, "name", name);
	cJSON_AddItemToObject(m, "dataType", dt);
	return m;
}

/* members: a NULL-terminated list of member objects */
static cJSON *
dt_struct(cJSON *m1, cJSON *m2, cJSON *m3, cJSON *m4)
{
	cJSON *dt = cJSON_CreateObject(), *sp;

	cJSON_AddStringToObject(dt, "type", "struct");
	sp = cJSON_AddArrayToObject(dt, "specs");
	if (m1 != NULL) cJSON_AddItemToArray(sp, m1);
	if (m2 != NULL) cJSON_AddItemToArray(sp, m2);
	if (m3 != NULL) cJSON_AddItemToArray(sp, m3);
	if (m4 != NULL) cJSON_AddItemToArray(sp, m4);
	return dt;
}

static cJSON *
dt_array(int size, cJSON *item)
{
	cJSON *dt = cJSON_CreateObject(), *sp;
	char buf[16];

	cJSON_AddStringToObject(dt, "type", "array");
	sp = cJSON_AddObjectToObject(dt, "specs");
	snprintf(buf, sizeof buf, "%d", size);
	cJSON_AddStringToObject(sp, "size", buf);
	cJSON_AddItemToObject(sp, "item", item);
	return dt;
}

/* Array items carry only type and specs. */
static cJSON *
item_of(cJSON *dt)
{
	return dt;
}

static void
prop(cJSON *props, const char *id, const char *name, int rw, cJSON *dt)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "identifier", id);
	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddStringToObject(p, "accessMode", rw ? "rw" : "r");
	cJSON_AddBoolToObject(p, "required", 0);
	cJSON_AddItemToObject(p, "dataType", dt);
	cJSON_AddItemToArray(props, p);
}

static cJSON *
param(const char *id, const char *name, cJSON *dt)
{
	return member(id, name, dt);
}

static void
service(cJSON *services, const char *id, const char *name, int sync, cJSON *in, cJSON *out)
{
	cJSON *s = cJSON_CreateObject();
	char *method = xasprintf("thing.service.%s", id);

	cJSON_AddStringToObject(s, "identifier", id);
	cJSON_AddStringToObject(s, "name", name);
	cJSON_AddBoolToObject(s, "required", 0);
	cJSON_AddStringToObject(s, "callType", sync ? "sync" : "async");
	cJSON_AddStringToObject(s, "method", method);
	cJSON_AddItemToObject(s, "inputData", in != NULL ? in : cJSON_CreateArray());
	cJSON_AddItemToObject(s, "outputData", out != NULL ? out : cJSON_CreateArray());
	cJSON_AddItemToArray(services, s);
	free(method);
}

static void
event(cJSON *events, const char *id, const char *name, const char *type, cJSON *out)
{
	cJSON *e = cJSON_CreateObject();
	char *method = xasprintf("thing.event.%s.post", id);

	cJSON_AddStringToObject(e, "identifier", id);
	cJSON_AddStringToObject(e, "name", name);
	cJSON_AddStringToObject(e, "type", type);
	cJSON_AddBoolToObject(e, "required", 0);
	cJSON_AddStringToObject(e, "method", method);
	cJSON_AddItemToObject(e, "outputData", out != NULL ? out : cJSON_CreateArray());
	cJSON_AddItemToArray(events, e);
	free(method);
}

static cJSON *
list(cJSON *a, cJSON *b, cJSON *c)
{
	cJSON *l = cJSON_CreateArray();

	if (a != NULL) cJSON_AddItemToArray(l, a);
	if (b != NULL) cJSON_AddItemToArray(l, b);
	if (c != NULL) cJSON_AddItemToArray(l, c);
	return l;
}

/* Properties every template has: text, date, struct and array among them. */
static void
common_props(cJSON *props)
{
	prop(props, "DeviceLabel", "设备标签", 1, dt_text(64));
	prop(props, "LastMaintenance", "上次维护时间", 1, dt_date());
	prop(props, "NetworkInfo", "网络信息", 0, dt_struct(
	    member("IP", "IP地址", dt_text(32)),
	    member("RSSI", "信号强度", dt_num("int", "-120", "0", "1", "dBm", "分贝毫瓦")),
	    member("Carrier", "运营商", dt_enum("enum", "0:中国移动|1:中国联通|2:中国电信|3:其他")),
	    member("Roaming", "漫游", dt_enum("bool", "0:否|1:是"))));
	prop(props, "ErrorHistory", "最近错误码", 0, dt_array(8, item_of(dt_num("int", "0",
	    "65535", "1", NULL, NULL))));
}

/* Puts item first in array (cJSON_InsertItemInArray of the system cJSON 1.7.15 loses
 * items in some positions: do it by hand). */
static void
prepend(cJSON *array, cJSON *item)
{
	cJSON *first = array->child;

	item->next = first;
	item->prev = first != NULL ? first->prev : item;
	if (first != NULL)
		first->prev = item;
	array->child = item;
}

/* Puts item second in a non-empty array. */
static void
insert_second(cJSON *array, cJSON *item)
{
	cJSON *first = array->child, *second = first->next;

	item->prev = first;
	item->next = second;
	first->next = item;
	if (second != NULL)
		second->prev = item;
	else
		first->prev = item;	/* the head's prev is the tail */
}

/* The standard service thing.service.property.ID (set or get) with this input and output
 * (taken). */
static cJSON *
property_service(const char *id, const char *desc, cJSON *in, cJSON *out)
{
	cJSON *pp = cJSON_CreateObject();
	char method[40];

	snprintf(method, sizeof method, "thing.service.property.%s", id);
	cJSON_AddStringToObject(pp, "identifier", id);
	cJSON_AddStringToObject(pp, "name", id);
	cJSON_AddBoolToObject(pp, "required", 1);
	cJSON_AddStringToObject(pp, "callType", "async");
	cJSON_AddStringToObject(pp, "desc", desc);
	cJSON_AddStringToObject(pp, "method", method);
	cJSON_AddItemToObject(pp, "inputData", in);
	cJSON_AddItemToObject(pp, "outputData", out);
	return pp;
}

cJSON *
sim_tsl_build(unsigned t, const char *pk)
{
	cJSON *tsl = cJSON_CreateObject(), *profile, *props, *services, *events;
	cJSON *in, *out, *pp, *set_in, *get_in, *get_out, *post_out;
	const cJSON *p;

	cJSON_AddStringToObject(tsl, "schema",
	    "https://iotx-tsl.oss-ap-southeast-1.aliyuncs.com/schema.json");
	profile = cJSON_AddObjectToObject(tsl, "profile");
	cJSON_AddStringToObject(profile, "version", "1.0");
	cJSON_AddStringToObject(profile, "productKey", pk);
	props = cJSON_AddArrayToObject(tsl, "properties");
	events = cJSON_AddArrayToObject(tsl, "events");
	services = cJSON_AddArrayToObject(tsl, "services");

	switch (t % sim_template_count) {
	case 0:
		prop(props, "Temperature", "温度", 0, dt_num("float", "-40", "120", "0.1", "°C", "摄氏度"));
		prop(props, "Humidity", "湿度", 0, dt_num("int", "0", "100", "1", "%", "百分比"));
		prop(props, "DewPoint", "露点", 0, dt_num("double", "-60", "60", "0.01", "°C", "摄氏度"));
		prop(props, "ReportInterval", "上报间隔", 1, dt_num("int", "10", "3600", "1", "s", "秒"));
		prop(props, "AlarmSwitch", "告警开关", 1, dt_enum("bool", "0:关闭|1:开启"));
		prop(props, "Mode", "工作模式", 1, dt_enum("enum", "0:节能|1:标准|2:高精度"));
		prop(props, "TempHistory", "温度历史", 0, dt_array(10, item_of(dt_num("float", "-40",
		    "120", "0.1", "°C", "摄氏度"))));
		in = list(param("Offset", "偏移量", dt_num("float", "-5", "5", "0.1", "°C", "摄氏度")), NULL, NULL);
		out = list(param("Result", "结果", dt_enum("enum", "0:成功|1:失败")),
		    param("Message", "说明", dt_text(128)), NULL);
		service(services, "Calibrate", "校准", 1, in, out);
		service(services, "Reboot", "重启", 0, list(param("Delay", "延迟", dt_num("int",
		    "0", "300", "1", "s", "秒")), NULL, NULL), NULL);
		event(events, "HighTemperature", "高温告警", "alert", list(param("Temperature",
		    "温度", dt_num("float", "-40", "120", "0.1", "°C", "摄氏度")), NULL, NULL));
		break;
	case 1:
		prop(props, "LightSwitch", "主灯开关", 1, dt_enum("bool", "0:关闭|1:开启"));
		prop(props, "Brightness", "亮度", 1, dt_num("int", "0", "100", "1", "%", "百分比"));
		prop(props, "ColorTemperature", "色温", 1, dt_num("int", "2700", "6500", "100", "K", "开尔文"));
		prop(props, "WorkMode", "工作模式", 1, dt_enum("enum", "0:手动|1:定时|2:光感"));
		prop(props, "PowerConsumption", "累计耗电", 0, dt_num("double", "0", "1000000", "0.001", "kW·h", "千瓦时"));
		prop(props, "Voltage", "电压", 0, dt_num("float", "0", "400", "0.1", "V", "伏特"));
		prop(props, "Schedule", "定时计划", 1, dt_array(4, item_of(dt_struct(
		    member("Start", "开始", dt_text(8)), member("End", "结束", dt_text(8)),
		    member("Level", "亮度", dt_num("int", "0", "100", "1", "%", "百分比")), NULL))));
		in = list(param("SceneId", "场景", dt_num("int", "1", "16", "1", NULL, NULL)), NULL, NULL);
		out = list(param("Applied", "已应用", dt_enum("bool", "0:否|1:是")), NULL, NULL);
		service(services, "SetScene", "切换场景", 1, in, out);
		service(services, "ToggleLight", "开关灯", 0, NULL, NULL);
		event(events, "LampFault", "灯具故障", "error", list(param("FaultCode", "故障码",
		    dt_num("int", "0", "255", "1", NULL, NULL)), NULL, NULL));
		break;
	case 2:
		prop(props, "ActiveEnergy", "有功电能", 0, dt_num("double", "0", "99999999", "0.01", "kW·h", "千瓦时"));
		prop(props, "Voltage", "电压", 0, dt_num("float", "0", "400", "0.1", "V", "伏特"));
		prop(props, "Current", "电流", 0, dt_num("float", "0", "100", "0.01", "A", "安培"));
		prop(props, "RelayStatus", "继电器", 1, dt_enum("bool", "0:断开|1:闭合"));
		prop(props, "Tariff", "费率", 1, dt_enum("enum", "0:尖|1:峰|2:平|3:谷"));
		prop(props, "DemandLimit", "需量限值", 1, dt_num("int", "0", "100000", "1", "W", "瓦特"));
		prop(props, "PhaseVoltages", "三相电压", 0, dt_array(3, item_of(dt_num("double", "0",
		    "400", "0.1", "V", "伏特"))));
		in = list(param("Period", "周期", dt_enum("enum", "0:日|1:月")), NULL, NULL);
		out = list(param("Energy", "电能", dt_num("double", "0", "99999999", "0.01", "kW·h", "千瓦时")),
		    param("ReadAt", "读取时间", dt_date()), NULL);
		service(services, "ReadEnergy", "抄表", 1, in, out);
		service(services, "ResetDemand", "需量复位", 0, NULL, NULL);
		event(events, "OverCurrent", "过流告警", "alert", list(param("Current", "电流",
		    dt_num("float", "0", "100", "0.01", "A", "安培")), NULL, NULL));
		break;
	case 3:
		prop(props, "CPUUsage", "CPU使用率", 0, dt_num("float", "0", "100", "0.1", "%", "百分比"));
		prop(props, "MemoryUsage", "内存使用率", 0, dt_num("double", "0", "100", "0.01", "%", "百分比"));
		prop(props, "SubDeviceCount", "子设备数", 0, dt_num("int", "0", "1500", "1", NULL, NULL));
		prop(props, "Uplink", "上行链路", 0, dt_enum("enum", "0:WiFi|1:4G|2:以太网"));
		prop(props, "DebugLog", "调试日志", 1, dt_enum("bool", "0:关闭|1:开启"));
		prop(props, "NTPServer", "NTP服务器", 1, dt_text(128));
		in = list(param("Command", "命令", dt_text(256)), param("Timeout", "超时",
		    dt_num("int", "1", "30", "1", "s", "秒")), NULL);
		out = list(param("ExitCode", "退出码", dt_num("int", "-255", "255", "1", NULL, NULL)),
		    param("Output", "输出", dt_text(1024)), NULL);
		service(services, "RunDiagnostics", "诊断", 1, in, out);
		service(services, "RestartEdge", "重启边缘服务", 0, NULL, NULL);
		event(events, "SubDeviceLost", "子设备掉线", "info", list(param("DeviceName",
		    "设备名称", dt_text(64)), NULL, NULL));
		break;
	case 4:
		prop(props, "Running", "运行", 1, dt_enum("bool", "0:停止|1:运行"));
		prop(props, "Speed", "转速", 1, dt_num("int", "0", "3000", "10", "r/min", "转每分钟"));
		prop(props, "Pressure", "出口压力", 0, dt_num("double", "0", "2.5", "0.001", "MPa", "兆帕"));
		prop(props, "FlowRate", "流量", 0, dt_num("float", "0", "500", "0.1", "m³/h", "立方米每小时"));
		prop(props, "ControlMode", "控制模式", 1, dt_enum("enum", "0:本地|1:远程|2:自动"));
		prop(props, "Alarms", "当前告警", 0, dt_array(5, item_of(dt_text(32))));
		in = list(param("TargetPressure", "目标压力", dt_num("double", "0", "2.5", "0.001", "MPa", "兆帕")), NULL, NULL);
		out = list(param("Accepted", "已接受", dt_enum("bool", "0:否|1:是")), NULL, NULL);
		service(services, "SetPressure", "设定压力", 1, in, out);
		service(services, "Flush", "冲洗", 0, list(param("Minutes", "时长", dt_num("int",
		    "1", "60", "1", "min", "分钟")), NULL, NULL), NULL);
		event(events, "DryRun", "干转保护", "error", list(param("Pressure", "压力",
		    dt_num("double", "0", "2.5", "0.001", "MPa", "兆帕")), NULL, NULL));
		break;
	default:
		prop(props, "LockState", "锁状态", 0, dt_enum("enum", "0:已锁|1:未锁|2:卡滞"));
		prop(props, "BatteryLevel", "电量", 0, dt_num("int", "0", "100", "1", "%", "百分比"));
		prop(props, "BatteryVoltage", "电池电压", 0, dt_num("float", "0", "7.2", "0.01", "V", "伏特"));
		prop(props, "DoorOpen", "门状态", 0, dt_enum("bool", "0:关闭|1:打开"));
		prop(props, "AutoLockDelay", "自动上锁延时", 1, dt_num("double", "0", "600", "0.5", "s", "秒"));
		prop(props, "Users", "用户", 1, dt_array(10, item_of(dt_struct(
		    member("UserId", "用户编号", dt_num("int", "1", "100", "1", NULL, NULL)),
		    member("Name", "姓名", dt_text(32)),
		    member("Role", "角色", dt_enum("enum", "0:管理员|1:家人|2:访客")), NULL))));
		in = list(param("ValidMinutes", "有效期", dt_num("int", "1", "1440", "1", "min", "分钟")), NULL, NULL);
		out = list(param("Password", "临时密码", dt_text(16)), param("ExpireAt", "过期时间",
		    dt_date()), NULL);
		service(services, "CreateTempPassword", "生成临时密码", 1, in, out);
		service(services, "RemoteUnlock", "远程开锁", 0, NULL, NULL);
		event(events, "TamperAlarm", "防撬告警", "alert", list(param("Level", "级别",
		    dt_enum("enum", "0:低|1:中|2:高")), NULL, NULL));
		break;
	}
	common_props(props);

	/* The standard set/get services and post event derive from the properties. */
	set_in = cJSON_CreateArray();
	get_in = cJSON_CreateArray();
	get_out = cJSON_CreateArray();
	post_out = cJSON_CreateArray();
	cJSON_ArrayForEach(p, props) {
		const char *id = cJSON_GetObjectItem(p, "identifier")->valuestring;
		const char *name = cJSON_GetObjectItem(p, "name")->valuestring;
		const cJSON *dt = cJSON_GetObjectItem(p, "dataType");
		if (strcmp(cJSON_GetObjectItem(p, "accessMode")->valuestring, "rw") == 0)
			cJSON_AddItemToArray(set_in, param(id, name, cJSON_Duplicate(dt, 1)));
		cJSON_AddItemToArray(get_in, cJSON_CreateString(id));
		cJSON_AddItemToArray(get_out, param(id, name, cJSON_Duplicate(dt, 1)));
		cJSON_AddItemToArray(post_out, param(id, name, cJSON_Duplicate(dt, 1)));
	}
	prepend(services, property_service("set", "属性设置", set_in, cJSON_CreateArray()));
	insert_second(services, property_service("get", "属性获取", get_in, get_out));
	pp = cJSON_CreateObject();
	cJSON_AddStringToObject(pp, "identifier", "post");
	cJSON_AddStringToObject(pp, "name", "post");
	cJSON_AddStringToObject(pp, "type", "info");
	cJSON_AddBoolToObject(pp, "required", 1);
	cJSON_AddStringToObject(pp, "desc", "属性上报");
	cJSON_AddStringToObject(pp, "method", "thing.event.property.post");
	cJSON_AddItemToObject(pp, "outputData", post_out);
	prepend(events, pp);
	return tsl;
}

/* ---- values ------------------------------------------------------------------------ */

static uint64_t
next(uint64_t *rng)
{
	uint64_t z = (*rng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double
spec_num(const cJSON *specs, const char *name, double dflt)
{
	const cJSON *v = cJSON_GetObjectItem(specs, name);

	if (cJSON_IsString(v))
		return strtod(v->valuestring, NULL);
	if (cJSON_IsNumber(v))
		return v->valuedouble;
	return dflt;
}

cJSON *
sim_tsl_value(const cJSON *dt, uint64_t *rng)
{
	const cJSON *ty = cJSON_GetObjectItem(dt, "type"), *specs = cJSON_GetObjectItem(dt, "specs");
	const char *type = cJSON_IsString(ty) ? ty->valuestring : "int";
	double lo, hi, step, v;
	const cJSON *c;
	cJSON *o;
	int n, i;

	if (strcmp(type, "int") == 0 || strcmp(type, "float") == 0 || strcmp(type, "double") == 0) {
		lo = spec_num(specs, "min", 0);
		hi = spec_num(specs, "max", 100);
		step = spec_num(specs, "step", 1);
		if (step <= 0)
			step = 1;
		n = (int)((hi - lo) / step);
		v = lo + step * (double)(n > 0 ? next(rng) % (uint64_t)(n + 1) : 0);
		if (strcmp(type, "int") == 0)
			return cJSON_CreateNumber((double)(long)v);
		return cJSON_CreateNumber(round(v * 1000.0) / 1000.0);
	}
	if (strcmp(type, "enum") == 0 || strcmp(type, "bool") == 0) {
		n = cJSON_GetArraySize(specs);
		if (n <= 0)
			return cJSON_CreateNumber(0);
		c = cJSON_GetArrayItem(specs, (int)(next(rng) % (uint64_t)n));
		return cJSON_CreateNumber(atoi(c->string));
	}
	if (strcmp(type, "text") == 0) {
		static const char *const words[] = { "ok", "normal", "运行正常", "ready", "待机" };
		const char *w = words[next(rng) % 5];
		/* Respect the declared length (bytes). */
		return cJSON_CreateString(strlen(w) <= (size_t)spec_num(specs, "length", 2048) ? w : "ok");
	}
	if (strcmp(type, "date") == 0) {
		char buf[24];
		snprintf(buf, sizeof buf, "%lld", 1700000000000LL + (long long)(next(rng) % 50000000000ULL));
		return cJSON_CreateString(buf);
	}
	if (strcmp(type, "struct") == 0) {
		o = cJSON_CreateObject();
		cJSON_ArrayForEach(c, specs) {
			const cJSON *id = cJSON_GetObjectItem(c, "identifier");
			if (cJSON_IsString(id))
				cJSON_AddItemToObject(o, id->valuestring,
				    sim_tsl_value(cJSON_GetObjectItem(c, "dataType"), rng));
		}
		return o;
	}
	if (strcmp(type, "array") == 0) {
		o = cJSON_CreateArray();
		n = (int)spec_num(specs, "size", 1);
		if (n > 3)
			n = 3;
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(o, sim_tsl_value(cJSON_GetObjectItem(specs, "item"), rng));
		return o;
	}
	return cJSON_CreateNull();
}

int
sim_tsl_check(const cJSON *dt, const cJSON *v, char **cause)
{
	const cJSON *ty = cJSON_GetObjectItem(dt, "type"), *specs = cJSON_GetObjectItem(dt, "specs");
	const char *type = cJSON_IsString(ty) ? ty->valuestring : "";
	const cJSON *c;
	char key[32];
	double d;

	if (strcmp(type, "int") == 0 || strcmp(type, "float") == 0 || strcmp(type, "double") == 0) {
		if (!cJSON_IsNumber(v)) {
			*cause = xstrdup("a number is expected");
			return -1;
		}
		d = v->valuedouble;
		if (strcmp(type, "int") == 0 && d != floor(d)) {
			*cause = xstrdup("an integer is expected");
			return -1;
		}
		if (d < spec_num(specs, "min", -1e300) || d > spec_num(specs, "max", 1e300)) {
			*cause = xasprintf("%g is out of range", d);
			return -1;
		}
		return 0;
	}
	if (strcmp(type, "enum") == 0 || strcmp(type, "bool") == 0) {
		if (!cJSON_IsNumber(v) && !cJSON_IsBool(v)) {
			*cause = xstrdup("an enum value is expected");
			return -1;
		}
		snprintf(key, sizeof key, "%d", cJSON_IsBool(v) ? cJSON_IsTrue(v) : v->valueint);
		if (cJSON_GetObjectItem(specs, key) == NULL) {
			*cause = xasprintf("%s is not one of the values", key);
			return -1;
		}
		return 0;
	}
	if (strcmp(type, "text") == 0) {
		if (!cJSON_IsString(v) || strlen(v->valuestring) > (size_t)spec_num(specs, "length", 2048)) {
			*cause = xstrdup("a text no longer than its length is expected");
			return -1;
		}
		return 0;
	}
	if (strcmp(type, "date") == 0) {
		if (!(cJSON_IsString(v) && strspn(v->valuestring, "0123456789") == strlen(v->valuestring) &&
		    *v->valuestring != '\0') && !cJSON_IsNumber(v)) {
			*cause = xstrdup("an epoch-ms date string is expected");
			return -1;
		}
		return 0;
	}
	if (strcmp(type, "struct") == 0) {
		if (!cJSON_IsObject(v)) {
			*cause = xstrdup("an object is expected");
			return -1;
		}
		cJSON_ArrayForEach(c, specs) {
			const cJSON *id = cJSON_GetObjectItem(c, "identifier"), *mv;
			if (!cJSON_IsString(id) || (mv = cJSON_GetObjectItem(v, id->valuestring)) == NULL)
				continue;
			if (sim_tsl_check(cJSON_GetObjectItem(c, "dataType"), mv, cause) != 0)
				return -1;
		}
		return 0;
	}
	if (strcmp(type, "array") == 0) {
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > (int)spec_num(specs, "size", 512)) {
			*cause = xstrdup("an array no longer than its size is expected");
			return -1;
		}
		cJSON_ArrayForEach(c, v)
			if (sim_tsl_check(cJSON_GetObjectItem(specs, "item"), c, cause) != 0)
				return -1;
		return 0;
	}
	return 0;
}

const cJSON *
sim_tsl_find(const cJSON *tsl, const char *kind, const char *identifier)
{
	const cJSON *a = cJSON_GetObjectItem(tsl, kind), *c, *id;

	cJSON_ArrayForEach(c, a) {
		id = cJSON_GetObjectItem(c, "identifier");
		if (cJSON_IsString(id) && strcmp(id->valuestring, identifier) == 0)
			return c;
	}
	return NULL;
}
