# fuzz/fuzz.mk — libFuzzer harnesses (issue 7), included by the Makefile.
#
#   make fuzz [FUZZ_SECONDS=600] [FUZZ_TARGETS="xlsx xls …"] [FUZZ_SEED=N]
#
# Builds into build/fuzz/ with clang: the library sources with
# -fsanitize=fuzzer-no-link,address,undefined, each harness fuzz/fuzz_NAME.c
# with -fsanitize=fuzzer,address,undefined. Then runs every harness for
# FUZZ_SECONDS on its corpus build/fuzz/corpus-NAME/ (seeded from the test
# fixtures by fuzz/seeds.sh; what the fuzzer adds stays there for the next
# run), with its dictionary when it has one, and prints executions and
# coverage per harness. Crashes are saved as build/fuzz/crash-NAME/… and make
# the target fail. Logs: build/fuzz/NAME.log.

FUZZ_SECONDS ?= 600
FUZZ_SEED    ?=
FUZZ_CC      ?= $(shell command -v clang-14 >/dev/null 2>&1 && echo clang-14 || echo clang)
FZ           := build/fuzz
FUZZ_ALL     := xlsx xmlscan xls csv archive config recognize text $(if $(wildcard charts/labels.h),labels)
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
# -Werror stays with gcc's build; clang may warn differently on others' code.
FUZZ_CFLAGS   = $(CSTD) $(filter-out -Werror,$(WARN)) $(FUZZ_SAN) $(PKG_CFLAGS) -I.

# Only the stages the harnesses reach: readers, config, recognition.
FUZZ_LIB_SRC := $(sort $(wildcard base/*.c input/*.c config/*.c pipeline/rec_*.c pipeline/ident*.c) pipeline/recognize.c \
                  pipeline/numparse.c pipeline/results.c $(wildcard charts/labels.c))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FZ)/obj/%.o) $(FZ)/obj/gen/default_yaml.o
FUZZ_BINS    := $(FUZZ_ALL:%=$(FZ)/fuzz_%)

.PHONY: fuzz fuzz-build

fuzz-build: $(FUZZ_BINS)

$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FZ)/gen/default_yaml.c: config/default.yaml
	@mkdir -p $(dir $@)
	@{ printf '#include "config/default_yaml.h"\nconst unsigned char config_default_yaml[] = {\n'; \
	   od -An -v -tx1 config/default.yaml | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   printf '0x00\n};\nconst size_t config_default_yaml_len = sizeof config_default_yaml - 1;\n'; \
	 } > $@.tmp && mv $@.tmp $@

$(FZ)/obj/gen/default_yaml.o: $(FZ)/gen/default_yaml.c config/default_yaml.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FZ)/libdtbd-fuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(FUZZ_LIB_OBJ)

$(FZ)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h fuzz/fuzz_inputs.h fuzz/fuzz_grid.h $(FZ)/libdtbd-fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer $< $(FZ)/libdtbd-fuzz.a $(PKG_LIBS) -o $@

# Plain helper: pulls the Workbook stream out of a fixture .xls for the seeds.
$(FZ)/xls_stream: fuzz/xls_stream.c input/cfb.c input/cfb.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) -O1 -I. fuzz/xls_stream.c input/cfb.c -o $@

fuzz: fuzz-build $(FZ)/xls_stream $(FZ)/grid_seed
	@FZ=$(FZ) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) fuzz/run.sh $(FUZZ_TARGETS)


# Seed helper: a workbook → fuzz_recognize's grid program (links the fuzz library).
$(FZ)/grid_seed: fuzz/grid_seed.c fuzz/fuzz_grid.h fuzz/fuzz_common.h $(FZ)/libdtbd-fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer-no-link $< $(FZ)/libdtbd-fuzz.a $(PKG_LIBS) -o $@
