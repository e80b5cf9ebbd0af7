# SPDX-License-Identifier: GPL-2.0
#
# bufpool - one allocator core, built as a kernel module and as a library.
#
#   make run       boot Debian's stock kernel in qemu, load the module with
#                  parameters, allocate through its API, show stats, unload;
#                  then the userspace demo (installs what it needs)
#   make check     every test: userspace (ASan+UBSan, TSan), KUnit in the
#                  debug kernel, module smoke in the stock kernel
#   make user      build/lib/libbufpool.{a,so}, build/lib/bufpool.pc
#   make valgrind  build/valgrind/libbufpool.a: the library with memcheck
#                  client requests (-DBUFPOOL_VALGRIND), for running a
#                  program under valgrind (see Documentation/userspace.rst)
#   make module    kmod/bufpool.ko against KDIR (default: the stock kernel's
#                  headers, i.e. the kernel `make run` boots)
#   make netty-diff  place the same traces with bufpool and with Netty 4.1.48
#                  (Java, libnetty-java) and compare, allocation for allocation
#   make install PREFIX=/usr/local
#
# The kernel build reads Kbuild; this file is for people.

PREFIX ?= /usr/local
BUILD := build

STOCK_KVER := $(shell scripts/stock-kernel 2>/dev/null)
KDIR ?= /lib/modules/$(STOCK_KVER)/build

CORE_SRC := $(sort $(wildcard core/*.c))
UWORLD_SRC := user/page_source.c user/arena_select.c user/misuse.c user/stack.c user/bufpool.c \
	      user/fork.c
LIB_SRC := $(CORE_SRC) $(UWORLD_SRC)
KUNIT_SRC := user/kunit/kunit.c $(sort $(wildcard kmod/tests/*_kunit.c))
HDRS := $(wildcard core/*.h user/*.h user/include/*/*.h include/*.h)

CPPFLAGS_U := -Iuser -Iuser/include -Icore -Iinclude -D_GNU_SOURCE
CFLAGS_U := -std=gnu11 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	    -Werror -pthread
# Test builds: a WARN in the core aborts (see user/include/linux/bug.h).
ASAN := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-DBUFPOOL_WARN_FATAL
TSAN := -O1 -fsanitize=thread -DBUFPOOL_WARN_FATAL
# memcheck client requests (user/bufpool_sanitize.h): a build of its own, as
# each request costs instructions and a stack frame even outside valgrind.
VALGRIND := -O1 -DBUFPOOL_VALGRIND

.PHONY: all user module run check deps install clean kunit-user test-user style bench bench-bin \
	bench-netty tools netty-bin netty-diff valgrind

all: user module

user: $(BUILD)/lib/libbufpool.a $(BUILD)/lib/libbufpool.so $(BUILD)/lib/bufpool.pc \
	$(BUILD)/bin/bufpoolstat

# The library in four builds: lib (release, PIC), asan (ASan+UBSan), tsan,
# valgrind (memcheck client requests).
define variant_lib
$(BUILD)/$(1)/obj/%.o: %.c $(HDRS)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CPPFLAGS_U) $$(CFLAGS_U) $(2) -c -o $$@ $$<

$(BUILD)/$(1)/libbufpool.a: $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(LIB_SRC))
	$$(AR) rcs $$@ $$^
endef
$(eval $(call variant_lib,lib,-O2 -fPIC))
$(eval $(call variant_lib,asan,$(ASAN)))
$(eval $(call variant_lib,tsan,$(TSAN)))
$(eval $(call variant_lib,valgrind,$(VALGRIND)))

valgrind: $(BUILD)/valgrind/libbufpool.a

LIB_OBJ := $(patsubst %.c,$(BUILD)/lib/obj/%.o,$(LIB_SRC))

$(BUILD)/lib/libbufpool.so: $(LIB_OBJ) user/libbufpool.map
	$(CC) -shared -pthread -Wl,-soname,libbufpool.so.1 \
		-Wl,--version-script=user/libbufpool.map -o $@ $(LIB_OBJ)

$(BUILD)/lib/bufpool.pc: user/bufpool.pc.in
	@mkdir -p $(dir $@)
	sed 's|@PREFIX@|$(PREFIX)|' $< > $@

# The KUnit suites see the core's internals; the other tests only <bufpool.h>.
$(BUILD)/asan/bufpool_kunit: $(KUNIT_SRC) $(BUILD)/asan/libbufpool.a $(HDRS)
	$(CC) $(CPPFLAGS_U) $(CFLAGS_U) $(ASAN) -rdynamic -o $@ $(KUNIT_SRC) $(BUILD)/asan/libbufpool.a

SELFTESTS_INC = -I$$(scripts/kernel-source)/tools/testing/selftests

$(BUILD)/asan/api_test: user/tests/api_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

# Planted bugs that ASan, and memcheck, must report (user/tests/san_test.c).
$(BUILD)/asan/san_test: user/tests/san_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

$(BUILD)/valgrind/san_test: user/tests/san_test.c $(BUILD)/valgrind/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(CFLAGS_U) $(VALGRIND) -o $@ $< $(BUILD)/valgrind/libbufpool.a

$(BUILD)/tsan/stress_test: user/tests/stress_test.c $(BUILD)/tsan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(TSAN) -o $@ $< $(BUILD)/tsan/libbufpool.a

$(BUILD)/bin/bufpool_demo: user/examples/demo.c $(BUILD)/lib/libbufpool.a include/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool.a

# bufpoolstat: static, so that the busybox VMs of make run/check can run it.
$(BUILD)/bin/bufpoolstat: user/tools/bufpoolstat.c $(BUILD)/lib/libbufpool.a include/bufpool.h \
		include/uapi/linux/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude/uapi -Iinclude $(CFLAGS_U) -O2 -static -o $@ $< $(BUILD)/lib/libbufpool.a

$(BUILD)/bin/buf_demo: user/examples/buf_demo.c $(BUILD)/lib/libbufpool.a include/bufpool.h \
		include/bufpool_buf.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -rdynamic -o $@ $< $(BUILD)/lib/libbufpool.a

$(BUILD)/bin/dev_demo: user/examples/dev_demo.c include/uapi/linux/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude/uapi $(CFLAGS_U) -O2 -static -o $@ $<

# The Netty differential (scripts/netty-diff): the replayer links the release
# library, as an application does; the trace generator needs nothing.
$(BUILD)/netty/netty_replay: user/tests/netty_replay.c $(BUILD)/lib/libbufpool.a include/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool.a

$(BUILD)/netty/netty_trace_gen: user/tests/netty_trace_gen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_U) -O2 -o $@ $<

netty-bin: $(BUILD)/netty/netty_replay $(BUILD)/netty/netty_trace_gen

# Without java or the jars it says what to install (make deps does).
netty-diff:
	scripts/netty-diff

tools: $(BUILD)/bin/bufpoolstat $(BUILD)/bin/dev_demo $(BUILD)/bin/buf_demo

# Benchmarks: the same source once per allocator (scripts/bench runs them).
BENCH_ALLOCS := bufpool glibc jemalloc tcmalloc mimalloc floor
BENCH_LIBS_bufpool := $(BUILD)/lib/libbufpool.a
BENCH_LIBS_jemalloc := -ljemalloc
BENCH_LIBS_tcmalloc := -ltcmalloc_minimal
BENCH_LIBS_mimalloc := -lmimalloc
BENCH_BIN := $(addprefix $(BUILD)/bench/bench-,$(BENCH_ALLOCS))

$(BUILD)/bench/bench-%: user/bench/bench.c $(BUILD)/lib/libbufpool.a include/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude -std=gnu11 -O2 -g -Wall -pthread \
		-DBENCH_$(shell echo $* | tr a-z A-Z) -DBENCH_NAME=$* -o $@ $< $(BENCH_LIBS_$*)

# bufpool as a shared library, as most programs would link it: the same
# source, to show what the PLT and the dynamic TLS model cost (pingpong only).
$(BUILD)/bench/bench-bufpool-so: user/bench/bench.c $(BUILD)/lib/libbufpool.so include/bufpool.h
	@mkdir -p $(dir $@)
	ln -sf ../lib/libbufpool.so $(BUILD)/bench/libbufpool.so.1
	$(CC) -Iinclude -std=gnu11 -O2 -g -Wall -pthread \
		-DBENCH_BUFPOOL -DBENCH_NAME=bufpool-so -o $@ $< \
		$(BUILD)/lib/libbufpool.so -Wl,-rpath,'$$ORIGIN'

bench-bin: $(BENCH_BIN) $(BUILD)/bench/bench-bufpool-so

# The Netty 4.1.48 peer (scripts/bench runs it when a JDK and libnetty-java
# are installed, and says n/a otherwise).
NETTY_CP := /usr/share/java/netty-buffer.jar:/usr/share/java/netty-common.jar
$(BUILD)/bench/netty/NettyBench.class: bench/netty/NettyBench.java
	@mkdir -p $(dir $@)
	javac -d $(dir $@) -cp $(NETTY_CP) $<

bench-netty: $(BUILD)/bench/netty/NettyBench.class

bench:
	scripts/bench
	scripts/bench-kernel

kunit-user: $(BUILD)/asan/bufpool_kunit
test-user: $(BUILD)/asan/bufpool_kunit $(BUILD)/asan/api_test $(BUILD)/tsan/stress_test \
	$(BUILD)/bin/bufpoolstat $(BUILD)/bin/dev_demo $(BUILD)/asan/san_test $(BUILD)/valgrind/san_test

# Built in a copy (scripts/build-module); the .ko files are copied back so
# that `insmod kmod/bufpool.ko` works.
module:
	scripts/build-module $(KDIR) $(BUILD)/kmod-stock
	cp $(BUILD)/kmod-stock/kmod/bufpool.ko kmod/
	cp $(BUILD)/kmod-stock/kmod/demo/bufpool_demo.ko kmod/demo/
	cp $(BUILD)/kmod-stock/kmod/stress/bufpool_stress.ko kmod/stress/
	[ ! -f $(BUILD)/kmod-stock/kmod/tests/bufpool_test.ko ] || \
		cp $(BUILD)/kmod-stock/kmod/tests/bufpool_test.ko kmod/tests/

deps:
	scripts/install-deps

check: deps
	scripts/check

run: deps
	scripts/run

install: user
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/bufpool.h include/bufpool_buf.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/lib/libbufpool.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/lib/libbufpool.so $(DESTDIR)$(PREFIX)/lib/libbufpool.so.1
	ln -sf libbufpool.so.1 $(DESTDIR)$(PREFIX)/lib/libbufpool.so
	sed 's|@PREFIX@|$(PREFIX)|' user/bufpool.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/bufpool.pc

style:
	$$(scripts/kernel-source)/scripts/checkpatch.pl --no-tree --terse -f \
		$(filter-out %.mod.c,$(wildcard core/*.[ch] kmod/*.[ch] kmod/*/*.c))

clean:
	rm -rf $(BUILD)
	rm -f kmod/*.ko kmod/*/*.ko
