# SPDX-License-Identifier: GPL-2.0 OR MIT
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
#   make install   library, headers, pkg-config file, bufpoolstat, man pages;
#                  PREFIX (/usr/local), LIBDIR ($(PREFIX)/lib; Debian:
#                  /usr/lib/x86_64-linux-gnu), DESTDIR; make uninstall
#                  removes the same files
#   make install-dkms  the module's sources and dkms.conf in
#                  $(DESTDIR)/usr/src/bufpool-VERSION, for `dkms add/build`
#
# The kernel build reads Kbuild; this file is for people.

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DKMS_SRCDIR ?= /usr/src
BUILD := build

# One version, in <bufpool.h>: the pkg-config file and the DKMS package say it.
VERSION := $(shell sed -n 's/^\#define BUFPOOL_VERSION_[A-Z]*[[:space:]]*\([0-9]*\)$$/\1/p' \
	     include/bufpool.h | paste -sd.)

STOCK_KVER := $(shell scripts/stock-kernel 2>/dev/null)
KDIR ?= /lib/modules/$(STOCK_KVER)/build

CORE_SRC := $(sort $(wildcard core/*.c))
UWORLD_SRC := user/page_source.c user/page_map.c user/arena_select.c user/misuse.c user/stack.c user/bufpool.c \
	      user/fork.c user/conf.c user/io.c user/stats_print.c user/config_sized.c
LIB_SRC := $(CORE_SRC) $(UWORLD_SRC)
KUNIT_SRC := user/kunit/kunit.c $(sort $(wildcard kmod/tests/*_kunit.c))
HDRS := $(wildcard core/*.h user/*.h user/include/*/*.h include/*.h)

CPPFLAGS_U := -Iuser -Iuser/include -Icore -Iinclude -D_GNU_SOURCE
CFLAGS_U := -std=gnu11 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	    -Werror -pthread
# Test builds: a WARN in the core aborts (see user/include/linux/bug.h), and
# lockdep_assert_held() checks the owner (user/include/linux/lockdep.h).
ASAN := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-DBUFPOOL_WARN_FATAL -DBUFPOOL_LOCKDEP
TSAN := -O1 -fsanitize=thread -DBUFPOOL_WARN_FATAL -DBUFPOOL_LOCKDEP
# memcheck client requests (user/bufpool_sanitize.h): a build of its own, as
# each request costs instructions and a stack frame even outside valgrind.
VALGRIND := -O1 -DBUFPOOL_VALGRIND

.PHONY: all user module run check deps install uninstall install-dkms uninstall-dkms client-module FORCE clean kunit-user test-user style bench bench-bin \
	bench-netty tools netty-bin netty-diff echo-bin valgrind

all: user module

user: $(BUILD)/lib/libbufpool.a $(BUILD)/lib/libbufpool.so $(BUILD)/lib/bufpool.pc \
	$(BUILD)/bin/bufpoolstat $(BUILD)/lib/libbufpool-malloc.so $(BUILD)/lib/libbufpool_uring.a

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

# malloc() and the rest over one pool, for LD_PRELOAD (user/malloc.c): the
# library's objects plus two; the core's own malloc calls are wrapped to
# glibc's allocator (user/malloc_meta.c), so that the pool never calls itself.
MALLOC_OBJ := $(LIB_OBJ) $(BUILD)/lib/obj/user/malloc.o $(BUILD)/lib/obj/user/malloc_meta.o
MALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=aligned_alloc,--wrap=free

$(BUILD)/lib/libbufpool-malloc.so: $(MALLOC_OBJ) user/libbufpool-malloc.map
	$(CC) -shared -pthread -Wl,-soname,libbufpool-malloc.so -Wl,-z,now $(MALLOC_WRAP) \
		-Wl,--version-script=user/libbufpool-malloc.map -o $@ $(MALLOC_OBJ)

# Rebuilt when PREFIX, LIBDIR or INCLUDEDIR change (the .pc-vars stamp).
PC_VARS := $(PREFIX):$(LIBDIR):$(INCLUDEDIR):$(VERSION)
$(BUILD)/lib/bufpool.pc-vars: FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = '$(PC_VARS)' ] || echo '$(PC_VARS)' > $@

$(BUILD)/lib/bufpool.pc: user/bufpool.pc.in $(BUILD)/lib/bufpool.pc-vars
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# The KUnit suites see the core's internals; the other tests only <bufpool.h>.
$(BUILD)/asan/bufpool_kunit: $(KUNIT_SRC) $(BUILD)/asan/libbufpool.a $(HDRS)
	$(CC) $(CPPFLAGS_U) $(CFLAGS_U) $(ASAN) -rdynamic -o $@ $(KUNIT_SRC) $(BUILD)/asan/libbufpool.a

SELFTESTS_INC = -I$$(scripts/kernel-source)/tools/testing/selftests

$(BUILD)/asan/api_test: user/tests/api_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

$(BUILD)/asan/conf_test: user/tests/conf_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

$(BUILD)/asan/stats_test: user/tests/stats_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h \
		include/bufpool_stats.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

$(BUILD)/asan/io_test: user/tests/io_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h \
		include/bufpool_io.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

# Planted bugs that ASan, and memcheck, must report (user/tests/san_test.c).
$(BUILD)/asan/san_test: user/tests/san_test.c $(BUILD)/asan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

$(BUILD)/valgrind/san_test: user/tests/san_test.c $(BUILD)/valgrind/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(CFLAGS_U) $(VALGRIND) -o $@ $< $(BUILD)/valgrind/libbufpool.a

$(BUILD)/tsan/stress_test: user/tests/stress_test.c $(BUILD)/tsan/libbufpool.a include/bufpool.h
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(TSAN) -o $@ $< $(BUILD)/tsan/libbufpool.a

# Linked against libbufpool-malloc.so (its malloc() comes first), -O2 and no
# sanitizer: ASan would bring its own malloc.
$(BUILD)/lib/malloc_test: user/tests/malloc_test.c $(BUILD)/lib/libbufpool-malloc.so
	$(CC) $(SELFTESTS_INC) $(CFLAGS_U) -O2 -o $@ $< \
		$(BUILD)/lib/libbufpool-malloc.so -Wl,-rpath,'$$ORIGIN'

$(BUILD)/bin/bufpool_demo: user/examples/demo.c $(BUILD)/lib/libbufpool.a include/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool.a

# bufpoolstat: static, so that the busybox VMs of make run/check can run it.
$(BUILD)/bin/bufpoolstat: user/tools/bufpoolstat.c $(BUILD)/lib/libbufpool.a include/bufpool.h \
		include/uapi/linux/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude/uapi -Iinclude $(CFLAGS_U) -O2 -static -o $@ $< $(BUILD)/lib/libbufpool.a

# What scripts/check-bufpoolstat reads: library pools printed and live.
$(BUILD)/bin/stats_dump: user/tests/stats_dump.c $(BUILD)/lib/libbufpool.a include/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool.a

$(BUILD)/bin/buf_demo: user/examples/buf_demo.c $(BUILD)/lib/libbufpool.a include/bufpool.h \
		include/bufpool_buf.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -rdynamic -o $@ $< $(BUILD)/lib/libbufpool.a

# The epoll echo server and its load generator (scripts/echo-test runs the
# ASan builds, scripts/bench the release ones).
$(BUILD)/bin/echo_server: user/examples/echo_server.c $(BUILD)/lib/libbufpool.a include/bufpool.h \
		include/bufpool_io.h include/bufpool_recv.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool.a

$(BUILD)/bin/echo_load: user/examples/echo_load.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_U) -O2 -o $@ $<

$(BUILD)/asan/echo_server: user/examples/echo_server.c $(BUILD)/asan/libbufpool.a include/bufpool.h \
		include/bufpool_io.h include/bufpool_recv.h
	$(CC) -Iinclude $(CFLAGS_U) $(ASAN) -o $@ $< $(BUILD)/asan/libbufpool.a

$(BUILD)/asan/echo_load: user/examples/echo_load.c
	$(CC) $(CFLAGS_U) $(ASAN) -o $@ $<

echo-bin: $(BUILD)/bin/echo_server $(BUILD)/bin/echo_load $(BUILD)/asan/echo_server \
	$(BUILD)/asan/echo_load

# io_uring (liburing, Linux 5.19+): a library of its own, so that
# libbufpool does not depend on liburing.
URING_HDRS := include/bufpool_uring.h include/bufpool.h include/bufpool_buf.h
$(BUILD)/lib/obj/user/uring.o: user/uring.c $(URING_HDRS)
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -fPIC -c -o $@ $<

$(BUILD)/lib/libbufpool_uring.a: $(BUILD)/lib/obj/user/uring.o
	$(AR) rcs $@ $^

$(BUILD)/bin/uring_echo: user/examples/uring_echo.c $(BUILD)/lib/libbufpool_uring.a \
		$(BUILD)/lib/libbufpool.a $(URING_HDRS)
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool_uring.a \
		$(BUILD)/lib/libbufpool.a -luring

$(BUILD)/asan/uring_test: user/tests/uring_test.c user/uring.c $(BUILD)/asan/libbufpool.a \
		$(URING_HDRS)
	$(CC) -Iinclude $(SELFTESTS_INC) $(CFLAGS_U) $(ASAN) -o $@ $< user/uring.c \
		$(BUILD)/asan/libbufpool.a -luring

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

# The receive-sizing differential (scripts/recv-diff).
$(BUILD)/netty/recv_replay: user/tests/recv_replay.c $(BUILD)/lib/libbufpool.a include/bufpool.h \
		include/bufpool_recv.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude $(CFLAGS_U) -O2 -o $@ $< $(BUILD)/lib/libbufpool.a

netty-bin: $(BUILD)/netty/netty_replay $(BUILD)/netty/netty_trace_gen $(BUILD)/netty/recv_replay

# Without java or the jars it says what to install (make deps does).
netty-diff:
	scripts/netty-diff

tools: $(BUILD)/bin/bufpoolstat $(BUILD)/bin/dev_demo $(BUILD)/bin/buf_demo

# Benchmarks: the same source once per allocator (scripts/bench runs them).
BENCH_ALLOCS := bufpool bufpool-malloc glibc jemalloc tcmalloc mimalloc floor
BENCH_LIBS_bufpool := $(BUILD)/lib/libbufpool.a
# malloc()/free() from libbufpool-malloc.so, linked first (as LD_PRELOAD would).
BENCH_LIBS_bufpool-malloc := $(BUILD)/lib/libbufpool-malloc.so -Wl,-rpath,'$$ORIGIN/../lib'
$(BUILD)/bench/bench-bufpool-malloc: $(BUILD)/lib/libbufpool-malloc.so
BENCH_LIBS_jemalloc := -ljemalloc
BENCH_LIBS_tcmalloc := -ltcmalloc_minimal
BENCH_LIBS_mimalloc := -lmimalloc
BENCH_BIN := $(addprefix $(BUILD)/bench/bench-,$(BENCH_ALLOCS))

$(BUILD)/bench/bench-%: user/bench/bench.c $(BUILD)/lib/libbufpool.a include/bufpool.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude -std=gnu11 -O2 -g -Wall -pthread \
		-DBENCH_$(shell echo $* | tr a-z- A-Z_) -DBENCH_NAME=$* -o $@ $< $(BENCH_LIBS_$*)

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

# The echo server peer (scripts/bench-echo).
NETTY_ECHO_CP := $(NETTY_CP):/usr/share/java/netty-transport.jar:/usr/share/java/netty-resolver.jar
$(BUILD)/bench/netty/EchoServer.class: bench/netty/EchoServer.java
	@mkdir -p $(dir $@)
	javac -d $(dir $@) -cp $(NETTY_ECHO_CP) $<

bench-netty: $(BUILD)/bench/netty/NettyBench.class

bench:
	scripts/bench
	scripts/bench-echo
	scripts/bench-kernel

kunit-user: $(BUILD)/asan/bufpool_kunit
test-user: $(BUILD)/asan/bufpool_kunit $(BUILD)/asan/api_test $(BUILD)/asan/conf_test \
	$(BUILD)/asan/io_test $(BUILD)/asan/stats_test $(BUILD)/bin/stats_dump \
	$(BUILD)/tsan/stress_test \
	$(BUILD)/bin/bufpoolstat $(BUILD)/bin/dev_demo $(BUILD)/asan/uring_test $(BUILD)/bin/uring_echo \
	$(BUILD)/asan/san_test $(BUILD)/valgrind/san_test

# Built in a copy (scripts/build-module); the .ko files are copied back so
# that `insmod kmod/bufpool.ko` works.
module:
	scripts/build-module $(KDIR) $(BUILD)/kmod-stock
	cp $(BUILD)/kmod-stock/kmod/bufpool.ko kmod/
	cp $(BUILD)/kmod-stock/kmod/demo/bufpool_demo.ko kmod/demo/
	cp $(BUILD)/kmod-stock/kmod/stress/bufpool_stress.ko kmod/stress/
	cp $(BUILD)/kmod-stock/kmod/sock/bufpool_sock.ko kmod/sock/
	[ ! -f $(BUILD)/kmod-stock/kmod/tests/bufpool_test.ko ] || \
		cp $(BUILD)/kmod-stock/kmod/tests/bufpool_test.ko kmod/tests/

# kmod/client, the out-of-tree module of Documentation/module.rst, built
# in a copy against this tree's headers and the stock build's Module.symvers
# (make module first).
client-module:
	rm -rf $(BUILD)/client && mkdir -p $(BUILD) && cp -r kmod/client $(BUILD)/client
	$(MAKE) -s -C $(BUILD)/client KDIR=$(KDIR) BUFPOOL_INCLUDE=$(CURDIR)/include \
		BUFPOOL_SYMVERS=$(CURDIR)/$(BUILD)/kmod-stock/Module.symvers

deps:
	scripts/install-deps

check: deps
	scripts/check

run: deps
	scripts/run

# What make install puts where; make uninstall removes exactly these.  The
# section 3 pages that are only ".so" links come from man/links.
MAN3_PAGES := $(sort $(wildcard man/man3/*.3))
MAN3_LINKS := $(shell sed -n 's/^\([a-z_0-9]*\) .*/\1/p' man/links 2>/dev/null)
INSTALLED := $(addprefix $(LIBDIR)/,libbufpool.a libbufpool.so libbufpool.so.1 libbufpool-malloc.so \
		libbufpool_uring.a) \
	$(PKGCONFIGDIR)/bufpool.pc \
	$(addprefix $(INCLUDEDIR)/,bufpool.h bufpool_buf.h bufpool_stats.h bufpool_recv.h bufpool_io.h \
		bufpool_uring.h \
		linux/bufpool.h) \
	$(BINDIR)/bufpoolstat $(MANDIR)/man1/bufpoolstat.1 \
	$(patsubst man/%,$(MANDIR)/%,$(MAN3_PAGES)) $(MAN3_LINKS:%=$(MANDIR)/man3/%.3)

install: user
	install -d $(addprefix $(DESTDIR),$(LIBDIR) $(PKGCONFIGDIR) $(INCLUDEDIR)/linux \
		$(BINDIR) $(MANDIR)/man1 $(MANDIR)/man3)
	install -m 644 $(BUILD)/lib/libbufpool.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/lib/libbufpool.so $(DESTDIR)$(LIBDIR)/libbufpool.so.1
	ln -sf libbufpool.so.1 $(DESTDIR)$(LIBDIR)/libbufpool.so
	install -m 755 $(BUILD)/lib/libbufpool-malloc.so $(DESTDIR)$(LIBDIR)/
	install -m 644 $(BUILD)/lib/bufpool.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 include/bufpool.h include/bufpool_buf.h include/bufpool_stats.h include/bufpool_recv.h \
		include/bufpool_io.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/uapi/linux/bufpool.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 644 include/bufpool_uring.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(BUILD)/lib/libbufpool_uring.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/bin/bufpoolstat $(DESTDIR)$(BINDIR)/
	install -m 644 man/man1/bufpoolstat.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN3_PAGES) $(DESTDIR)$(MANDIR)/man3/
	sed '/^#/d' man/links | while read -r name page; do \
		echo ".so man3/$$page.3" > $(DESTDIR)$(MANDIR)/man3/$$name.3 || exit 1; \
	done

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# DKMS: the sources bufpool.ko is built from, with dkms.conf (VERSION filled).
DKMS_DIR := $(DKMS_SRCDIR)/bufpool-$(VERSION)
install-dkms:
	install -d $(DESTDIR)$(DKMS_DIR)
	tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' Kbuild core kmod include | tar -C $(DESTDIR)$(DKMS_DIR) -xf -
	sed 's|@VERSION@|$(VERSION)|g' kmod/dkms.conf.in > $(DESTDIR)$(DKMS_DIR)/dkms.conf

uninstall-dkms:
	rm -rf $(DESTDIR)$(DKMS_DIR)

# kernel-doc and checkpatch --strict, as make check's style suite.
style:
	scripts/check-style

clean:
	rm -rf $(BUILD)
	rm -f kmod/*.ko kmod/*/*.ko
