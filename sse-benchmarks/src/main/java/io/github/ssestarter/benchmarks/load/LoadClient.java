package io.github.ssestarter.benchmarks.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Holds many SSE subscriptions to one server from a few selector threads, spreading them over
 * several loopback source addresses so that ephemeral ports do not run out.
 *
 * <p>Opening, reconnecting and closing are asynchronous: they are handed to the selector threads,
 * and {@link #stats()} shows their progress. A client is used by one scenario thread at a time.
 */
public final class LoadClient implements AutoCloseable {

	private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);

	private final List<InetSocketAddress> servers;

	private final List<InetAddress> sourceAddresses;

	private final List<SelectorLoop> loops = new ArrayList<>();

	private final LoadStats stats = new LoadStats();

	private int opened;

	/**
	 * Creates a client and starts its selector threads.
	 * @param server the server to connect to, on a loopback address
	 * @param sourceAddresses the local addresses to bind connections to, used in turn
	 * @param threads the number of selector threads
	 * @param maxHandshakes how many connections may be between connect and request sent at once, in
	 * total
	 * @param connectsPerSecond how many connections may be started per second, in total, so as not to
	 * overflow the server's accept queue
	 */
	public LoadClient(InetSocketAddress server, List<InetAddress> sourceAddresses, int threads, int maxHandshakes,
			double connectsPerSecond) {
		this(List.of(server), sourceAddresses, threads, maxHandshakes, connectsPerSecond);
	}

	/**
	 * Creates a client for several instances of a server, and starts its selector threads. The
	 * connections go to the instances in turn, so they are split evenly.
	 * @param servers the instances to connect to, on loopback addresses
	 * @param sourceAddresses the local addresses to bind connections to, used in turn
	 * @param threads the number of selector threads
	 * @param maxHandshakes how many connections may be between connect and request sent at once, in
	 * total
	 * @param connectsPerSecond how many connections may be started per second, in total
	 */
	public LoadClient(List<InetSocketAddress> servers, List<InetAddress> sourceAddresses, int threads,
			int maxHandshakes, double connectsPerSecond) {
		if (servers.isEmpty()) {
			throw new IllegalArgumentException("At least one server is needed");
		}
		for (InetSocketAddress server : servers) {
			if (!server.getAddress().isLoopbackAddress()) {
				throw new IllegalArgumentException("Only loopback servers may be load tested: " + server);
			}
		}
		if (sourceAddresses.isEmpty()) {
			throw new IllegalArgumentException("At least one source address is needed");
		}
		if (threads < 1 || maxHandshakes < threads) {
			throw new IllegalArgumentException(
					"threads must be at least 1 and maxHandshakes at least threads: " + threads + ", " + maxHandshakes);
		}
		if (connectsPerSecond <= 0) {
			throw new IllegalArgumentException("connectsPerSecond must be positive: " + connectsPerSecond);
		}
		this.servers = List.copyOf(servers);
		this.sourceAddresses = List.copyOf(sourceAddresses);
		for (int i = 0; i < threads; i++) {
			SelectorLoop loop = new SelectorLoop("sse-load-" + i, maxHandshakes / threads, connectsPerSecond / threads);
			this.loops.add(loop);
			loop.start();
		}
	}

	/**
	 * The loopback source addresses {@code 127.0.0.2} up to {@code 127.0.0.(count + 1)}.
	 * @param count how many, between 1 and 250
	 * @return the addresses
	 */
	public static List<InetAddress> loopbackSources(int count) {
		if (count < 1 || count > 250) {
			throw new IllegalArgumentException("count must be between 1 and 250: " + count);
		}
		List<InetAddress> addresses = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			try {
				addresses.add(InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) (i + 2) }));
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return addresses;
	}

	/**
	 * The counters and histograms of all connections.
	 * @return the statistics
	 */
	public LoadStats stats() {
		return this.stats;
	}

	/**
	 * Starts opening connections; {@link LoadStats#open()} rises as they send their request.
	 * @param count how many
	 * @param slow whether they stop reading once the response head is in (with a small receive
	 * buffer), like a stalled client
	 * @return the new connections
	 */
	public ConnectionGroup open(int count, boolean slow) {
		List<SseConnection> created = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int n = this.opened++;
			SelectorLoop loop = this.loops.get(n % this.loops.size());
			InetAddress source = this.sourceAddresses.get(n % this.sourceAddresses.size());
			InetSocketAddress server = this.servers.get(n % this.servers.size());
			created.add(new SseConnection(loop, this.stats, server, source, slow));
		}
		onOwningLoops(created, (loop, mine) -> {
			mine.forEach(loop::adopt);
			return 0L;
		});
		return new ConnectionGroup(created);
	}

	/**
	 * Waits until at least the given number of connections are open (request sent).
	 * @param count the number of open connections to wait for
	 * @param timeout the longest wait
	 * @return whether that many are open
	 */
	public boolean awaitOpen(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.stats.open() < count) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	/**
	 * Drops the group's connections at once and reopens them, each sending the last event id it
	 * saw as {@code Last-Event-ID}. {@link LoadStats#caughtUp()} counts those that then receive an
	 * event published after they reconnected.
	 * @param group the connections to reconnect
	 */
	public void reconnect(ConnectionGroup group) {
		onOwningLoops(group.connections(), (loop, mine) -> {
			for (SseConnection connection : mine) {
				connection.dropForReconnect();
				loop.enqueue(connection);
			}
			return 0L;
		});
	}

	/**
	 * Tells every connection which sequence number the next event should follow, e.g. the server's
	 * last one before it starts publishing, so that events lost at the start count as lost.
	 * @param sequence the sequence number
	 */
	public void expectAfter(long sequence) {
		onAllLoops((loop) -> {
			loop.connections().forEach((connection) -> connection.expectAfter(sequence));
			return 0L;
		});
	}

	/**
	 * Counts the events that open, reading connections have not received up to the given sequence
	 * number: loss at the end of a run, which gaps cannot show.
	 * @param lastSequence the server's last sequence number
	 * @return the events missing in total
	 */
	public long missingBefore(long lastSequence) {
		return onAllLoops((loop) -> {
			long missing = 0;
			for (SseConnection connection : loop.connections()) {
				SequenceTracker tracker = connection.tracker();
				if (connection.isOpen() && !connection.isSlow() && tracker.hasLast()
						&& tracker.last() < lastSequence) {
					missing += lastSequence - tracker.last();
				}
			}
			return missing;
		});
	}

	/**
	 * Aborts every connection (with a reset, leaving no TIME_WAIT behind) and forgets them.
	 * @return how many connections there were
	 */
	public long closeAll() {
		return onAllLoops((loop) -> (long) loop.abortAll());
	}

	/**
	 * Closes every connection at once and forgets them: normally (FIN, as a browser closing its
	 * tab) or with a reset.
	 * @param reset whether to reset the connections instead of closing them normally
	 * @return how many connections there were
	 */
	public long closeAll(boolean reset) {
		return onAllLoops((loop) -> (long) loop.closeAll(reset));
	}

	@Override
	public void close() {
		this.loops.forEach(SelectorLoop::shutdown);
	}

	private long onOwningLoops(List<SseConnection> connections,
			BiFunction<SelectorLoop, List<SseConnection>, Long> action) {
		Map<SelectorLoop, List<SseConnection>> byLoop = connections.stream()
			.collect(Collectors.groupingBy(SseConnection::loop));
		List<CompletableFuture<Long>> results = new ArrayList<>();
		byLoop.forEach((loop, mine) -> results.add(loop.call((self) -> action.apply(self, mine))));
		return sum(results);
	}

	private long onAllLoops(Function<SelectorLoop, Long> action) {
		List<CompletableFuture<Long>> results = new ArrayList<>();
		for (SelectorLoop loop : this.loops) {
			results.add(loop.call(action));
		}
		return sum(results);
	}

	private static long sum(List<CompletableFuture<Long>> results) {
		long total = 0;
		try {
			for (CompletableFuture<Long> result : results) {
				total += result.get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the selector threads", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Selector thread task failed", ex);
		}
		return total;
	}

}
