/* lock.h — the console's lock timer: a sliding idle timeout plus an absolute cap since the
 * unlock, both on the monotonic clock in milliseconds (clock_mono_ms). A zero limit is off.
 * The console calls lock_idle_touch on each key, uses lock_idle_remaining_ms as a poll()
 * timeout and, when lock_idle_expired, locks (lock_now in ui_impl.h: the AccessKey secret
 * is wiped and the passphrase asked for again). The unlock screen itself is lock.c's too;
 * its functions take the whole console and are declared in ui_impl.h.
 */
#ifndef IOTDECK_UI_LOCK_H
#define IOTDECK_UI_LOCK_H

#include <stdint.h>

struct ui;

/* The two limits and when they count from. */
struct lock_idle {
	int64_t	idle_ms;	/* sliding limit: this long without a key locks; 0 off */
	int64_t	max_ms;		/* absolute limit since the unlock; 0 off */
	int64_t	unlocked_at;	/* clock_mono_ms() at the unlock */
	int64_t	last_active;	/* clock_mono_ms() at the last key */
};

/* Starts counting at now (after an unlock). */
void lock_idle_start(struct lock_idle *t, int64_t idle_ms, int64_t max_ms, int64_t now);
/* Records activity at now. */
void lock_idle_touch(struct lock_idle *t, int64_t now);
/* Returns 1 when either limit has passed at now. */
int lock_idle_expired(const struct lock_idle *t, int64_t now);
/* Milliseconds until the lock: 0 if expired, INT64_MAX if both limits are off. */
int64_t lock_idle_remaining_ms(const struct lock_idle *t, int64_t now);

/* Starts ui's timer now with the idle-lock and lock-max settings. */
void lock_timer_start(struct ui *ui);

#endif
