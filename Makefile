# dtbd — build, test, demo, bench.
#   make            build build/dtbd
#   make test       install missing packages, run unit + end-to-end tests,
#                   then the whole suite again under ASan/UBSan
#   make demo       install missing packages, build, run on examples/
#   make bench      reader benchmark (.xlsx, .xls, .csv) against its peers, then the
#                   whole run on 202 / 1,010 / 7,070 files (bench/README.md)
#   make bench-whole  the whole run only
#   make install    build/dtbd and the man page dtbd.1 into PREFIX (/usr/local),
#                   under DESTDIR when given (packaging)
#   make clean

.SUFFIXES:

CC      := $(if $(filter default,$(origin CC)),cc,$(CC))
PKGS    := libzip expat freexl xlsxwriter yaml-0.1 libutf8proc zlib
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -pthread -I.

# Stage folders, in dependency order (DESIGN §2).
LIB_SRC  := $(sort $(wildcard base/*.c input/*.c config/*.c pipeline/*.c output/*.c charts/*.c cli/*.c))
LIB_SRC  := $(filter-out cli/main.c,$(LIB_SRC))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

# Two builds share the sources: plain in build/, sanitized in build/asan/.
B        ?= build
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_OBJ  = $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/default_yaml.o
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps test test-build check-layers check-unit check-e2e check-kg demo bench bench-whole clean valgrind install uninstall

all: $(B)/dtbd

deps:
	@.ci/deps

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The default configuration is compiled in (DESIGN §5: `dtbd run` works from any
# folder). config/default.yaml becomes a byte array through od + sed — POSIX
# tools only, no xxd, no assembler .incbin — so gcc and clang both build it,
# and it is regenerated whenever the YAML changes. Declared in
# config/default_yaml.h; config.c is its only user.
$(B)/gen/default_yaml.c: config/default.yaml
	@mkdir -p $(dir $@)
	@{ printf '/* Generated from config/default.yaml by the Makefile: do not edit. */\n'; \
	   printf '#include "config/default_yaml.h"\nconst unsigned char config_default_yaml[] = {\n'; \
	   od -An -v -tx1 config/default.yaml | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   printf '0x00\n};\nconst size_t config_default_yaml_len = sizeof config_default_yaml - 1;\n'; \
	 } > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/default_yaml.o: $(B)/gen/default_yaml.c config/default_yaml.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libdtbd.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(B)/dtbd: $(B)/obj/cli/main.o $(B)/libdtbd.a
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

$(B)/tests/%: tests/unit/%.c $(B)/libdtbd.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< $(B)/libdtbd.a $(PKG_LIBS) -lcmocka -o $@

test-build: $(B)/dtbd $(UNIT_BIN)

# Unit tests run from the top folder (fixtures are found as tests/fixtures/…).
check-unit: test-build
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# The include graph follows DESIGN §2: no arrow up, no cycle.
check-layers:
	@sh tests/layers.sh

check-e2e: test-build
	@tests/e2e/run.sh $(B)/dtbd

# The independent corpus (../shared/corpus-kg) scored by its own scorer: exact
# or fail. Plain build only (DESIGN §9).
check-kg: $(B)/dtbd
	@tests/corpus-kg.sh $(B)/dtbd

test: deps
	$(MAKE) -j2 test-build
	$(MAKE) check-layers check-unit check-e2e check-kg
	$(MAKE) -j2 test-build B=build/asan CFLAGS="$(SAN_FLAGS)"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 DTBD_E2E_ONCE=1 \
	  $(MAKE) check-unit check-e2e B=build/asan CFLAGS="$(SAN_FLAGS)"
	@echo "make test: mọi kiểm thử đều đạt (thường + ASan/UBSan)"

# The whole suite under valgrind (slow; not part of `make test`).
valgrind: test-build
	@set -e; for t in $(UNIT_BIN); do \
	  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    --suppressions=$(CURDIR)/tests/valgrind.supp $$t; done
	@DTBD_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --suppressions=$(CURDIR)/tests/valgrind.supp" tests/e2e/run.sh $(B)/dtbd

demo: deps
	$(MAKE) -j2 all
	@echo "== dtbd run -o out examples/inbox"
	@# exit 1: outputs written, errors in the data — the demo plants three (examples/README.md)
	$(B)/dtbd run -o out examples/inbox || [ $$? -eq 1 ]
	@echo "== out/: records.csv, issues.csv, sources.csv, attainment.csv, tong-hop.xlsx, charts/ (bieu-do.pdf), phan-hoi/ (one workbook per unit, don-doc.csv)"

bench: deps
	@.ci/deps bench
	$(MAKE) -j2 all
	@bench/run.sh $(B)/dtbd
	@bench/whole.sh $(B)/dtbd

bench-whole: deps
	@.ci/deps bench
	$(MAKE) -j2 all
	@bench/whole.sh $(B)/dtbd

# Install: the binary (the configuration is built into it) and the man page.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
install: $(B)/dtbd doc/dtbd.1
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1"
	install -m 0755 $(B)/dtbd "$(DESTDIR)$(BINDIR)/dtbd"
	install -m 0644 doc/dtbd.1 "$(DESTDIR)$(MANDIR)/man1/dtbd.1"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/dtbd" "$(DESTDIR)$(MANDIR)/man1/dtbd.1"

clean:
	rm -rf build

include fuzz/fuzz.mk
-include $(shell find $(B) -name '*.d' 2>/dev/null)
