// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * EchoServer.java - real Netty 4.1.48's echo server, the peer of
 * user/examples/echo_server.c in scripts/bench-echo: NIO transport, one
 * event loop thread for the connections (the C server has one), the pooled
 * allocator (PooledByteBufAllocator.DEFAULT) and the adaptive receive
 * allocator (Netty's defaults: 64 / 1024 / 65536, 16 reads per loop), the
 * echo handler of Netty's own example (write per read, flush on
 * readComplete), TCP_NODELAY as the C server sets it.  127.0.0.1 only.
 *
 *   java -cp netty-transport:netty-buffer:netty-common:netty-resolver:DIR \
 *       EchoServer          prints "port N", then "netty VERSION"; runs until killed
 */
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.Version;

import java.net.InetSocketAddress;

public final class EchoServer {
	@Sharable
	static final class Echo extends ChannelInboundHandlerAdapter {
		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.write(msg);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}
	}

	public static void main(String[] args) throws Exception {
		EventLoopGroup boss = new NioEventLoopGroup(1);
		EventLoopGroup worker = new NioEventLoopGroup(1);
		Echo echo = new Echo();
		ServerBootstrap b = new ServerBootstrap()
			.group(boss, worker)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 4096)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
			.childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				public void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(echo);
				}
			});
		Channel ch = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
		Version v = Version.identify().get("netty-transport");

		System.out.println("port " + ((InetSocketAddress) ch.localAddress()).getPort());
		System.out.println("netty " + (v == null ? "unknown" : v.artifactVersion()));
		System.out.flush();
		ch.closeFuture().sync();
	}
}
