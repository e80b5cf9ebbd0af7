// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * RecvReplay.java - drive the real io.netty.channel.AdaptiveRecvByteBufAllocator
 * (Netty 4.1.48, netty-transport.jar) through a trace of read loops and print
 * every guess, in the format of user/tests/recv_replay.c, which does the same
 * with bufpool's handle (core/recv.c).  scripts/recv-diff compares the two.
 *
 *   java -cp build/netty:netty-transport.jar:netty-common.jar:netty-buffer.jar \
 *       RecvReplay TRACE
 *   java ... RecvReplay --version     the netty-transport version on the classpath
 *
 * Trace lines (user/tests/recv_replay.c -g writes them):
 *   "h MIN INITIAL MAX READS"  a new allocator and handle; prints "h GUESS",
 *                              or "h invalid" if the constructor refuses
 *   "i SIZE"                   a handle of (1, SIZE, MAX_INT); prints "i GUESS"
 *   "l K:X K:X ..."            one read loop as NioByteUnsafe.read() runs it;
 *                              K:X says what each read returns (below); prints
 *                              "l" then " N/GUESS/CONT" per read made, then
 *                              " = GUESS" after readComplete()
 * Read kinds, from the attempted bytes ATT (the guess unless said):
 *   f  ATT bytes          p  1 + X % ATT bytes      z  0 bytes (EAGAIN)
 *   e  -1 (EOF)           a  ATT = 1 + X % 131072, ATT bytes
 *   b  ATT = 1 + X % 131072, 1 + (X / 131072) % ATT bytes
 */
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.Version;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.reflect.Proxy;

/* RecvByteBufAllocator.Handle is deprecated in 4.1 (ExtendedHandle is not), but
 * it is what NioByteUnsafe.read() calls. */
@SuppressWarnings("deprecation")
public final class RecvReplay {
	/* reset() takes a ChannelConfig; continueReading() asks it isAutoRead(). */
	static final ChannelConfig CONFIG = (ChannelConfig) Proxy.newProxyInstance(
		RecvReplay.class.getClassLoader(), new Class<?>[] { ChannelConfig.class },
		(proxy, method, args) -> {
			if (method.getName().equals("isAutoRead"))
				return Boolean.TRUE;
			throw new UnsupportedOperationException(method.getName());
		});

	static RecvByteBufAllocator.Handle handle(int min, int initial, int max, int reads) {
		AdaptiveRecvByteBufAllocator a = new AdaptiveRecvByteBufAllocator(min, initial, max);

		a.maxMessagesPerRead(reads);
		RecvByteBufAllocator.Handle h = a.newHandle();
		h.reset(CONFIG);
		return h;
	}

	static void loop(RecvByteBufAllocator.Handle h, String[] f, StringBuilder out) {
		h.reset(CONFIG);
		out.append('l');
		for (int i = 1; i < f.length; i++) {
			char k = f[i].charAt(0);
			int x = Integer.parseInt(f[i].substring(2));
			int att = h.guess(), n;

			switch (k) {
			case 'f': n = att; break;
			case 'p': n = 1 + x % att; break;
			case 'z': n = 0; break;
			case 'e': n = -1; break;
			case 'a': att = 1 + x % 131072; n = att; break;
			case 'b': att = 1 + x % 131072; n = 1 + (x / 131072) % att; break;
			default: throw new IllegalArgumentException("read kind " + k);
			}
			h.attemptedBytesRead(att);
			h.lastBytesRead(n);
			if (n <= 0) {
				out.append(' ').append(n).append('/').append(h.guess()).append("/-");
				break;
			}
			h.incMessagesRead(1);
			boolean more = h.continueReading();
			out.append(' ').append(n).append('/').append(h.guess()).append('/')
				.append(more ? 1 : 0);
			if (!more)
				break;
		}
		h.readComplete();
		out.append(" = ").append(h.guess());
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 1 && args[0].equals("--version")) {
			Version v = Version.identify().get("netty-transport");

			System.out.println(v == null ? "unknown" : v.artifactVersion());
			return;
		}
		if (args.length != 1) {
			System.err.println("usage: RecvReplay TRACE | --version");
			System.exit(2);
		}
		BufferedWriter w = new BufferedWriter(new OutputStreamWriter(System.out), 1 << 16);
		RecvByteBufAllocator.Handle h = null;
		StringBuilder out = new StringBuilder();

		try (BufferedReader r = new BufferedReader(new FileReader(args[0]))) {
			String line;

			while ((line = r.readLine()) != null) {
				String[] f = line.trim().split(" +");

				out.setLength(0);
				switch (f[0]) {
				case "h":
					try {
						h = handle(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
							   Integer.parseInt(f[3]), Integer.parseInt(f[4]));
						out.append("h ").append(h.guess());
					} catch (IllegalArgumentException e) {
						h = null;
						out.append("h invalid");
					}
					break;
				case "i":
					h = null;
					out.append("i ").append(handle(1, Integer.parseInt(f[1]),
								     Integer.MAX_VALUE, 16).guess());
					break;
				case "l":
					if (h == null)
						continue;	/* loops of a refused handle */
					loop(h, f, out);
					break;
				default:
					throw new IllegalArgumentException("trace line " + line);
				}
				w.write(out.toString());
				w.newLine();
			}
		}
		w.flush();
	}
}
