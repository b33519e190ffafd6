package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

import io.github.ssestarter.benchmarks.server.Publisher;

/**
 * The {@code raw} server: the benchmark contract on plain {@code java.nio}, with no Spring, no
 * servlet container and no library, so that the figures can say how far the other servers are from
 * the cost of the system calls themselves. One thread accepts connections and answers the control
 * endpoints ({@link HttpLoop}); {@code GET /stream} hands the socket to one of a fixed number of
 * writer threads ({@link Writer}), which write each event, encoded once, with one non-blocking
 * write per stream. The publisher is the same {@link Publisher} as every other server's.
 *
 * <p>Started by the runner like the Spring Boot servers: it reads {@code --server.port} and
 * {@code --server.address} and ignores every other argument.
 */
public final class RawServer implements AutoCloseable {

	private static final String PORT = "--server.port=";

	private static final String ADDRESS = "--server.address=";

	/** Pending connections the kernel queues, as Tomcat's {@code accept-count} in the others. */
	private static final int BACKLOG = 4096;

	private final ServerSocketChannel channel;

	private final RawTopic topic;

	private final HttpLoop loop;

	private RawServer(ServerSocketChannel channel, RawTopic topic, HttpLoop loop) {
		this.channel = channel;
		this.topic = topic;
		this.loop = loop;
	}

	/**
	 * Starts the server.
	 * @param args {@code --server.port=<port>}, {@code --server.address=<address>}; others are ignored
	 * @throws IOException when the address cannot be bound
	 */
	public static void main(String[] args) throws IOException {
		long startNanos = System.nanoTime();
		int writers = Math.max(2, Runtime.getRuntime().availableProcessors());
		RawServer server = start(address(args), writers);
		System.out.printf("raw server started on %s with %d writer threads in %d ms%n", server.address(), writers,
				(System.nanoTime() - startNanos) / 1_000_000);
	}

	/**
	 * Binds the address and starts the threads.
	 * @param address where to listen; port 0 for any free one
	 * @param writers the number of writer threads
	 * @return the running server
	 */
	static RawServer start(InetSocketAddress address, int writers) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open();
		try {
			channel.bind(address, BACKLOG);
			RawTopic topic = new RawTopic(writers);
			HttpLoop loop = new HttpLoop(channel, topic, new ControlEndpoints(new Publisher(topic), topic));
			topic.start();
			loop.start();
			return new RawServer(channel, topic, loop);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * The address listened on, with the port bound.
	 */
	InetSocketAddress address() throws IOException {
		return (InetSocketAddress) this.channel.getLocalAddress();
	}

	/**
	 * Reads the address to listen on from Spring Boot style arguments, the last of each winning;
	 * by default {@code 127.0.0.1:8080}, as {@code application.properties} says for the others.
	 */
	static InetSocketAddress address(String[] args) throws IOException {
		String host = "127.0.0.1";
		int port = 8080;
		for (String arg : args) {
			if (arg.startsWith(PORT)) {
				port = Integer.parseInt(arg.substring(PORT.length()).trim());
			}
			else if (arg.startsWith(ADDRESS)) {
				host = arg.substring(ADDRESS.length()).trim();
			}
		}
		return new InetSocketAddress(InetAddress.getByName(host), port);
	}

	/**
	 * Stops the threads and closes every connection.
	 */
	@Override
	public void close() throws IOException {
		try {
			this.loop.close();
			this.topic.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.channel.close();
		}
	}

}
