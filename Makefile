# Confiture: PostgreSQL schema toolkit as a family of small filters.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/confiture

CC ?= cc
CFLAGS ?= -O2 -g
override CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wformat-security $(CFLAGS)
# -Werror only where we own the flags (make check, CI), never in a packager's build
WERROR ?=
override CFLAGS += $(WERROR)
override CPPFLAGS += -Ilib -I$(B) -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
LDLIBS = -lpq -lpg_query -ljansson -lyaml -lcrypto

B ?= build
OUT ?= bin
TOOLS := $(patsubst bin/%.c,%,$(wildcard bin/conf-*.c))
LIBOBJ := $(patsubst lib/%.c,$(B)/lib/%.o,$(wildcard lib/*.c))
SCRIPTS := bin/confiture $(wildcard pipelines/*.sh) $(wildcard tests/*.bash tests/*.sh tests/bench/*.sh) .ci/run
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DEBS = libpq-dev libpg-query-dev libjansson-dev libyaml-dev jq bats bats-assert bats-support \
	bats-file shellcheck postgresql-15 mandoc

all: $(addprefix $(OUT)/,$(TOOLS)) $(B)/t-names

# test drivers of lib/ modules: tests find them as $CONF_BINDIR/../t-NAME or build/t-NAME
$(B)/t-%: tests/unit/t-%.c lib/*.h $(B)/libconf.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libconf.a $(LDLIBS)

$(OUT)/conf-%: $(B)/bin/conf-%.o $(B)/libconf.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libconf.a: $(LIBOBJ)
	$(AR) rcs $@ $^

$(B)/lib/%.o: lib/%.c lib/*.h $(B)/sqltext.h $(B)/anondata.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/bin/%.o: bin/%.c lib/*.h $(B)/sqltext.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/sqltext.h: lib/sql2c.awk $(wildcard lib/sql/*.sql)
	@mkdir -p $(@D)
	awk -f lib/sql2c.awk $(sort $(wildcard lib/sql/*.sql)) > $@

$(B)/anondata.h: lib/data2c.awk $(wildcard lib/data/*.txt)
	@mkdir -p $(@D)
	awk -f lib/data2c.awk $(sort $(wildcard lib/data/*.txt)) > $@

# The suite runs twice: on the normal build, then on one with ASan and UBSan.
check: deps
	@$(MAKE) --no-print-directory -s WERROR=-Werror all
	@$(MAKE) --no-print-directory -s WERROR=-Werror B=build/asan OUT=build/asan/bin CFLAGS='$(SANFLAGS)' \
		LDFLAGS='-fsanitize=address,undefined' all
	@tests/check.sh bin build/asan/bin

lint:
	shellcheck $(SCRIPTS)
	mandoc -Tlint -Wwarning man/*
	@! grep -nE '\b(sprintf|strcpy|strcat|gets|atoi|strtok)[[:space:]]*\(' bin/*.c lib/*.c \
		|| { echo 'banned calls above: use snprintf, strtol and explicit lengths'; exit 1; }

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/pipelines $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(addprefix bin/,$(TOOLS)) $(DESTDIR)$(BINDIR)
	sed 's|^pipelines=.*|pipelines=$${CONFITURE_PIPELINES:-$(DATADIR)/pipelines}|' bin/confiture \
		> $(DESTDIR)$(BINDIR)/confiture
	chmod 0755 $(DESTDIR)$(BINDIR)/confiture
	install -m 0644 $(filter-out pipelines/demo.sh,$(wildcard pipelines/*.sh)) $(DESTDIR)$(DATADIR)/pipelines
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 man/*.7 $(DESTDIR)$(MANDIR)/man7
	mkdir -p $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	CONFITURE_PIPELINES=pipelines sh pipelines/completion.sh bash \
		> $(DESTDIR)$(PREFIX)/share/bash-completion/completions/confiture
	CONFITURE_PIPELINES=pipelines sh pipelines/completion.sh zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_confiture

clean:
	rm -rf build $(addprefix bin/,$(TOOLS))

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "installing:" $$missing; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi

demo: deps all
	@pipelines/demo.sh

bench: all
	@tests/bench/run.sh

# make fuzz: each tests/fuzz/fuzz-NAME.c (libFuzzer, no main) is linked with clang against the
# lib built in build/fuzz, then runs FUZZ_SECONDS from build/fuzz/corpus-NAME, seeded with the
# files of examples/ and ../shared/corpus that match its "seeds: GLOB..." comment line, and
# with tests/fuzz/NAME.dict when there is one. Findings are build/fuzz/NAME-crash-* etc.
FUZZ_SECONDS ?= 600
FUZZ_SAN = -g -O1 -fno-sanitize-recover=all -fsanitize
fuzz:
	@$(MAKE) --no-print-directory -s deps DEBS='clang libclang-rt-14-dev'
	@$(MAKE) --no-print-directory -s B=build/fuzz CC=clang CFLAGS='$(FUZZ_SAN)=fuzzer-no-link,address,undefined' \
		build/fuzz/libconf.a
	@rc=0; for src in tests/fuzz/fuzz-*.c; do n=$$(basename "$$src" .c); c=build/fuzz/corpus-$$n; \
		clang $(CPPFLAGS) $(FUZZ_SAN)=fuzzer,address,undefined -o build/fuzz/$$n "$$src" build/fuzz/libconf.a \
			$(LDLIBS) || exit 1; \
		mkdir -p "$$c"; set -f; for g in $$(sed -n 's/.*seeds: *//p' "$$src" | head -n 1); do \
			find examples ../shared/corpus -type f -name "$$g" -size -64k -exec cp {} "$$c" \; 2>/dev/null; done; set +f; \
		dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
		build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 -close_fd_mask=2 -print_final_stats=1 \
			-artifact_prefix=build/fuzz/$$n- $$dict "$$c" >build/fuzz/$$n.log 2>&1 || rc=1; \
		echo "$$n: $$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$$n.log) executions," \
			"$$(ls build/fuzz | grep -c "^$$n-") findings (log: build/fuzz/$$n.log)"; \
	done; exit $$rc

.PHONY: all check lint install clean deps demo bench fuzz
.SECONDARY:
