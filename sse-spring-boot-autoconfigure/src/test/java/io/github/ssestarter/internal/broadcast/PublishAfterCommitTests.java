package io.github.ssestarter.internal.broadcast;

import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Events published inside transactions of a real PostgreSQL, through Spring's transaction
 * management: delivered once the transaction commits, never when it rolls back, with the id
 * {@code publish} returned, and without later events overtaking them.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 with a {@code test} database that {@code postgres} may use
 * ({@code .ci/run} starts it); without it the test fails when the {@code CI} environment variable
 * is set, and is skipped otherwise. Run by the {@code with-postgresql} Surefire execution, whose
 * class path has JDBC.
 */
@SpringBootTest(classes = BroadcastTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test",
				"spring.datasource.username=postgres", "spring.datasource.password=",
				"spring.datasource.hikari.maximum-pool-size=4" })
class PublishAfterCommitTests {

	/** How long an event that must not come is waited for. */
	private static final Duration NOT_YET = Duration.ofMillis(300);

	private static final Duration PATIENCE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SseBroadcaster broadcaster;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	SseTestClient client;

	/** Makes topic names unique to the test run: with a shared log, topics outlive it. */
	private final String run = UUID.randomUUID().toString();

	@BeforeAll
	static void requirePostgresql() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 5432), 2000);
		}
		catch (java.io.IOException ex) {
			String ci = System.getenv("CI");
			if (ci != null && !ci.isBlank()) {
				fail("PostgreSQL is not running on 127.0.0.1:5432");
			}
			abort("PostgreSQL is not running on 127.0.0.1:5432");
		}
	}

	@BeforeEach
	void setUp() {
		this.client = new SseTestClient(this.port);
		this.jdbc.execute("create table if not exists sse_orders (id serial primary key, customer text not null)");
	}

	@Test
	void deliversAnEventPublishedInATransactionOnlyOnceItCommits() throws Exception {
		try (SseTestClient.Stream stream = this.client.open("/topics/" + topic("tx-commit"))) {
			String id = this.transactions.execute((status) -> {
				this.jdbc.update("insert into sse_orders (customer) values (?)", "Ada");
				String published = this.broadcaster.publish(topic("tx-commit"), "Ada's order");
				assertNothingYet(stream);
				return published;
			});
			assertThat(next(stream)).isEqualTo(new SseEvent("message", "Ada's order", id));
		}
	}

	@Test
	void neverDeliversAnEventWhoseTransactionRolledBack() throws Exception {
		try (SseTestClient.Stream stream = this.client.open("/topics/" + topic("tx-rollback"))) {
			this.transactions.executeWithoutResult((status) -> {
				this.jdbc.update("insert into sse_orders (customer) values (?)", "Grace");
				this.broadcaster.publish(topic("tx-rollback"), "Grace's order");
				status.setRollbackOnly();
			});
			assertThat(this.jdbc.queryForObject("select count(*) from sse_orders where customer = 'Grace'", Integer.class))
				.isZero();
			String after = this.broadcaster.publish(topic("tx-rollback"), "after");
			assertThat(next(stream)).isEqualTo(new SseEvent("message", "after", after));
		}
	}

	@Test
	void holdsBackLaterEventsUntilAnEarlierTransactionCommits() throws Exception {
		try (SseTestClient.Stream stream = this.client.open("/topics/" + topic("tx-order"))) {
			CountDownLatch published = new CountDownLatch(1);
			CountDownLatch mayCommit = new CountDownLatch(1);
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> this.transactions.execute((status) -> {
				String id = this.broadcaster.publish(topic("tx-order"), "first");
				published.countDown();
				await(mayCommit);
				return id;
			}));
			await(published);
			String second = this.broadcaster.publish(topic("tx-order"), "second");
			assertNothingYet(stream);
			// A client that connects meanwhile will not miss the held event either.
			try (SseTestClient.Stream late = this.client.open("/topics/" + topic("tx-order"))) {
				mayCommit.countDown();
				String firstId = first.get(10, TimeUnit.SECONDS);
				assertThat(next(stream)).isEqualTo(new SseEvent("message", "first", firstId));
				assertThat(next(stream)).isEqualTo(new SseEvent("message", "second", second));
				assertThat(next(late)).isEqualTo(new SseEvent("message", "first", firstId));
				assertThat(next(late)).isEqualTo(new SseEvent("message", "second", second));
			}
		}
	}

	@Test
	void publishesAtOnceThroughTheImmediateBroadcasterInsideATransaction() {
		try (SseTestClient.Stream stream = this.client.open("/topics/" + topic("tx-immediate"))) {
			this.transactions.executeWithoutResult((status) -> {
				String id = this.broadcaster.immediate().publish(topic("tx-immediate"), "progress");
				assertThat(next(stream)).isEqualTo(new SseEvent("message", "progress", id));
				status.setRollbackOnly();
			});
		}
	}

	@Test
	void publishesAsynchronouslyAtOnceThroughTheImmediateBroadcasterInsideATransaction() {
		try (SseTestClient.Stream stream = this.client.open("/topics/" + topic("tx-immediate-async"))) {
			this.transactions.executeWithoutResult((status) -> {
				String id = this.broadcaster.immediate()
					.publishAsync(topic("tx-immediate-async"), SseItem.of("progress"))
					.join();
				assertThat(next(stream)).isEqualTo(new SseEvent("message", "progress", id));
				status.setRollbackOnly();
			});
		}
	}

	private String topic(String name) {
		return name + "-" + this.run;
	}

	private static void assertNothingYet(SseTestClient.Stream stream) {
		assertThatExceptionOfType(InterruptedIOException.class).isThrownBy(() -> stream.nextWithin(NOT_YET));
	}

	private static SseEvent next(SseTestClient.Stream stream) {
		SseEvent event = assertTimeoutPreemptively(PATIENCE, stream::next);
		assertThat(event).isNotNull();
		return event;
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
