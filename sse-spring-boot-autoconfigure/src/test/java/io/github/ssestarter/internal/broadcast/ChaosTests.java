package io.github.ssestarter.internal.broadcast;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.Container;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Chaos over real HTTP: a thousand clients connect to one topic, drop their connections at random
 * moments and resume with the last id they saw, for a minute, while a publisher sends 200 events a
 * second, each carrying its sequence number. Every client must see, across all its connections,
 * every event from where it started to the last one published, once each and in order, and never a
 * reset; once they have all gone, no stream, subscriber, thread or non-zero gauge may be left.
 *
 * <p>Clients are non-blocking (the JDK client hands each response's bytes to the project's parser
 * on a few threads), so that a thousand of them cost no thousand threads on a two-core machine.
 * Each client draws its behaviour (when it first connects, how long each connection lives, how
 * long it stays away) from its own {@link Random}, seeded from the run's seed, which is printed
 * and named in every failure: rerun with {@code -Dsse.chaos.seed=<seed>}. The number of clients
 * and the length of the run can be changed with {@code -Dsse.chaos.clients} and
 * {@code -Dsse.chaos.seconds}.
 *
 * <p>The replay buffer holds the whole run and events never age out of it, so no reset is ever
 * legitimate. Subscribers may lag 20 s (4000 events) before the overflow policy, which has tests of
 * its own, ends their streams: with the default 256 (1.3 s), a shared machine's stall makes most
 * of the thousand overflow at once and reconnect together, again and again, and the run measures
 * that storm rather than the clients' own drops. The container shuts down without waiting for
 * requests: Tomcat sometimes leaves an asynchronous request counted as in progress after its
 * client reset the connection while the request was starting (plain {@code SseEmitter}s too),
 * which would hold a graceful shutdown for its whole timeout; the count is reported, not asserted.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.heartbeat=1s", "sse.replay.capacity=20000", "sse.replay.max-age=10m",
				"sse.subscriber.queue-capacity=4000", "server.shutdown=immediate" })
class ChaosTests {

	private static final String TOPIC = "chaos";

	private static final int CLIENTS = Integer.getInteger("sse.chaos.clients", 1000);

	private static final Duration CHAOS = Duration.ofSeconds(Long.getLong("sse.chaos.seconds", 60));

	private static final int EVENTS_PER_SECOND = 200;

	/** Clients first connect at random moments within this, so that they do not all knock at once. */
	private static final Duration RAMP_UP = Duration.ofSeconds(3);

	/** Longest the clients may take to receive the last event once publishing stopped. */
	private static final Duration CATCH_UP = Duration.ofSeconds(20);

	/** Longest the server may take, in all, to let go of everything once the clients have gone. */
	private static final Duration SETTLE = Duration.ofSeconds(15);

	/** Threads that may come and go meanwhile (the JVM's, Awaitility's), besides the server's lazily filled pools. */
	private static final int THREAD_SLACK = 4;

	@LocalServerPort
	int port;

	@Autowired
	DefaultSseBroadcaster broadcaster;

	@Autowired
	SseConnectionManager connections;

	@Autowired
	MeterRegistry registry;

	@Autowired
	WebServerApplicationContext context;

	@Test
	@Timeout(value = 110, unit = TimeUnit.SECONDS)
	void everyClientGetsEveryEventOnceAndInOrderWhileClientsDropAndResumeAtRandom() throws Exception {
		long seed = Long.getLong("sse.chaos.seed", ThreadLocalRandom.current().nextLong());
		String rerun = "seed " + seed + " (rerun with -Dsse.chaos.seed=" + seed + ")";
		System.out.println("ChaosTests: " + CLIENTS + " clients for " + CHAOS.toSeconds() + " s on Java "
				+ Runtime.version() + ", " + rerun);
		Map<String, Integer> threadsBefore = threadsByKind();
		int sseThreadsBefore = sseThreads(threadsBefore);
		long started = System.nanoTime();

		Run run = new Run(URI.create("http://127.0.0.1:" + this.port + "/topics/" + TOPIC));
		Random seeds = new Random(seed);
		List<ChaosClient> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(new ChaosClient(i, run, new Random(seeds.nextLong())));
		}
		Publisher publisher = new Publisher(this.broadcaster);
		List<String> undone = List.of();
		long published;
		long caughtUpMillis;
		try {
			publisher.start();
			clients.forEach(ChaosClient::start);
			ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(named("chaos-progress"));
			progress.scheduleAtFixedRate(() -> System.out.println("ChaosTests: " + elapsed(started) + " s, published "
					+ publisher.published() + ", streams open " + this.connections.openConnections() + ", subscribers "
					+ this.broadcaster.subscriberCount(TOPIC) + ", received " + sum(clients, (c) -> c.received)
					+ ", resumes " + sum(clients, (c) -> c.resumes) + ", process cpu " + cpuPercent() + "%"), 10, 10,
					TimeUnit.SECONDS);
			try {
				published = publisher.finished().get(CHAOS.toSeconds() + 30, TimeUnit.SECONDS);
			}
			finally {
				progress.shutdownNow();
			}
			System.out.println("ChaosTests: cpu seconds by thread kind " + cpuByKind());
			// From here on clients stop dropping, and each leaves once it has the last event.
			run.drain(published);
			clients.forEach(ChaosClient::finishIfCaughtUp);
			long drainStarted = System.nanoTime();
			try {
				await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100))
					.until(() -> clients.stream().allMatch(ChaosClient::isDone));
			}
			catch (ConditionTimeoutException ex) {
				undone = clients.stream().filter((c) -> !c.isDone()).map(ChaosClient::describe).toList();
			}
			caughtUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStarted);
		}
		finally {
			publisher.stop();
			clients.forEach(ChaosClient::leave);
			run.close();
		}

		System.out.println("ChaosTests: published " + published + " events in " + CHAOS.toSeconds()
				+ " s; clients caught up " + caughtUpMillis + " ms after the last one; " + summary(clients));
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(undone).as("clients that never received the last event (%s)", rerun).isEmpty();
		softly.assertThat(sum(clients, (c) -> c.lost)).as("events lost (%s): %s", rerun, notes(clients)).isZero();
		softly.assertThat(sum(clients, (c) -> c.duplicated))
			.as("events duplicated (%s): %s", rerun, notes(clients))
			.isZero();
		softly.assertThat(sum(clients, (c) -> c.outOfOrder))
			.as("events out of order (%s): %s", rerun, notes(clients))
			.isZero();
		softly.assertThat(sum(clients, (c) -> c.resets)).as("reset events (%s): %s", rerun, notes(clients)).isZero();
		softly.assertThat(sum(clients, (c) -> c.idMismatches))
			.as("events whose id names another sequence than their data (%s): %s", rerun, notes(clients))
			.isZero();
		softly.assertThat(sum(clients, (c) -> c.unexpected))
			.as("unexpected frames or responses (%s): %s", rerun, notes(clients))
			.isZero();
		for (ChaosClient client : clients) {
			if (client.isDone()) {
				// Contiguous from its start to the last event: exactly 1..N of what it was there for.
				softly.assertThat(client.received)
					.as("events received by client %d, which started after event %d (%s)", client.number, client.start,
							rerun)
					.isEqualTo(published - client.start)
					.isPositive();
			}
		}
		softly.assertThat(sum(clients, (c) -> c.resumes)).as("resumptions").isGreaterThan(CLIENTS);
		softly.assertThat(replays("reset")).as("resets counted by the server (%s)", rerun).isZero();

		// Every client has gone: the server must let go of everything it held for them.
		long settleBy = System.nanoTime() + SETTLE.toNanos();
		eventually(softly, settleBy, "no stream left open", () -> this.connections.openConnections() == 0,
				() -> "open: " + this.connections.openConnectionsByEndpoint());
		eventually(softly, settleBy, "no subscriber left on the topic", () -> this.broadcaster.subscriberCount(TOPIC) == 0,
				() -> "subscribers: " + this.broadcaster.subscriberCount(TOPIC));
		eventually(softly, settleBy, "every sse.connections.active gauge back to 0", () -> activeGauges().values()
			.stream()
			.allMatch((value) -> value == 0), () -> "gauges: " + activeGauges());
		int dispatchers = Math.max(2, Runtime.getRuntime().availableProcessors());
		// The dispatcher, closer and timer pools start their threads lazily: after the baseline, maybe.
		int lazyPools = dispatchers + 2 + 1;
		eventually(softly, settleBy, "no sse- thread left behind",
				() -> sseThreads(threadsByKind()) <= sseThreadsBefore + lazyPools,
				() -> "before: " + threadsBefore + ", now: " + threadsByKind());
		eventually(softly, settleBy, "live threads back to the baseline",
				() -> total(threadsByKind()) <= total(threadsBefore) + lazyPools + THREAD_SLACK,
				() -> "before: " + threadsBefore + ", now: " + threadsByKind());
		System.out.println("ChaosTests: done in " + elapsed(started) + " s; container: " + containerFigures()
				+ "; server: " + serverFigures()
				+ "; threads before " + threadsBefore + ", after " + threadsByKind());
		softly.assertAll();
	}

	/** Waits for the condition until the deadline (or once, briefly, if that has passed). */
	private static void eventually(SoftAssertions softly, long deadlineNanos, String what, BooleanSupplier condition,
			Supplier<String> state) {
		Duration wait = Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200)));
		try {
			await().atMost(wait).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
		}
		catch (ConditionTimeoutException ex) {
			softly.fail(what + " within " + SETTLE.toSeconds() + " s; " + state.get());
		}
	}

	/** What Tomcat still holds; nothing on another container. */
	private String containerFigures() {
		Object server = this.context.getWebServer();
		return server.getClass().getName().equals("org.springframework.boot.tomcat.TomcatWebServer")
				? TomcatFigures.of(server) : server.getClass().getSimpleName();
	}

	private Map<String, Double> activeGauges() {
		Map<String, Double> values = new TreeMap<>();
		for (Gauge gauge : this.registry.find("sse.connections.active").gauges()) {
			values.put(gauge.getId().getTags().toString(), gauge.value());
		}
		return values;
	}

	private double replays(String outcome) {
		Counter counter = this.registry.find("sse.replay").tag("topic", TOPIC).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private String serverFigures() {
		Map<String, Object> figures = new TreeMap<>();
		for (Counter counter : this.registry.find("sse.connections").counters()) {
			figures.put("streams ended " + counter.getId().getTag("outcome"), (long) counter.count());
		}
		for (String name : List.of("sse.events.published", "sse.events.delivered", "sse.events.replayed")) {
			Counter counter = this.registry.find(name).tag("topic", TOPIC).counter();
			figures.put(name, (counter != null) ? (long) counter.count() : 0);
		}
		for (Counter counter : this.registry.find("sse.events.dropped").counters()) {
			figures.put("dropped " + counter.getId().getTag("reason"), (long) counter.count());
		}
		figures.put("resumptions recovered", (long) replays("recovered"));
		figures.put("resumptions reset", (long) replays("reset"));
		return figures.toString();
	}

	private static String summary(List<ChaosClient> clients) {
		return "clients: connections " + sum(clients, (c) -> c.connections) + ", resumes " + sum(clients, (c) -> c.resumes)
				+ ", drops " + sum(clients, (c) -> c.drops) + ", streams the server ended "
				+ sum(clients, (c) -> c.serverEnded) + ", failed attempts " + sum(clients, (c) -> c.failedAttempts)
				+ ", events received " + sum(clients, (c) -> c.received) + " (most by one client "
				+ clients.stream().mapToLong((c) -> c.received).max().orElse(0) + ", fewest "
				+ clients.stream().mapToLong((c) -> c.received).min().orElse(0) + "), heartbeats "
				+ sum(clients, (c) -> c.heartbeats) + ", lost " + sum(clients, (c) -> c.lost) + ", duplicated "
				+ sum(clients, (c) -> c.duplicated) + ", out of order " + sum(clients, (c) -> c.outOfOrder) + ", resets "
				+ sum(clients, (c) -> c.resets);
	}

	private static String notes(List<ChaosClient> clients) {
		return clients.stream().flatMap((c) -> c.notes().stream()).limit(30).collect(Collectors.joining("\n  ", "\n  ", ""));
	}

	private static long sum(List<ChaosClient> clients, ToLongFunction<ChaosClient> figure) {
		long total = 0;
		for (ChaosClient client : clients) {
			synchronized (client) {
				total += figure.applyAsLong(client);
			}
		}
		return total;
	}

	/** CPU seconds used so far by the live threads, by kind, busiest first. */
	private static String cpuByKind() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<String, Long> kinds = new TreeMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			long nanos = threads.getThreadCpuTime(thread.getId());
			if (nanos > 0) {
				kinds.merge(thread.getName().replaceAll("[0-9]+", "#"), nanos, Long::sum);
			}
		}
		return kinds.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(8)
			.map((kind) -> kind.getKey() + "=" + TimeUnit.NANOSECONDS.toMillis(kind.getValue()) / 1000.0)
			.collect(Collectors.joining(", ", "{", "}"));
	}

	/** This process's share of the machine's processors, since the last call. */
	private static long cpuPercent() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return Math.round(os.getProcessCpuLoad() * 100);
		}
		return -1;
	}

	private static long elapsed(long startedNanos) {
		return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
	}

	/**
	 * Live threads counted by kind (name with its numbers replaced by {@code #}), leaving out the
	 * ones whose pools keep them idle beyond any bounded wait by design: the container's request
	 * workers (Tomcat's and Jetty's, idle for 60 s) and the common fork-join pool's; and the JDK
	 * HTTP client's selector, which on Java 17 ends only when the client is garbage-collected.
	 */
	private static Map<String, Integer> threadsByKind() {
		Map<String, Integer> kinds = new TreeMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			String name = thread.getName();
			if (!thread.isAlive() || (name.startsWith("http-nio-") && name.contains("-exec-")) || name.startsWith("qtp")
					|| name.startsWith("ForkJoinPool.commonPool-worker-")
					|| (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager"))) {
				continue;
			}
			kinds.merge(name.replaceAll("[0-9]+", "#"), 1, Integer::sum);
		}
		return kinds;
	}

	private static int total(Map<String, Integer> kinds) {
		return kinds.values().stream().mapToInt(Integer::intValue).sum();
	}

	private static int sseThreads(Map<String, Integer> kinds) {
		return kinds.entrySet()
			.stream()
			.filter((kind) -> kind.getKey().startsWith("sse-"))
			.mapToInt(Map.Entry::getValue)
			.sum();
	}

	private static ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static long sequenceOf(String id) {
		return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
	}

	/** Tomcat's own counts, in a class of their own so that the test runs on other containers too. */
	private static final class TomcatFigures {

		static String of(Object webServer) {
			Tomcat tomcat = ((TomcatWebServer) webServer).getTomcat();
			long inProgress = 0;
			for (Container context : tomcat.getHost().findChildren()) {
				inProgress += ((StandardContext) context).getInProgressAsyncCount();
			}
			long connections = ((AbstractProtocol<?>) tomcat.getConnector().getProtocolHandler()).getConnectionCount();
			// Requests its graceful shutdown would wait for.
			return "connections " + connections + ", asynchronous requests in progress " + inProgress;
		}

	}

	/** Publishes 1, 2, 3... to the topic, 200 a second, for the length of the run. */
	private static final class Publisher {

		private final DefaultSseBroadcaster broadcaster;

		private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("chaos-publisher"));

		private final CompletableFuture<Long> finished = new CompletableFuture<>();

		private final AtomicLong published = new AtomicLong();

		private final long total = CHAOS.toSeconds() * EVENTS_PER_SECOND;

		private long startedNanos;

		Publisher(DefaultSseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		void start() {
			this.startedNanos = System.nanoTime();
			this.timer.scheduleAtFixedRate(this::publishDue, 0, 1000 / EVENTS_PER_SECOND, TimeUnit.MILLISECONDS);
		}

		/** Catches up with the clock, so that a late tick does not slow the rate down. */
		private void publishDue() {
			if (this.finished.isDone()) {
				return;
			}
			try {
				long due = Math.min(this.total,
						(System.nanoTime() - this.startedNanos) * EVENTS_PER_SECOND / TimeUnit.SECONDS.toNanos(1) + 1);
				for (long next = this.published.get() + 1; next <= due; next++) {
					String id = this.broadcaster.publish(TOPIC, Long.toString(next));
					if (sequenceOf(id) != next) {
						throw new IllegalStateException("Event " + next + " was given id " + id);
					}
					this.published.set(next);
				}
				if (this.published.get() == this.total) {
					this.finished.complete(this.total);
				}
			}
			catch (RuntimeException ex) {
				this.finished.completeExceptionally(ex);
			}
		}

		long published() {
			return this.published.get();
		}

		CompletableFuture<Long> finished() {
			return this.finished;
		}

		void stop() throws InterruptedException {
			this.timer.shutdownNow();
			this.timer.awaitTermination(5, TimeUnit.SECONDS);
		}

	}

	/** What the clients share: one HTTP client, the timers, and the phase of the run. */
	private static final class Run {

		final URI uri;

		final ExecutorService httpThreads = Executors.newFixedThreadPool(4, named("chaos-http"));

		final HttpClient http;

		final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, named("chaos-timer"));

		/** The last event published, once publishing has stopped; -1 before. */
		private volatile long last = -1;

		Run(URI uri) {
			this.uri = uri;
			this.http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(10))
				.executor(this.httpThreads)
				.build();
		}

		void drain(long lastPublished) {
			this.last = lastPublished;
		}

		boolean draining() {
			return this.last >= 0;
		}

		long last() {
			return this.last;
		}

		void schedule(Runnable task, long delayMillis) {
			try {
				this.timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// The run is over.
			}
		}

		void close() throws Exception {
			this.timers.shutdownNow();
			this.timers.awaitTermination(5, TimeUnit.SECONDS);
			// Java 21's HttpClient.shutdownNow(), reached reflectively from Java 17 code.
			try {
				Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
				shutdownNow.invoke(this.http);
				HttpClient.class.getMethod("awaitTermination", Duration.class).invoke(this.http, Duration.ofSeconds(5));
			}
			catch (NoSuchMethodException ex) {
				// Java 17: the client's selector thread ends when the client is collected.
			}
			this.httpThreads.shutdownNow();
			this.httpThreads.awaitTermination(5, TimeUnit.SECONDS);
		}

	}

	/**
	 * One client, like a browser's {@code EventSource}: it resumes each new connection with the
	 * last event id it saw, and checks that the events it gets, across all its connections, are
	 * exactly every event after the one it started after. Its state is guarded by its monitor.
	 */
	private static final class ChaosClient {

		final int number;

		private final Run run;

		private final Random random;

		private @Nullable Connection current;

		private @Nullable String lastId;

		/** Sequence the client started after (the id its first stream opened with), -1 until known. */
		long start = -1;

		/** Sequence of the newest event received, or of the start. */
		private long last = -1;

		private boolean done;

		long received;

		long connections;

		long resumes;

		long drops;

		long serverEnded;

		long failedAttempts;

		long heartbeats;

		long lost;

		long duplicated;

		long outOfOrder;

		long resets;

		long idMismatches;

		long unexpected;

		private final List<String> notes = new ArrayList<>();

		ChaosClient(int number, Run run, Random random) {
			this.number = number;
			this.run = run;
			this.random = random;
		}

		synchronized void start() {
			this.run.schedule(this::connect, this.random.nextInt((int) RAMP_UP.toMillis()));
		}

		void connect() {
			Connection connection;
			synchronized (this) {
				if (this.done) {
					return;
				}
				if (this.run.draining() && this.last == this.run.last()) {
					finish();
					return;
				}
				connection = new Connection(this.lastId, lifetimeMillis());
				this.current = connection;
				this.connections++;
				if (this.lastId != null) {
					this.resumes++;
				}
				if (connection.lifetime < 0) {
					this.run.schedule(() -> drop(connection), -connection.lifetime);
				}
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(this.run.uri)
				.timeout(Duration.ofSeconds(20))
				.header("Accept", "text/event-stream");
			if (connection.resumedFrom != null) {
				request.header("Last-Event-ID", connection.resumedFrom);
			}
			this.run.http.sendAsync(request.build(), connection).whenComplete((response, failure) -> {
				if (failure != null) {
					ended(connection, "failed: " + failure, true);
				}
				else if (response.statusCode() != 200) {
					synchronized (this) {
						this.unexpected++;
						note("status " + response.statusCode() + " resuming from " + connection.resumedFrom);
					}
					ended(connection, "status " + response.statusCode(), true);
				}
			});
		}

		/**
		 * How long the next connection lives once its stream has opened: mostly 2 to 12 s; one in ten
		 * is dropped within 300 ms, often while it is still being replayed what it missed; and one in
		 * twenty is dropped within 100 ms of sending its request, perhaps before the server answered
		 * (as a negative number: counted from the request).
		 */
		private long lifetimeMillis() {
			int draw = this.random.nextInt(100);
			if (draw < 5) {
				return -1 - this.random.nextInt(100);
			}
			return (draw < 15) ? this.random.nextInt(300) : 2000 + this.random.nextInt(10_000);
		}

		/** Closes the connection at a random moment, and comes back after a random absence. */
		private void drop(Connection connection) {
			long away;
			synchronized (this) {
				if (connection != this.current || connection.over || this.done || this.run.draining()) {
					return;
				}
				connection.over = true;
				this.current = null;
				this.drops++;
				away = this.random.nextInt(1000);
			}
			connection.cancel();
			this.run.schedule(this::connect, away);
		}

		/** The server ended the stream, or it failed: reconnect, as a browser would. */
		private void ended(Connection connection, String why, boolean failure) {
			synchronized (this) {
				if (connection.over || this.done) {
					return;
				}
				connection.over = true;
				if (this.current == connection) {
					this.current = null;
				}
				if (failure) {
					this.failedAttempts++;
					note(why);
				}
				else {
					this.serverEnded++;
				}
			}
			connection.cancel();
			this.run.schedule(this::connect, 200 + this.randomDelay());
		}

		private synchronized int randomDelay() {
			return this.random.nextInt(800);
		}

		void finishIfCaughtUp() {
			synchronized (this) {
				if (this.done || this.last != this.run.last()) {
					return;
				}
			}
			finish();
		}

		/** Leaves for good once it has the last event. */
		private void finish() {
			Connection connection;
			synchronized (this) {
				this.done = true;
				connection = this.current;
				this.current = null;
				if (connection != null) {
					connection.over = true;
				}
			}
			if (connection != null) {
				connection.cancel();
			}
		}

		/** Closes whatever is open, at the end of the run, caught up or not. */
		void leave() {
			Connection connection;
			synchronized (this) {
				connection = this.current;
				this.current = null;
				if (connection != null) {
					connection.over = true;
				}
				if (!this.done) {
					this.done = this.last == this.run.last();
				}
			}
			if (connection != null) {
				connection.cancel();
			}
		}

		synchronized boolean isDone() {
			return this.done;
		}

		synchronized List<String> notes() {
			return List.copyOf(this.notes);
		}

		synchronized String describe() {
			return "client " + this.number + ": started after " + this.start + ", last " + this.last + " ("
					+ this.lastId + "), connected " + (this.current != null) + ", " + this.connections + " connections";
		}

		private void note(String what) {
			if (this.notes.size() < 5) {
				this.notes.add("client " + this.number + ": " + what);
			}
		}

		/** The first stream of a client without an id opens with an id-only frame: its starting point. */
		private void idOnly(Connection connection, String id) {
			if (connection.resumedFrom == null && this.lastId == null) {
				this.lastId = id;
				this.start = sequenceOf(id);
				this.last = this.start;
				finishIfLast(connection);
			}
			else {
				this.unexpected++;
				note("id-only frame " + id + " on a stream resumed from " + connection.resumedFrom);
			}
		}

		private void event(Connection connection, SseEvent event) {
			if (!"message".equals(event.eventType())) {
				if ("reset".equals(event.eventType())) {
					this.resets++;
				}
				else {
					this.unexpected++;
				}
				note(event + " on a stream resumed from " + connection.resumedFrom);
				this.lastId = event.lastEventId();
				this.last = Math.max(this.last, sequenceOf(event.lastEventId()));
				return;
			}
			long sequence = Long.parseLong(event.data());
			if (sequenceOf(event.lastEventId()) != sequence) {
				this.idMismatches++;
				note(event + " has the id of another event");
			}
			if (this.last < 0) {
				this.unexpected++;
				note(event + " before the stream's id-only frame");
				this.start = sequence - 1;
				this.last = sequence;
			}
			else if (sequence == this.last + 1) {
				this.last = sequence;
			}
			else if (sequence > this.last + 1) {
				this.lost += sequence - this.last - 1;
				note("got " + sequence + " after " + this.last + " on a stream resumed from " + connection.resumedFrom);
				this.last = sequence;
			}
			else if (sequence > this.start) {
				this.duplicated++;
				note("got " + sequence + " again after " + this.last + " on a stream resumed from "
						+ connection.resumedFrom);
			}
			else {
				this.outOfOrder++;
				note("got " + sequence + ", from before its start " + this.start + ", after " + this.last);
			}
			this.received++;
			this.lastId = event.lastEventId();
			finishIfLast(connection);
		}

		/** Leaves once publishing has stopped and the last event is in. */
		private void finishIfLast(Connection connection) {
			if (this.run.draining() && this.last == this.run.last()) {
				this.done = true;
				this.current = null;
				connection.over = true;
				// Cancelled by the connection once it has handed over these bytes.
				connection.cancelAfterFeed = true;
			}
		}

		/**
		 * One HTTP connection of the client: the response's bytes go, line by line, to a parser,
		 * so that the id-only frame that opens a stream is seen for what it is.
		 */
		private final class Connection
				implements HttpResponse.BodyHandler<Void>, HttpResponse.BodySubscriber<Void>, SseParser.Listener {

			final @Nullable String resumedFrom;

			/** Milliseconds the stream lives once open; negative: counted from the request instead. */
			final long lifetime;

			private final SseParser parser = new SseParser(this);

			private final byte[] chunk = new byte[8192];

			private Flow.@Nullable Subscription subscription;

			/** Whether the client is done with this connection; guarded by the client. */
			boolean over;

			boolean cancelAfterFeed;

			private boolean dispatched;

			private String parserId = "";

			Connection(@Nullable String resumedFrom, long lifetime) {
				this.resumedFrom = resumedFrom;
				this.lifetime = lifetime;
			}

			@Override
			public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
				return (info.statusCode() == 200) ? this : HttpResponse.BodySubscribers.discarding();
			}

			@Override
			public CompletionStage<Void> getBody() {
				return CompletableFuture.completedFuture(null);
			}

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				boolean cancelled;
				synchronized (ChaosClient.this) {
					this.subscription = subscription;
					cancelled = this.over;
				}
				if (cancelled) {
					subscription.cancel();
				}
				else {
					if (this.lifetime >= 0) {
						ChaosClient.this.run.schedule(() -> drop(this), this.lifetime);
					}
					subscription.request(1);
				}
			}

			@Override
			public void onNext(List<ByteBuffer> buffers) {
				boolean cancel;
				synchronized (ChaosClient.this) {
					if (!this.over) {
						try {
							for (ByteBuffer buffer : buffers) {
								feed(buffer);
							}
						}
						catch (RuntimeException ex) {
							ChaosClient.this.unexpected++;
							note("unreadable stream: " + ex);
						}
					}
					cancel = this.over;
				}
				Flow.Subscription subscription = this.subscription;
				if (subscription != null) {
					if (cancel) {
						subscription.cancel();
					}
					else {
						subscription.request(1);
					}
				}
			}

			private void feed(ByteBuffer buffer) {
				while (buffer.hasRemaining() && !this.cancelAfterFeed) {
					int length = Math.min(buffer.remaining(), this.chunk.length);
					buffer.get(this.chunk, 0, length);
					int from = 0;
					for (int i = 0; i < length && !this.cancelAfterFeed; i++) {
						if (this.chunk[i] == '\n') {
							this.parser.feed(this.chunk, from, i + 1 - from);
							afterLine();
							from = i + 1;
						}
					}
					if (from < length && !this.cancelAfterFeed) {
						this.parser.feed(this.chunk, from, length - from);
					}
				}
			}

			private void afterLine() {
				String id = this.parser.lastEventId();
				if (!this.dispatched && !id.equals(this.parserId)) {
					idOnly(this, id);
				}
				this.parserId = id;
				this.dispatched = false;
			}

			@Override
			public void onEvent(SseEvent event) {
				this.dispatched = true;
				event(this, event);
			}

			@Override
			public void onComment(String comment) {
				ChaosClient.this.heartbeats++;
			}

			@Override
			public void onError(Throwable failure) {
				ended(this, "stream failed: " + failure, true);
			}

			@Override
			public void onComplete() {
				ended(this, "stream ended by the server", false);
			}

			void cancel() {
				Flow.Subscription subscription;
				synchronized (ChaosClient.this) {
					subscription = this.subscription;
				}
				if (subscription != null) {
					subscription.cancel();
				}
			}

		}

	}

}
