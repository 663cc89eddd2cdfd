/* lock.c — the idle lock and the unlock screen. After idle-lock seconds without a key
 * (or lock-max after the unlock) every pane and request goes and the AccessKey secret is
 * wiped; the passphrase is typed into guarded memory through the line editor and the
 * vault is opened again. The same screen opens the vault at start (no credentials yet) and
 * switches profiles (:profile NAME): the new configuration is made and checked whole before
 * anything changes, so a profile that cannot be used leaves the console where it was.
 * The lock timer (lock.h) is here too. */
#include "ui/lock.h"

#include <stdlib.h>
#include <string.h>

#include "api/place.h"
#include "cli/credentials.h"
#include "core/clock.h"
#include "core/safetext.h"
#include "core/xmalloc.h"
#include "ui/config.h"
#include "ui/ui_impl.h"
#include "vault/vault.h"

void
lock_begin(struct ui *ui)
{
	secret_free(ui->pass);
	ui->pass = secret_new(PASS_MAX);
	lineedit_free(&ui->pass_edit);
	lineedit_init_secret(&ui->pass_edit, ui->pass);
	ui->locked = 1;
	ui->full = 1;
}

void
lock_free(struct ui *ui)
{
	lineedit_free(&ui->pass_edit);
	secret_free(ui->pass);
	ui->pass = NULL;
	xstrset(&ui->lock_error, NULL);
	xstrset(&ui->switch_to, NULL);
}

/* Locks: every pane and request goes, the worker stops, the AccessKey secret is wiped, and
 * the passphrase is asked for again. */
void
lock_now(struct ui *ui)
{
	ui_stop_session(ui);
	secret_free(ui->cfg->access_key_secret);
	ui->cfg->access_key_secret = NULL;
	/* A role's STS credential and the AccessKey that renews it go too. */
	api_renewable_unref(ui->cfg->renew);
	ui->cfg->renew = NULL;
	if (ui->mode == MODE_CONFIRM)
		confirm_end(ui, 0);
	overlay_clear(&ui->ov);
	ui->mode = MODE_NORMAL;
	lock_begin(ui);
	worker_stats_free(&ui->stats);
	ui->full = 1;
}

/* credential_apply gave next the profile's signature (0: none): --signature beats it, and
 * without one the session's base (IOTDECK_SIGNATURE, else v1) applies. */
static void
signature_settle(const struct ui *ui, struct api_config *next)
{
	if (ui->opts->signature_fixed || next->signature == 0)
		next->signature = ui->opts->signature_base != 0 ? ui->opts->signature_base :
		    API_SIGNATURE_V1;
}

/* Makes next (a copy of the session's configuration) use the profile's credential c,
 * and its region, endpoint and instance unless the command line gave them, by the one
 * rule of api_config_set_place_from (an endpoint the profile does not name is its
 * region's default, never the previous profile's). A RAM role is assumed here (this waits
 * for STS: the unlock screen is up, as it is for the key derivation); an STS token that
 * has expired is refused. Returns 0, or -1 with *cause and next unusable (free it). */
static int
profile_config(struct ui *ui, const struct credential *c, struct api_config *next,
    char **cause)
{
	struct credential_env env;
	struct place_sources src;
	char *region = NULL, *endpoint = NULL;
	int rc;

	credential_env_read(&env);
	/* What the command line (or, for the endpoint, the environment) fixed is in next. */
	if (ui->opts->region_fixed)
		region = xstrdup(next->region);
	if (ui->opts->endpoint_fixed)
		endpoint = xstrdup(next->endpoint);
	src = (struct place_sources){
		.opt_region = region, .opt_endpoint = endpoint, .env_region = env.region,
		.prof_region = c->region, .prof_endpoint = c->endpoint
	};
	rc = api_config_set_place_from(next, &src, cause);
	free(region);
	free(endpoint);
	if (rc != 0)
		return -1;
	if (!ui->opts->instance_fixed)
		xstrset(&next->instance_id, c->instance_id);
	if (credential_apply(c, next, cause) != 0)
		return -1;
	signature_settle(ui, next);
	return api_config_ready(next, cause);
}

/* The session now runs as the profile of credential c (its configuration already
 * switched). */
static void
profile_taken(struct ui *ui, const struct credential *c)
{
	ui->readonly = ui->opts->readonly || c->readonly;
	xstrset(&ui->profile, c->name);
	xstrset(&ui->vault_profile, c->name);
	ui->can_lock = config_settings(ui->conf)->idle_lock > 0 ||
	    config_settings(ui->conf)->lock_max > 0;
}

/* credential_from_vault asks through this: the typed passphrase once, then no more. */
static int
lock_ask(void *arg, const char *prompt, int attempt, struct secret **out, char **cause)
{
	struct ui *ui = arg;

	(void)prompt;
	(void)cause;
	if (attempt > 1 || ui->pass_given)
		return VAULT_CANCEL;
	ui->pass_given = 1;
	*out = secret_dup(ui->pass);
	return VAULT_OK;
}

/* A :profile switch that cannot happen: back to the session as it was, with the reason. */
static void
switch_abandon(struct ui *ui, const char *why)
{
	ui_error(ui, ":profile %s not used: %s", ui->switch_to, why);
	free(ui->switch_to);
	ui->switch_to = NULL;
	ui->locked = 0;
	ui->full = 1;
}

static void
unlock_try(struct ui *ui)
{
	struct credential_request req = {
		.vault_opt = ui->opts->vault_opt, .ask = lock_ask, .ask_arg = ui
	};
	struct credential *cred = NULL;
	struct api_config next;
	char *cause = NULL;
	int rc;

	ui->pass_given = 0;
	rc = credential_from_vault(&req, ui->switch_to ? ui->switch_to : ui->vault_profile,
	    CREDENTIAL_FROM_PROFILE, &cred, &cause);
	secret_clear(ui->pass);
	xstrset(&ui->lock_error, NULL);
	if (rc != VAULT_OK) {
		ui->lock_error = cause != NULL ? safetext_dup(cause, strlen(cause)) :
		    xstrdup("cannot unlock");
		free(cause);
		ui->full = 1;
		return;
	}
	/* The whole new configuration is made and checked before anything changes: a profile
	 * that cannot be used (a rejected endpoint, an expired token, a role STS refuses)
	 * leaves the console where it was. */
	api_config_copy(&next, ui->cfg);
	if (ui->switch_to != NULL || ui->first_unlock) {
		rc = profile_config(ui, cred, &next, &cause);
	} else {
		/* After the idle lock: the same place, the profile's credentials again (a
		 * role is assumed again). */
		rc = credential_apply(cred, &next, &cause);
		if (rc == 0) {
			signature_settle(ui, &next);
			rc = api_config_ready(&next, &cause);
		}
	}
	if (rc != 0) {
		char *safe = safetext_dup(cause, strlen(cause));

		api_config_free(&next);
		if (ui->switch_to != NULL && ui->worker != NULL)
			switch_abandon(ui, safe);
		else {
			ui->lock_error = xasprintf("the profile %s cannot be used: %s", cred->name,
			    safe);
			ui->full = 1;
		}
		free(safe);
		free(cause);
		credential_free(cred);
		return;
	}
	if (ui_switch_config(ui, &next) != 0) {
		credential_free(cred);
		return;
	}
	if (ui->switch_to != NULL || ui->first_unlock)
		profile_taken(ui, cred);
	xstrset(&ui->switch_to, NULL);
	ui->first_unlock = 0;
	credential_free(cred);
	ui->locked = 0;
	lock_timer_start(ui);
	ui_push(ui, &pane_products_ops, "Products", NULL);
	ui_message(ui, "unlocked");
}

/* Keys while locked go into the passphrase (the one line editor, typing into guarded
 * memory); nothing of it is shown. */
void
lock_key(struct ui *ui, uint32_t key)
{
	switch (lineedit_key(&ui->pass_edit, key)) {
	case LINEEDIT_ENTER:
		unlock_try(ui);
		break;
	case LINEEDIT_CANCEL:
		if (ui->switch_to != NULL && ui->worker != NULL) {
			/* Esc gives up a :profile switch: nothing changed. */
			xstrset(&ui->switch_to, NULL);
			lineedit_clear(&ui->pass_edit);
			ui->locked = 0;
			xstrset(&ui->lock_error, NULL);
			ui->full = 1;
		} else
			lineedit_clear(&ui->pass_edit);	/* start again */
		break;
	case LINEEDIT_FULL:
		/* Never dropped silently: say so, and keep what was typed. */
		xstrset(&ui->lock_error, NULL);
		ui->lock_error = xasprintf("the passphrase is longer than %d bytes, the most a "
		    "vault accepts: Esc starts again", PASS_MAX);
		ui->full = 1;
		break;
	default:
		break;
	}
}

void
lock_draw(struct ui *ui)
{
	struct buf b = BUF_INIT;
	int h, w;

	if (ui->w_main == NULL)
		return;
	getmaxyx(ui->w_main, h, w);
	werase(ui->w_main);
	wattrset(ui->w_main, ui_attr(ui, UI_E_TITLE));
	if (ui->switch_to != NULL)
		buf_addf(&b, "Switching to the vault profile %s.", ui->switch_to);
	else if (ui->first_unlock)
		buf_addf(&b, "Unlock the vault (%s) to open the profile %s.",
		    ui->opts->vault_opt ? ui->opts->vault_opt : "~/.config/iotdeck/vault",
		    ui->vault_profile ? ui->vault_profile : "marked default");
	else
		buf_addf(&b, "iotdeck is locked: its AccessKey was wiped from memory after %d s "
		    "without a key (or %d s after the unlock).",
		    config_settings(ui->conf)->idle_lock, config_settings(ui->conf)->lock_max);
	mvwaddnstr(ui->w_main, h / 2 - 1, 2, buf_str(&b), w - 4 > 0 ? w - 4 : 0);
	wattrset(ui->w_main, ui_attr(ui, UI_E_DEFAULT));
	mvwaddnstr(ui->w_main, h / 2 + 1, 2, ui->switch_to != NULL ?
	    "Type the vault passphrase and press Enter (nothing is shown); Esc cancels." :
	    "Type the vault passphrase and press Enter (nothing is shown); Ctrl-C quits.",
	    w - 4 > 0 ? w - 4 : 0);
	if (ui->lock_error != NULL) {
		wattrset(ui->w_main, ui_attr(ui, UI_E_ERROR));
		mvwaddnstr(ui->w_main, h / 2 + 3, 2, ui->lock_error, w - 4 > 0 ? w - 4 : 0);
	}
	buf_reset(&b);
	buf_addf(&b, " %s \xE2\x94\x82 profile %s \xE2\x94\x82 passphrase: ",
	    ui->switch_to != NULL ? "switching" : ui->first_unlock ? "unlock" : "locked",
	    ui->switch_to ? ui->switch_to : ui->vault_profile ? ui->vault_profile : "(default)");
	statusbar_line(ui->w_status, ui_attr(ui, UI_E_PROMPT), buf_str(&b));
	buf_free(&b);
}

void
ui_switch_profile(struct ui *ui, const char *name)
{
	/* Ask for the passphrase; the switch happens when it unlocks. */
	xstrset(&ui->switch_to, name);
	xstrset(&ui->lock_error, NULL);
	lock_begin(ui);
}

/* ---- the lock timer ---------------------------------------------------------------- */

void
lock_idle_start(struct lock_idle *t, int64_t idle_ms, int64_t max_ms, int64_t now)
{
	t->idle_ms = idle_ms;
	t->max_ms = max_ms;
	t->unlocked_at = now;
	t->last_active = now;
}

void
lock_idle_touch(struct lock_idle *t, int64_t now)
{
	if (now > t->last_active)
		t->last_active = now;
}

int64_t
lock_idle_remaining_ms(const struct lock_idle *t, int64_t now)
{
	int64_t left = INT64_MAX, end;

	if (t->idle_ms > 0) {
		end = t->last_active + t->idle_ms;
		left = now >= end ? 0 : end - now;
	}
	if (t->max_ms > 0) {
		end = t->unlocked_at + t->max_ms;
		if (now >= end)
			left = 0;
		else if (end - now < left)
			left = end - now;
	}
	return left;
}

int
lock_idle_expired(const struct lock_idle *t, int64_t now)
{
	return lock_idle_remaining_ms(t, now) == 0;
}

void
lock_timer_start(struct ui *ui)
{
	lock_idle_start(&ui->idle, (int64_t)config_settings(ui->conf)->idle_lock * 1000,
	    (int64_t)config_settings(ui->conf)->lock_max * 1000, clock_mono_ms());
}
