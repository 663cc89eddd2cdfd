/* console.c — `iotdeck` with no command: the console, optionally against iotdeck-sim. */
#include "cli/console.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/ops.h"
#include "core/xmalloc.h"
#include "ui/ui.h"

/* The demo fleet. */
static const char *const demo_args[] = {
	"--seed", "1", "--products", "6", "--devices", "20000", NULL
};

/* The simulator next to this executable, else "iotdeck-sim" (PATH). Caller frees. */
static char *
sim_path(void)
{
	char self[PATH_MAX], *slash, *cand;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			cand = xasprintf("%s/iotdeck-sim", self);
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
	}
	return xstrdup("iotdeck-sim");
}

int
demo_sim_start(struct demo_sim *d, const char *const *args, char **cause)
{
	char tmpl[] = "/tmp/iotdeck-demo.XXXXXX";
	char *port_file, *log_file, *exe, buf[32];
	const char *argv[64];
	int argc = 0, fd, i;
	pid_t pid;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	FILE *f;

	memset(d, 0, sizeof *d);
	if (mkdtemp(tmpl) == NULL) {
		*cause = xasprintf("cannot make a temporary directory: %s", strerror(errno));
		return -1;
	}
	d->dir = xstrdup(tmpl);
	port_file = xasprintf("%s/port", d->dir);
	log_file = xasprintf("%s/sim.log", d->dir);
	exe = sim_path();
	argv[argc++] = exe;
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	argv[argc++] = "--port-file";
	argv[argc++] = port_file;
	for (i = 0; args != NULL && args[i] != NULL && argc < 62; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;

	pid = fork();
	if (pid < 0) {
		*cause = xasprintf("cannot start iotdeck-sim: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		/* The simulator dies with us, and writes its log to a file, not our screen. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		fd = open(log_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		execvp(exe, (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	d->pid = (int)pid;
	/* Wait up to 30 s for it to say where it listens. */
	for (i = 0; i < 1500; i++) {
		int st;
		f = fopen(port_file, "r");
		if (f != NULL) {
			if (fgets(buf, sizeof buf, f) != NULL && atoi(buf) > 0) {
				d->port = atoi(buf);
				fclose(f);
				break;
			}
			fclose(f);
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			d->pid = 0;
			*cause = xasprintf("iotdeck-sim exited at start (see %s)", log_file);
			goto fail;
		}
		nanosleep(&ts, NULL);
	}
	if (d->port == 0) {
		*cause = xasprintf("iotdeck-sim did not start listening (see %s)", log_file);
		goto fail;
	}
	free(port_file);
	free(log_file);
	free(exe);
	return 0;
fail:
	free(port_file);
	free(log_file);
	free(exe);
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
		d->pid = 0;
	}
	return -1;
}

void
demo_sim_stop(struct demo_sim *d)
{
	char *p;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
	}
	if (d->dir != NULL) {
		p = xasprintf("%s/port", d->dir);
		unlink(p);
		free(p);
		p = xasprintf("%s/sim.log", d->dir);
		unlink(p);
		free(p);
		rmdir(d->dir);
	}
	free(d->dir);
	memset(d, 0, sizeof *d);
}

int
cmd_console(const struct global_opts *o)
{
	struct api_config cfg;
	struct ui_opts uo;
	struct worker_opts wo;
	struct demo_sim sim;
	char *cause = NULL;
	int rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("iotdeck: the console needs a terminal (in scripts use 'iotdeck call' or "
		    "'iotdeck export'; see iotdeck --help)\n", stderr);
		return EXIT_CONFIG;
	}
	memset(&sim, 0, sizeof sim);
	memset(&uo, 0, sizeof uo);
	api_config_init(&cfg);
	if (o->demo) {
		fputs("iotdeck: starting iotdeck-sim with a demo fleet...\n", stderr);
		if (demo_sim_start(&sim, demo_args, &cause) != 0) {
			fprintf(stderr, "iotdeck: --demo: %s\n", cause);
			free(cause);
			return EXIT_CONFIG;
		}
		cfg.endpoint = xasprintf("http://127.0.0.1:%d/", sim.port);
		cfg.endpoint_loopback = 1;
		cfg.region = xstrdup(o->region ? o->region : "cn-shanghai");
		/* An instance, as an account with dynamic groups has (QueryDynamicGroupDevices
		 * needs IotInstanceId; the simulator takes any). */
		cfg.instance_id = xstrdup(o->instance != NULL && *o->instance != '\0' ? o->instance :
		    "iot-demo");
		cfg.access_key_id = xstrdup(DEMO_ACCESS_KEY_ID);
		api_config_set_secret(&cfg, DEMO_ACCESS_KEY_SECRET);
		if (opts_resolve_signature(o, &cfg, &cause) != 0) {
			fprintf(stderr, "iotdeck: %s\n", cause);
			free(cause);
			demo_sim_stop(&sim);
			api_config_free(&cfg);
			return EXIT_CONFIG;
		}
		uo.profile = "demo";
	} else if (o->passphrase_fd < 0 && opts_vault_wanted(o)) {
		/* The console asks for the vault passphrase on its own unlock screen. */
		rc = opts_resolve_without_credentials(o, &cfg, &uo.region_fixed,
		    &uo.endpoint_fixed, &cause);
		if (rc != EXIT_OK) {
			fprintf(stderr, "iotdeck: %s\n", cause);
			free(cause);
			api_config_free(&cfg);
			return rc;
		}
		uo.start_locked = 1;
		uo.instance_fixed = o->instance != NULL && *o->instance != '\0';
		uo.profile = o->profile;
	} else {
		if ((rc = ops_config(o, &cfg)) != EXIT_OK) {
			api_config_free(&cfg);
			return rc;
		}
		uo.profile = cfg.profile;
	}
	uo.readonly = o->readonly || cfg.readonly;
	uo.vault_opt = o->vault;
	/* Only credentials from the vault can be locked away and asked for again. */
	if (uo.start_locked)
		uo.vault_profile = o->profile;	/* NULL: the vault's default */
	else if (!o->demo && cfg.profile != NULL && strcmp(cfg.profile, "env") != 0)
		uo.vault_profile = cfg.profile;
	uo.theme = o->theme;
	uo.keymap = o->keymap;
	uo.config_file = o->config;
	uo.no_mouse = o->no_mouse;
	uo.audit_log = o->audit_log;
	/* What a vault profile unlocked later signs with when it names no signature. */
	uo.signature_fixed = o->signature != 0;
	uo.signature_base = o->signature != 0 ? o->signature :
	    api_signature_parse(getenv(API_SIGNATURE_ENV));
	if (uo.signature_base == 0)
		uo.signature_base = API_SIGNATURE_V1;
	/* The worker refuses writes in a --readonly session (a read-only profile: through
	 * cfg.readonly, which follows the profile when the console switches). */
	worker_opts_init(&wo);
	wo.readonly = o->readonly;
	rc = ui_run(&cfg, &wo, &uo);
	api_config_free(&cfg);
	if (o->demo)
		demo_sim_stop(&sim);
	return rc;
}
