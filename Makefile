# iotdeck — terminal console for Alibaba Cloud IoT Platform fleets.
#
#   make            build build/iotdeck (and build/iotdeck-sim)
#   make check      install missing Debian packages, build, run every test
#   make demo       install missing packages, build, open the console on the simulator
#   make install    install binary, man page, themes and keymaps (PREFIX, DESTDIR)

PKG_CONFIG ?= pkg-config
CC         ?= cc
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/iotdeck
DESTDIR    ?=
BUILD      ?= build
VERSION    := 0.1.0

# Sanitizer flavour of a build: '', asan or tsan (each in its own BUILD dir).
SAN        ?=

OPT        ?= -O2 -g
WARN       := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
              -Wstrict-prototypes -Wwrite-strings -Wpointer-arith \
              -Wundef -Wvla -Wno-unused-parameter
ifdef CI
WARN       += -Werror
endif
ifeq ($(SAN),asan)
OPT        := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ifeq ($(SAN),tsan)
OPT        := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
endif

# pkg-config is evaluated lazily: 'make deps' must work before the libraries exist.
LIBS_CORE   = $(shell $(PKG_CONFIG) --libs libcurl openssl libcjson libsodium) -lpthread
CFLAGS_LIBS = $(shell $(PKG_CONFIG) --cflags libcurl openssl libcjson libsodium ncursesw)
LIBS_UI     = $(shell $(PKG_CONFIG) --libs ncursesw)
LIBS_SIM    = $(shell $(PKG_CONFIG) --libs libmicrohttpd)
CFLAGS_SIM  = $(shell $(PKG_CONFIG) --cflags libmicrohttpd)
LIBS_TEST   = $(shell $(PKG_CONFIG) --libs cmocka)

ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE -DIOTDECK_VERSION='"$(VERSION)"' \
              -DIOTDECK_DATADIR='"$(DATADIR)"' -DIOTDECK_SRCDIR='"$(CURDIR)"' -Isrc -I$(BUILD) $(WARN) $(OPT) $(CFLAGS_LIBS) \
              $(CFLAGS_SIM) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(OPT) $(LDFLAGS)

# Sources: everything under src/core and src/api is shared by the console,
# the simulator and the tests; src/cli, src/ui, src/vault and src/op (operations and
# the audit log) belong to iotdeck.
CORE_SRC := $(wildcard src/core/*.c) $(wildcard src/api/*.c)
APP_SRC  := $(wildcard src/cli/*.c) $(wildcard src/vault/*.c) $(wildcard src/ui/*.c) \
            $(wildcard src/op/*.c)
SIM_SRC  := $(wildcard src/sim/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
# The default theme and keymap are compiled in (tig's builtin-config).
GEN_BUILTIN := $(BUILD)/gen/builtin_config.c
# The action table and its names (#include "gen/actions.def", "gen/actions_id.h"), made by
# src/gen/gen-actions from the API facts table whenever either changes.
GEN_ACTIONS := $(BUILD)/gen/actions.def $(BUILD)/gen/actions_id.h
API_TABLE   := src/gen/iot-2018-01-20.tsv
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/%.o) $(GEN_BUILTIN:.c=.o)
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/%.o)
SIM_LIB_OBJ := $(filter-out $(BUILD)/src/sim/main.o,$(SIM_OBJ))

UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELP  := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_HOBJ  := $(UNIT_HELP:%.c=$(BUILD)/%.o)
# The unit tests link the vault built with low KDF parameters (a compile-time switch,
# never a runtime option); the program itself never has them.
VAULT_TEST_OBJ := $(patsubst %.c,$(BUILD)/test-kdf/%.o,$(wildcard src/vault/*.c))
TEST_APP_OBJ   := $(filter-out $(BUILD)/src/main.o $(BUILD)/src/vault/%.o,$(APP_OBJ)) $(VAULT_TEST_OBJ)

BINS := $(BUILD)/iotdeck
ifneq ($(SIM_SRC),)
BINS += $(BUILD)/iotdeck-sim
endif

.PHONY: all deps deps-test check check-unit check-asan check-tsan check-integration \
        demo install uninstall clean bench fuzz
all: $(BINS)

$(BUILD)/iotdeck: $(BUILD)/src/main.o $(APP_OBJ) $(CORE_OBJ)
	$(if $(V),,@echo "  LD      $@";)$(CC) -o $@ $^ $(ALL_LDFLAGS) $(LIBS_UI) $(LIBS_CORE) -lm

$(BUILD)/iotdeck-sim: $(SIM_OBJ) $(CORE_OBJ)
	$(if $(V),,@echo "  LD      $@";)$(CC) -o $@ $^ $(ALL_LDFLAGS) $(LIBS_SIM) $(LIBS_CORE) -lm

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_HOBJ) $(CORE_OBJ) $(TEST_APP_OBJ) $(SIM_LIB_OBJ)
	$(if $(V),,@echo "  LD      $@";)$(CC) -o $@ $^ $(ALL_LDFLAGS) $(LIBS_TEST) $(LIBS_UI) $(LIBS_SIM) $(LIBS_CORE) -lm

$(GEN_BUILTIN): themes/default keymaps/default src/gen/gen-builtin
	@mkdir -p $(@D)
	src/gen/gen-builtin themes/default keymaps/default > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/actions.def: $(API_TABLE) src/gen/gen-actions
	@mkdir -p $(@D)
	$(if $(V),,@echo "  GEN     $@";)src/gen/gen-actions def $(API_TABLE) > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/actions_id.h: $(API_TABLE) src/gen/gen-actions
	@mkdir -p $(@D)
	$(if $(V),,@echo "  GEN     $@";)src/gen/gen-actions ids $(API_TABLE) > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/unit/%.o: ALL_CFLAGS += -DIOTDECK_VAULT_TEST_KDF
$(BUILD)/test-kdf/%.o: %.c | $(GEN_ACTIONS)
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $@";)$(CC) $(ALL_CFLAGS) -DIOTDECK_VAULT_TEST_KDF -c -o $@ $<

$(GEN_BUILTIN:.c=.o): $(GEN_BUILTIN)
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $@";)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The installed themes and keymaps are looked up in DATADIR, compiled in (and, for a binary
# run from this tree, in the tree itself: CURDIR): a file holding their values changes when
# they do (make install PREFIX=/usr, a moved clone), and what uses them recompiles.
DATADIR_FILE := $(BUILD)/gen/datadir
$(DATADIR_FILE): FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR) $(CURDIR)' | cmp -s - $@ 2>/dev/null || echo '$(DATADIR) $(CURDIR)' > $@
$(BUILD)/src/ui/config.o: $(DATADIR_FILE)
.PHONY: FORCE
FORCE:

# V=1 shows the full commands.
Q = $(if $(V),,@)
# Every object waits for the generated headers the first time (order-only: which ones
# include them, -MMD's .d files say afterwards).
$(BUILD)/%.o: %.c | $(GEN_ACTIONS)
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $@";)$(CC) $(ALL_CFLAGS) -c -o $@ $<

.SECONDARY:

# ---------------------------------------------------------------------------
# Dependencies: Debian packages, installed with apt-get when missing.
DEB_BUILD := gcc make pkg-config libncurses-dev libcurl4-openssl-dev libssl-dev \
             libcjson-dev libsodium-dev libmicrohttpd-dev libcmocka-dev ca-certificates python3
DEB_TEST  := tmux valgrind clang libclang-rt-14-dev nodejs npm procps python3 curl openssl

deps:
	@tests/tools/ensure-packages $(DEB_BUILD)
deps-test:
	@tests/tools/ensure-packages $(DEB_BUILD) $(DEB_TEST)

# ---------------------------------------------------------------------------
# Tests.  'make check' is what CI and the README run.
# Each step prints how long it took, so a slow suite shows where it is. The builds use
# every CPU; the integration and TUI suites run CHECK_JOBS tests at a time (default: the
# CPUs; tests/tools/run-jobs).
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
CHECK_STEPS = all+unit-bins check-unit check-integration check-tui check-asan check-tsan \
	check-valgrind fuzz-smoke check-conformance
check: deps-test
	@start=$$(date +%s); \
	for step in $(CHECK_STEPS); do \
	  t0=$$(date +%s); \
	  $(MAKE) --no-print-directory -j$(JOBS) $$(echo $$step | tr + ' ') || exit 1; \
	  echo "make check: $$step took $$(( $$(date +%s) - t0 )) s"; \
	done; \
	echo "make check: all suites passed in $$(( $$(date +%s) - start )) s"

.PHONY: unit-bins
unit-bins: $(UNIT_BINS)

# Code names an API action by its generated macro (ACT_QueryDevice), never by a raw string.
check-unit: unit-bins
	@tests/tools/check-action-names
	@tests/tools/run-unit $(BUILD) $(UNIT_BINS)

check-integration: all
	@env -u IOTDECK_SIGNATURE tests/tools/run-integration $(BUILD)

# The console's screens: the real binary in tmux against iotdeck-sim.
.PHONY: check-tui
check-tui: all
	@env -u IOTDECK_SIGNATURE tests/tui/run $(BUILD)

# Rewrites the golden screens (tests/fixtures/golden/) when a change to them is meant;
# check-tui compares against them and prints the diff. Review `git diff` before committing.
.PHONY: update-golden
update-golden: all
	@UPDATE_GOLDEN=1 BUILD=$(BUILD) sh tests/tui/test_golden.sh

# The integration and TUI suites run here with IOTDECK_SIGNATURE=v3 (every iotdeck the tests
# start signs with v3 unless told otherwise), while check-integration and check-tui run
# with the default v1: each suite runs with both signatures, at no extra cost.
check-asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=asan all unit-bins
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/tools/run-unit build/asan $(UNIT_BINS:$(BUILD)/%=build/asan/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  IOTDECK_SIGNATURE=v3 tests/tools/run-integration build/asan
	@SAN=asan IOTDECK_SIGNATURE=v3 tests/tui/run build/asan

check-tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan SAN=tsan all unit-bins
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  tests/tools/run-unit build/tsan $(UNIT_BINS:$(BUILD)/%=build/tsan/%)

# Unit tests under valgrind's memcheck (no sanitizer build: the plain one).
.PHONY: check-valgrind
check-valgrind: unit-bins
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	  tests/tools/run-unit $(BUILD) $(UNIT_BINS)

.PHONY: check-conformance
check-conformance: all $(BUILD)/tests/test_sign_v3
	@if [ -x tests/conformance/run ]; then tests/conformance/run $(BUILD); else echo "conformance: not present yet"; fi

# ---------------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	@if [ -x $(BUILD)/iotdeck-sim ]; then exec $(BUILD)/iotdeck --demo; \
	 else echo "make demo: the simulator (iotdeck-sim) is not built yet; see README.md"; exit 1; fi

# Fuzz targets for the parsers of outside input: 'make fuzz' runs each for a million
# executions (FUZZ_RUNS=N to change); make check runs each briefly (FUZZ_TIME=seconds).
.PHONY: fuzz-smoke
fuzz fuzz-smoke: $(GEN_ACTIONS)
fuzz:
	@FUZZ_RUNS=$${FUZZ_RUNS:-1000000} tests/fuzz/run $(BUILD)
fuzz-smoke:
	@FUZZ_RUNS= FUZZ_TIME=$${FUZZ_TIME:-10} tests/fuzz/run $(BUILD)

bench: all $(GEN_ACTIONS)
	@if [ -x tests/bench/run ]; then tests/bench/run $(BUILD); else echo "bench: no benchmarks yet"; fi

# ---------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR)/keymaps
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 src/iotdeck.1 $(DESTDIR)$(MANDIR)/man1/iotdeck.1
	for f in themes/* keymaps/*; do [ -f "$$f" ] && install -m 0644 "$$f" $(DESTDIR)$(DATADIR)/$$f; done; true

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/iotdeck $(DESTDIR)$(BINDIR)/iotdeck-sim $(DESTDIR)$(MANDIR)/man1/iotdeck.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
