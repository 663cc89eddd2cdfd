/* main.c — argument parsing and subcommand dispatch. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "cli/audit.h"
#include "cli/call.h"
#include "cli/console.h"
#include "cli/credentials.h"
#include "cli/options.h"
#include "core/safetext.h"
#include "vault/cli.h"
#include "vault/vault.h"
#include "cli/export.h"
#include "cli/ops.h"
#include "cli/ota.h"

static const char usage_text[] =
"Usage: iotdeck [OPTIONS]                        open the console\n"
"       iotdeck [OPTIONS] call ACTION [Name=Value ...]\n"
"       iotdeck [OPTIONS] export devices --product PK [--format csv|json] [--output FILE]\n"
"       iotdeck [OPTIONS] export products|groups [--format csv|json] [--output FILE]\n"
"       iotdeck [OPTIONS] set TARGET... ID=VALUE... [--json]\n"
"       iotdeck [OPTIONS] invoke TARGET... SERVICE [ARG=VALUE...] [--json]\n"
"       iotdeck [OPTIONS] audit [--since DURATION] [--json]\n"
"       iotdeck [OPTIONS] ota COMMAND ...            (iotdeck ota --help)\n"
"       iotdeck vault COMMAND [ARGS]               (iotdeck vault help)\n"
"       iotdeck --version | --help\n"
"\n"
"A terminal console for Alibaba Cloud IoT Platform device fleets (API 2018-01-20).\n"
"\n"
"Commands:\n"
"  (none)             the console: products, devices, groups, thing models, OTA\n"
"  call ACTION [Name=Value ...]\n"
"                     make one signed API call and print the JSON answer; repeated\n"
"                     parameters are numbered: TargetDeviceName.1=a TargetDeviceName.2=b\n"
"  export KIND        every device of a product, every product or every group, as CSV\n"
"                     (default) or JSON, streamed as the pages arrive\n"
"  set TARGET... ID=VALUE...\n"
"                     set properties (SetDeviceProperty) on every device, one call each,\n"
"                     values checked against the product's thing model before any is sent\n"
"  invoke TARGET... SERVICE [ARG=VALUE...]\n"
"                     invoke a service (InvokeThingService) on every device, the same way;\n"
"                     TARGET: PK/DEVICENAME, an IotId, --from FILE (one a line, - for\n"
"                     standard input), --group GROUPID; --json: JSON Lines\n"
"  audit              the audit log of the writes sent (--since 8h, --json)\n"
"  ota COMMAND        firmware and rollouts: upload, verify, upgrade, watch, cancel,\n"
"                     cancel-devices, confirm, retry, delete, jobs, tasks\n"
"  vault COMMAND      the encrypted credential vault: init, add, list, show, remove,\n"
"                     default, passwd, import-env, import-aliyun, import-credentials;\n"
"                     e.g. vault add PROFILE --access-key-id ID [--region R]\n"
"                     [--instance ID] [--endpoint URL] [--readonly] [--signature v1|v3]\n"
"                     [--secret-fd N]; STS tokens: add PROFILE --sts --access-key-id ID\n"
"                     [--expires TIME] [--token-fd N]; RAM roles: add PROFILE --role-arn\n"
"                     ARN (--source-profile P | --access-key-id ID) [--session-name S]\n"
"                     [--duration SECONDS] [--sts-endpoint URL]\n"
"\n"
"Console:\n"
"  --demo             start iotdeck-sim with a demo fleet and open the console on it\n"
"  --readonly         refuse every write\n"
"  --theme NAME       colour theme (default, light, solarized-dark, high-contrast, mono)\n"
"  --keymap NAME      key bindings (default, vim, emacs, screen-safe)\n"
"  --config FILE      settings file (default ~/.config/iotdeck/config)\n"
"  --no-mouse         do not use the mouse\n"
"\n"
"Options (accepted before or after the command and its parameters):\n"
"  --profile NAME     use this vault profile\n"
"  --vault FILE       the vault (default ~/.config/iotdeck/vault)\n"
"  --passphrase-fd N  read the vault passphrase from file descriptor N\n"
"  --endpoint URL     API endpoint (default https://iot.REGION.aliyuncs.com/);\n"
"                     plain http:// only for loopback addresses\n"
"  --region ID        region, e.g. cn-shanghai\n"
"  --instance ID      IoT instance id, sent as IotInstanceId\n"
"  --timeout SECONDS  give up on a request after this long (default 10)\n"
"  --cacert FILE      also trust the CA certificates in FILE\n"
"  --audit-log FILE   where set and invoke log every write they send (default\n"
"                     $XDG_STATE_HOME/iotdeck/audit.log); off: no log\n"
"  --signature v1|v3  how requests are signed: v1 (HMAC-SHA1, the default) or v3\n"
"                     (ACS3-HMAC-SHA256, as the current SDKs); else the profile's,\n"
"                     else " API_SIGNATURE_ENV "\n"
"  -v, --verbose      show the request on stderr (signature and secrets redacted)\n"
"  -V, --version      print the version and exit\n"
"  -h, --help         print this help and exit\n"
"\n"
"Export options:\n"
"  --product PK       the product whose devices are exported\n"
"  --format FMT       csv (default) or json\n"
"  --output FILE, -o FILE   write to FILE (default standard output)\n"
"\n"
"OTA options (after `ota COMMAND`; iotdeck ota --help shows which command takes which):\n"
"  --product PK --dest-version V --name NAME --module M --type full|diff\n"
"  --src-version V --sign-method MD5|SHA256 --desc TEXT --no-verify --devices N,N\n"
"  --devices-from FILE --group ID --all --gray PERCENT --dynamic --dynamic-mode 1|2\n"
"  --schedule TIME --finish TIME --per-minute N --retry-interval MIN --retry-count N\n"
"  --timeout MIN --overwrite --need-confirm --no-push --max-failed N|P%\n"
"  --cancel-on-fail --interval SECONDS --scheduled --queued --notified --in-progress\n"
"  --unconfirmed --strategy --job JOBID --failed --canceled --status STATE --json\n"
"  --dn-list\n"
"\n"
"Credentials: --profile NAME from the vault; else " CREDENTIAL_ENV_ID " and\n"
CREDENTIAL_ENV_SECRET " (and " CREDENTIAL_ENV_TOKEN " for STS); else the\n"
"vault's default profile. Region: --region, the profile, " CREDENTIAL_ENV_REGION ".\n"
"Endpoint: --endpoint, " CREDENTIAL_ENV_ENDPOINT ", the profile, else from the region.\n"
"\n"
"Exit status: 0 success, 1 the API answered with an error, 2 usage error,\n"
"3 network error (no usable answer), 4 configuration error, 130 interrupted.\n"
"set and invoke: 0 every device succeeded, 1 some failed or were not sent, 3 some\n"
"outcome is unknown (sent, no answer: check before repeating), 2 a value the thing\n"
"model refuses (nothing sent), 4 configuration error or a read-only session.\n";

int
main(int argc, char **argv)
{
	struct global_opts o = { 0 };
	char **words = NULL, *cause = NULL, *safe;
	int nwords = 0, rc;

	o.passphrase_fd = -1;

	/* Before any secret is read: no core dumps, no ptrace, libsodium ready. */
	if (vault_harden_process(&cause) != VAULT_OK) {
		fprintf(stderr, "iotdeck: %s\n", cause);
		free(cause);
		return EXIT_CONFIG;
	}
	setlocale(LC_ALL, "");
	/* Numbers are read and written in the C form (a decimal point, never a comma), as
	 * JSON, the API and the config files have them; the user's locale is kept for
	 * characters, collation and messages. */
	setlocale(LC_NUMERIC, "C");
	/* The vault command parses its own options (--vault, --passphrase-fd, ...). */
	if (argc > 1 && strcmp(argv[1], "vault") == 0)
		return vault_cli_main(argc - 1, argv + 1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("iotdeck: cannot initialise libcurl\n", stderr);
		return EXIT_CONFIG;
	}

	/* `ota` parses its own options and the global ones (its --timeout is minutes). */
	if ((rc = cmd_ota_argv(argc, argv)) >= 0)
		goto done;
	if (opts_parse(argc, argv, 1, &o, &words, &nwords, &cause) != 0) {
		fprintf(stderr, "iotdeck: %s\n(see iotdeck --help)\n", cause);
		free(cause);
		rc = EXIT_USAGE;
		goto done;
	}
	if (o.help) {
		fputs(usage_text, stdout);
		rc = EXIT_OK;
	} else if (o.version) {
		printf("iotdeck %s (API 2018-01-20, libcurl %s)\n", IOTDECK_VERSION,
		    curl_version_info(CURLVERSION_NOW)->version);
		rc = EXIT_OK;
	} else if (nwords == 0) {
		rc = cmd_console(&o);
	} else if (strcmp(words[0], "call") == 0) {
		rc = cmd_call(&o, words, nwords);
	} else if (strcmp(words[0], "export") == 0) {
		rc = cmd_export(&o, words, nwords);
	} else if (strcmp(words[0], "set") == 0) {
		rc = cmd_set(&o, words, nwords);
	} else if (strcmp(words[0], "invoke") == 0) {
		rc = cmd_invoke(&o, words, nwords);
	} else if (strcmp(words[0], "audit") == 0) {
		rc = cmd_audit(&o, words, nwords);
	} else {
		safe = safetext_excerpt(words[0], strlen(words[0]), 40);
		fprintf(stderr, "iotdeck: unknown command '%s' (see iotdeck --help)\n", safe);
		free(safe);
		rc = EXIT_USAGE;
	}
done:
	free(words);
	opts_free(&o);
	curl_global_cleanup();
	return rc;
}
