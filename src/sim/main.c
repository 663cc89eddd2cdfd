/* main.c — iotdeck-sim: command line, start-up and shutdown. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/xmalloc.h"
#include "sim/auth.h"
#include "sim/fault.h"
#include "sim/gateway.h"
#include "sim/log.h"
#include "sim/oss.h"
#include "sim/savefile.h"
#include "sim/seed.h"
#include "sim/server.h"
#include "sim/state.h"
#include "sim/sts.h"
#include "sim/sim.h"
#include "sim/throttle.h"
#include "sim/world.h"
#include "sim/writelog.h"

static const char usage[] =
"usage: iotdeck-sim [options]\n"
"Local emulator of the Alibaba Cloud IoT Platform RPC API (2018-01-20).\n"
"\n"
"  --listen ADDR:PORT     address to listen on (default 127.0.0.1:8080; port 0 = free port)\n"
"  --port-file FILE       write the bound port to FILE once listening\n"
"  --tls-cert FILE        serve HTTPS with this PEM certificate ...\n"
"  --tls-key FILE         ... and this PEM key\n"
"  --keys-file FILE       accept the keys in FILE (one ID:SECRET a line, # comments)\n"
"  --keys-fd N            accept the keys read from descriptor N, same format\n"
"                         (e.g. --keys-fd 3 3<keys, or from a pipe)\n"
"  --access-key ID:SECRET accept this AccessKey (repeatable); the secret is visible to\n"
"                         other users (ps) until start-up ends: throwaway keys only\n"
"  --no-demo-key          do not accept the demo key\n"
"                         (AccessKeyId " SIM_DEMO_KEY_ID ", secret " SIM_DEMO_KEY_SECRET ")\n"
"STS (AssumeRole, Version 2015-04-01, on the same port):\n"
"  --role ARN[=ID,...]    a role that exists (repeatable): acs:ram::ACCOUNT:role/NAME;\n"
"                         with =ID,... only these AccessKeyIds may assume it (else\n"
"                         NoPermission); with no --role every well-formed ARN exists\n"
"  --sts-max-duration S   cap a granted credential's lifetime at S seconds (default\n"
"                         none: DurationSeconds, 900..43200, default 3600)\n"
"  --sts-token ID:SECRET:TOKEN:SECONDS\n"
"                         accept this STS credential (repeatable; ID starts with STS.)\n"
"                         for SECONDS from start (0 or less: already expired); the\n"
"                         secret and token are visible to other users (ps) until\n"
"                         start-up ends: throwaway credentials only\n"
"  --sts-token-file FILE  ... the credentials in FILE, one ID:SECRET:TOKEN:SECONDS a\n"
"                         line (# comments)\n"
"  --seed N               fleet generator seed (default 1)\n"
"  --products P           seeded products (default 6)\n"
"  --devices D            seeded devices, spread over the products (default 1000)\n"
"  --qps-scale F          multiply every QPS limit by F (default 1)\n"
"  --time-scale F         run the world clock F times faster than real time (default 1)\n"
"  --flap-minutes M       mean world minutes between status changes of a device\n"
"                         (default 120; 0 = devices keep their status)\n"
"  --ota-fail-rate P      share of OTA tasks that fail, 0..1 (default 0.1)\n"
"  --ota-max-upload-mb N  largest OTA upload accepted, in MiB (default and at most 2000)\n"
"  --latency-ms N         delay every answer by N ms\n"
"  --jitter-ms N          ... plus up to N ms more, at random\n"
"  --fault-rate P         give a share P (0..1) of requests a fault\n"
"  --fault-kinds LIST     faults to inject: 5xx,throttle,reset,truncate,malformed,drip\n"
"                         or all (default); header x-iotdeck-sim-fault: KIND; applied=0|1\n"
"  --service-latency-ms N a device answers a sync service after N ms plus up to N/2\n"
"                         (default 200; a reply later than 5000 ms is iot.messagebroker.TIMEOUT)\n"
"  --service-jitter-ms J  ... plus up to J ms instead of N/2 (0: every reply takes N ms)\n"
"  --halfconn-rate P      share P (0..1) of the messages to online devices that find their\n"
"                         link half open (iot.messagebroker.HALFCONN; default 0)\n"
"  --write-log FILE       append one JSON line per write request to FILE (0600; created,\n"
"                         or appended to if it is a private regular file of this user)\n"
"  --state FILE           load the world from FILE if it exists (instead of seeding) and\n"
"                         save it there on exit (written atomically)\n"
"  --verbose              log one line per request on stderr (no secrets)\n"
"  --help, --version\n";

struct options {
	const char *listen;		/* --listen */
	const char *port_file;		/* --port-file */
	const char *tls_cert;		/* --tls-cert */
	const char *tls_key;		/* --tls-key */
	const char *keys_file;		/* --keys-file */
	const char *sts_token_file;	/* --sts-token-file */
	int         keys_fd;		/* --keys-fd, or -1 */
	const char *state;		/* --state */
	int         no_demo;		/* --no-demo-key */
	unsigned long long seed;	/* --seed */
	size_t      products;		/* --products */
	size_t      devices;		/* --devices */
	double      qps_scale;		/* --qps-scale */
	double      time_scale;		/* --time-scale */
	double      flap_minutes;	/* --flap-minutes */
	double      ota_fail_rate;	/* --ota-fail-rate */
	int         verbose;		/* --verbose */
	size_t      latency_ms;		/* --latency-ms */
	size_t      jitter_ms;		/* --jitter-ms */
	double      fault_rate;		/* --fault-rate */
	unsigned    fault_kinds;	/* --fault-kinds */
	size_t      service_ms;		/* --service-latency-ms */
	double      halfconn_rate;	/* --halfconn-rate */
	const char *write_log;		/* --write-log */
	size_t      ota_max_mb;		/* --ota-max-upload-mb (0: the documented 2,000) */
	long        service_jitter_ms;	/* --service-jitter-ms (-1: half the latency) */
};

static int
parse_size(const char *opt, const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || s[0] == '-') {
		sim_log("%s %s: not a number", opt, s);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

static int
write_port_file(const char *path, unsigned port)
{
	struct sim_savefile *f;
	char *cause = NULL;

	if ((f = sim_savefile_begin(path, &cause)) != NULL) {
		fprintf(sim_savefile_stream(f), "%u\n", port);
		if (sim_savefile_commit(f, &cause) == 0)
			return 0;
	}
	sim_log("--port-file %s", cause);
	free(cause);
	return -1;
}

/* Overwrites the secret of an --access-key ID:SECRET argument (or the secret, token and
 * lifetime of an --sts-token ID:SECRET:TOKEN:SECONDS) in place, so that ps no longer shows
 * it (it did while the simulator started: the help says so). */
static void
hide_secret(char *spec)
{
	char *colon = strchr(spec, ':');

	if (colon != NULL)
		sodium_memzero(colon + 1, strlen(colon + 1));
}

int
main(int argc, char **argv)
{
	enum { O_LISTEN = 256, O_PORT_FILE, O_TLS_CERT, O_TLS_KEY, O_ACCESS_KEY, O_KEYS_FILE,
	    O_KEYS_FD, O_NO_DEMO, O_SEED, O_PRODUCTS, O_DEVICES, O_QPS_SCALE, O_TIME_SCALE, O_FLAP, O_OTA_FAIL, O_LATENCY, O_JITTER, O_FAULT_RATE, O_FAULT_KINDS, O_SERVICE_MS, O_SERVICE_JITTER, O_HALFCONN, O_WRITE_LOG, O_STATE, O_VERBOSE, O_HELP, O_VERSION, O_OTA_MAX, O_ROLE, O_STS_MAX, O_STS_TOKEN, O_STS_TOKEN_FILE };
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "port-file", required_argument, NULL, O_PORT_FILE },
		{ "tls-cert", required_argument, NULL, O_TLS_CERT },
		{ "tls-key", required_argument, NULL, O_TLS_KEY },
		{ "access-key", required_argument, NULL, O_ACCESS_KEY },
		{ "keys-file", required_argument, NULL, O_KEYS_FILE },
		{ "keys-fd", required_argument, NULL, O_KEYS_FD },
		{ "no-demo-key", no_argument, NULL, O_NO_DEMO },
		{ "role", required_argument, NULL, O_ROLE },
		{ "sts-max-duration", required_argument, NULL, O_STS_MAX },
		{ "sts-token", required_argument, NULL, O_STS_TOKEN },
		{ "sts-token-file", required_argument, NULL, O_STS_TOKEN_FILE },
		{ "seed", required_argument, NULL, O_SEED },
		{ "products", required_argument, NULL, O_PRODUCTS },
		{ "devices", required_argument, NULL, O_DEVICES },
		{ "qps-scale", required_argument, NULL, O_QPS_SCALE },
		{ "time-scale", required_argument, NULL, O_TIME_SCALE },
		{ "flap-minutes", required_argument, NULL, O_FLAP },
		{ "ota-fail-rate", required_argument, NULL, O_OTA_FAIL },
		{ "ota-max-upload-mb", required_argument, NULL, O_OTA_MAX },
		{ "latency-ms", required_argument, NULL, O_LATENCY },
		{ "jitter-ms", required_argument, NULL, O_JITTER },
		{ "fault-rate", required_argument, NULL, O_FAULT_RATE },
		{ "fault-kinds", required_argument, NULL, O_FAULT_KINDS },
		{ "service-latency-ms", required_argument, NULL, O_SERVICE_MS },
		{ "service-jitter-ms", required_argument, NULL, O_SERVICE_JITTER },
		{ "halfconn-rate", required_argument, NULL, O_HALFCONN },
		{ "write-log", required_argument, NULL, O_WRITE_LOG },
		{ "state", required_argument, NULL, O_STATE },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { "127.0.0.1:8080", NULL, NULL, NULL, NULL, NULL, -1, NULL, 0, 1, 6, 1000, 1.0, 1.0, 120.0, 0.1, 0, 0, 0, 0.0, SIM_FAULT_ALL, SIM_SERVICE_MS, 0.0, NULL, 0, -1 };
	size_t jitter = 0, nproducts, ndevices;
	double mib;
	struct sim_auth *auth = sim_auth_new();
	struct sim *sim = NULL;
	struct sim_store *store;
	struct sim_throttle *throttle = NULL;
	struct sim_gateway *gw = NULL;
	struct sim_server *srv = NULL;
	struct sim_faults *faults = NULL;
	struct sim_writelog *writelog = NULL;
	struct sim_gateway_config gcfg = { NULL, 0, NULL };
	struct sim_server_config scfg;
	char *cause = NULL, *end;
	size_t seed;
	sigset_t sigs;
	int c, sig = 0, rc = 1, loaded = 1;

	if (sodium_init() < 0) {
		sim_log("libsodium failed to initialise");
		return 1;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_LISTEN: o.listen = optarg; break;
		case O_PORT_FILE: o.port_file = optarg; break;
		case O_TLS_CERT: o.tls_cert = optarg; break;
		case O_TLS_KEY: o.tls_key = optarg; break;
		case O_ACCESS_KEY: {
			int bad = sim_auth_add_key_spec(auth, optarg, &cause) != 0;
			hide_secret(optarg);
			if (bad) {
				sim_log("--access-key: %s", cause);
				goto out;
			}
			break;
		}
		case O_KEYS_FILE: o.keys_file = optarg; break;
		case O_ROLE:
			if (sim_sts_add_role(sim_auth_sts(auth), optarg, &cause) != 0) {
				sim_log("--role %s: %s", optarg, cause);
				goto out;
			}
			break;
		case O_STS_MAX: {
			size_t secs;
			if (parse_size("--sts-max-duration", optarg, &secs) != 0)
				goto out;
			if (secs < 1 || secs > SIM_STS_MAX_DURATION) {
				sim_log("--sts-max-duration %s: expected 1..%d seconds", optarg,
				    SIM_STS_MAX_DURATION);
				goto out;
			}
			sim_sts_set_max_duration(sim_auth_sts(auth), (long)secs);
			break;
		}
		case O_STS_TOKEN: {
			int bad = sim_sts_add_token_spec(sim_auth_sts(auth), optarg, time(NULL),
			    &cause) != 0;
			hide_secret(optarg);
			if (bad) {
				sim_log("--sts-token: %s", cause);
				goto out;
			}
			break;
		}
		case O_STS_TOKEN_FILE: o.sts_token_file = optarg; break;
		case O_KEYS_FD: {
			size_t fd;
			if (parse_size("--keys-fd", optarg, &fd) != 0)
				goto out;
			if (fd > 65535) {
				sim_log("--keys-fd %s: not a descriptor", optarg);
				goto out;
			}
			o.keys_fd = (int)fd;
			break;
		}
		case O_NO_DEMO: o.no_demo = 1; break;
		case O_SEED:
			if (parse_size("--seed", optarg, &seed) != 0)
				goto out;
			o.seed = seed;
			break;
		case O_PRODUCTS:
			if (parse_size("--products", optarg, &o.products) != 0)
				goto out;
			break;
		case O_DEVICES:
			if (parse_size("--devices", optarg, &o.devices) != 0)
				goto out;
			break;
		case O_QPS_SCALE:
			o.qps_scale = strtod(optarg, &end);
			if (*end != '\0' || !(o.qps_scale > 0)) {
				sim_log("--qps-scale %s: expected a number > 0", optarg);
				goto out;
			}
			break;
		case O_TIME_SCALE:
		case O_FLAP:
		case O_OTA_FAIL: {
			double v = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || v < 0 || (c == O_TIME_SCALE && v <= 0) ||
			    (c == O_OTA_FAIL && v > 1)) {
				sim_log("%s: bad value %s", c == O_TIME_SCALE ? "--time-scale"
				    : c == O_FLAP ? "--flap-minutes" : "--ota-fail-rate", optarg);
				goto out;
			}
			if (c == O_TIME_SCALE)
				o.time_scale = v;
			else if (c == O_FLAP)
				o.flap_minutes = v;
			else
				o.ota_fail_rate = v;
			break;
		}
		case O_OTA_MAX:
			if (parse_size("--ota-max-upload-mb", optarg, &o.ota_max_mb) != 0)
				goto out;
			if (o.ota_max_mb < 1 || o.ota_max_mb > 2000) {
				sim_log("--ota-max-upload-mb: %s: expected 1..2000", optarg);
				goto out;
			}
			break;
		case O_LATENCY:
			if (parse_size("--latency-ms", optarg, &o.latency_ms) != 0)
				goto out;
			break;
		case O_JITTER:
			if (parse_size("--jitter-ms", optarg, &o.jitter_ms) != 0)
				goto out;
			break;
		case O_FAULT_RATE:
			o.fault_rate = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || o.fault_rate < 0 || o.fault_rate > 1) {
				sim_log("--fault-rate %s: expected 0..1", optarg);
				goto out;
			}
			break;
		case O_FAULT_KINDS:
			if (sim_faults_parse_kinds(optarg, &o.fault_kinds, &cause) != 0) {
				sim_log("--fault-kinds: %s", cause);
				goto out;
			}
			break;
		case O_SERVICE_MS:
			if (parse_size("--service-latency-ms", optarg, &o.service_ms) != 0)
				goto out;
			if (o.service_ms > 600000) {
				sim_log("--service-latency-ms is at most 600000");
				goto out;
			}
			break;
		case O_SERVICE_JITTER:
			if (parse_size("--service-jitter-ms", optarg, &jitter) != 0)
				goto out;
			if (jitter > 600000) {
				sim_log("--service-jitter-ms is at most 600000");
				goto out;
			}
			o.service_jitter_ms = (long)jitter;
			break;
		case O_HALFCONN:
			o.halfconn_rate = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || !(o.halfconn_rate >= 0 && o.halfconn_rate <= 1)) {
				sim_log("--halfconn-rate %s: expected 0..1", optarg);
				goto out;
			}
			break;
		case O_WRITE_LOG: o.write_log = optarg; break;
		case O_STATE: o.state = optarg; break;
		case O_VERBOSE: o.verbose = 1; break;
		case O_HELP:
			fputs(usage, stdout);
			rc = 0;
			goto out;
		case O_VERSION:
			printf("iotdeck-sim %s\n", IOTDECK_VERSION);
			rc = 0;
			goto out;
		default:
			/* getopt's own message would echo the argument raw. */
			sim_log("bad option or missing value: %s", argv[optind - 1]);
			fputs(usage, stderr);
			rc = 2;
			goto out;
		}
	}
	if (optind < argc) {
		sim_log("unexpected argument %s", argv[optind]);
		rc = 2;
		goto out;
	}
	if (o.keys_file != NULL && sim_auth_load_keys(auth, o.keys_file, &cause) != 0) {
		sim_log("--keys-file %s", cause);
		goto out;
	}
	if (o.keys_fd >= 0 && sim_auth_load_keys_fd(auth, o.keys_fd, &cause) != 0) {
		sim_log("--keys-fd: %s", cause);
		goto out;
	}
	if (o.sts_token_file != NULL &&
	    sim_sts_load_tokens(sim_auth_sts(auth), o.sts_token_file, time(NULL), &cause) != 0) {
		sim_log("--sts-token-file %s", cause);
		goto out;
	}
	if (!o.no_demo)
		sim_auth_add_key(auth, SIM_DEMO_KEY_ID, SIM_DEMO_KEY_SECRET, &cause);
	if (sim_auth_key_count(auth) == 0 && sim_sts_count(sim_auth_sts(auth)) == 0) {
		sim_log("no AccessKey accepted (--no-demo-key without --keys-file, --keys-fd, --access-key or --sts-token)");
		goto out;
	}

	sim = sim_new(o.seed);
	store = sim->store;
	sim->ota->fail_rate = o.ota_fail_rate;
	store->flap_ms = (int64_t)(o.flap_minutes * 60000.0);
	store->service_ms = (int)o.service_ms;
	store->service_jitter_ms = (int)o.service_jitter_ms;
	store->halfconn_rate = o.halfconn_rate;
	if (o.ota_max_mb > 0)
		sim_oss_set_max_size(sim->oss, (uint64_t)o.ota_max_mb << 20);
	loaded = o.state != NULL ? sim_state_load(sim, o.state, &cause) : 1;
	if (loaded < 0) {
		sim_log("%s", cause);
		goto out;
	}
	if (loaded == 1 && sim_seed(sim, o.seed, o.products, o.devices, &cause) != 0) {
		sim_log("%s", cause);
		goto out;
	}
	if (loaded == 0)
		sim_log("loaded %s", o.state);
	sim_store_set_time_scale(store, o.time_scale);
	throttle = sim_throttle_new(o.qps_scale);
	gcfg.verbose = o.verbose;
	gcfg.scheme = o.tls_cert != NULL ? "https" : "http";
	if (o.write_log != NULL && (writelog = sim_writelog_open(o.write_log, &cause)) == NULL) {
		sim_log("%s", cause);
		goto out;
	}
	gw = sim_gateway_new(sim, auth, throttle, &gcfg);
	sim_gateway_set_writelog(gw, writelog);

	/* Signals are taken synchronously by this thread; block them before any thread starts. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&scfg, 0, sizeof scfg);
	scfg.listen = o.listen;
	scfg.tls_cert = o.tls_cert;
	scfg.tls_key = o.tls_key;
	scfg.verbose = o.verbose;
	if (o.latency_ms > 0 || o.jitter_ms > 0 || o.fault_rate > 0) {
		if (o.latency_ms > 600000 || o.jitter_ms > 600000) {
			sim_log("--latency-ms and --jitter-ms are at most 600000");
			goto out;
		}
		faults = sim_faults_new(o.seed, o.fault_rate, o.fault_kinds, (int)o.latency_ms,
		    (int)o.jitter_ms);
		scfg.faults = faults;
	}
	/* The world's size, read before requests can change it (no lock needed yet). */
	nproducts = store->nproducts;
	ndevices = store->nlive;
	mib = (double)sim_store_bytes(store) / (1024.0 * 1024.0);
	if ((srv = sim_server_start(gw, &scfg, &cause)) == NULL) {
		sim_log("%s", cause);
		goto out;
	}
	sim_log("listening on %s://%.*s:%u (%zu products, %zu devices, %.1f MiB)",
	    o.tls_cert != NULL ? "https" : "http", (int)strcspn(o.listen, ":"), o.listen,
	    sim_server_port(srv), nproducts, ndevices, mib);
	if (o.port_file != NULL && write_port_file(o.port_file, sim_server_port(srv)) != 0)
		goto out;
	if (sigwait(&sigs, &sig) != 0)
		sig = 0;
	sim_log("signal %d, shutting down", sig);
	rc = 0;
	sim_server_stop(srv);
	srv = NULL;
	if (o.state != NULL) {
		if (sim_state_save(sim, o.state, &cause) != 0) {
			sim_log("saving the state: %s", cause);
			rc = 1;
		} else
			sim_log("saved %s", o.state);
	}
out:
	sim_server_stop(srv);
	sim_faults_free(faults);
	sim_gateway_free(gw);
	sim_writelog_close(writelog);
	sim_throttle_free(throttle);
	sim_free(sim);
	sim_auth_free(auth);
	free(cause);
	return rc;
}
