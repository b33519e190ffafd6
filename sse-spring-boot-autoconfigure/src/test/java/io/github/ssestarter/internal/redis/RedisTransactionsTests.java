package io.github.ssestarter.internal.redis;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.internal.broadcast.SseBackplane;
import io.github.ssestarter.internal.broadcast.SseBackplaneEvent;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionTemplate;

import static io.github.ssestarter.internal.redis.RedisInstances.PATIENCE;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Events published inside transactions, with two instances sharing topics through Redis: every
 * instance delivers them only once their transaction commits, never when it rolls back, with the id
 * {@code publish} returned and without later events overtaking them; an event whose transaction
 * never completes is given up at its deadline. (With a real PostgreSQL, on one instance:
 * {@code PublishAfterCommitOnRedisTests}.)
 */
class RedisTransactionsTests {

	private static final Duration NOT_YET = Duration.ofMillis(300);

	private final RedisInstances instances = new RedisInstances();

	private final String topic = "tx-" + UUID.randomUUID();

	/** Transactions with no resource: what matters here is Spring's synchronization around them. */
	private final TransactionTemplate transactions = new TransactionTemplate(new ResourcelessTransactions());

	@AfterEach
	void stop() {
		this.instances.close();
	}

	@Test
	void deliversOnEveryInstanceOnlyOnceTheTransactionCommits() {
		Instance a = this.instances.start(6379);
		Instance b = this.instances.start(6379);
		try (SseTestClient.Stream onA = open(a); SseTestClient.Stream onB = open(b)) {
			String id = this.transactions.execute((status) -> {
				String published = a.broadcaster().publish(this.topic, "committed");
				assertNothingYet(onB);
				assertNothingYet(onA);
				return published;
			});
			assertThat(next(onB)).isEqualTo(new SseEvent("message", "committed", id));
			assertThat(next(onA)).isEqualTo(new SseEvent("message", "committed", id));
		}
	}

	@Test
	void neverDeliversOnAnyInstanceWhatARolledBackTransactionPublished() {
		Instance a = this.instances.start(6379);
		Instance b = this.instances.start(6379);
		try (SseTestClient.Stream onB = open(b)) {
			this.transactions.executeWithoutResult((status) -> {
				a.broadcaster().publish(this.topic, "rolled back");
				status.setRollbackOnly();
			});
			String after = a.broadcaster().publish(this.topic, "after");
			assertThat(next(onB)).isEqualTo(new SseEvent("message", "after", after));
		}
	}

	@Test
	void holdsBackLaterEventsFromAnyInstanceUntilAnEarlierTransactionCompletes() throws Exception {
		Instance a = this.instances.start(6379);
		Instance b = this.instances.start(6379);
		try (SseTestClient.Stream onB = open(b)) {
			CountDownLatch published = new CountDownLatch(1);
			CountDownLatch mayCommit = new CountDownLatch(1);
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> this.transactions.execute((status) -> {
				String id = a.broadcaster().publish(this.topic, "first");
				published.countDown();
				awaitLatch(mayCommit);
				return id;
			}));
			awaitLatch(published);
			String second = b.broadcaster().publish(this.topic, "second");
			assertNothingYet(onB);
			// A client that resumes from before the held event meanwhile waits for it too.
			try (SseTestClient.Stream late = b.client().open("/topics/" + this.topic)) {
				mayCommit.countDown();
				String firstId = first.get(10, TimeUnit.SECONDS);
				assertThat(next(onB)).isEqualTo(new SseEvent("message", "first", firstId));
				assertThat(next(onB)).isEqualTo(new SseEvent("message", "second", second));
				assertThat(next(late)).isEqualTo(new SseEvent("message", "first", firstId));
				assertThat(next(late)).isEqualTo(new SseEvent("message", "second", second));
			}
		}
	}

	@Test
	void givesUpAnEventWhoseTransactionNeverCompletesAtItsDeadline() {
		Instance a = this.instances.start(6379);
		SseBackplane log = a.context().getBean(SseBackplane.class);
		try (SseTestClient.Stream stream = open(a)) {
			// As a publisher that died inside its transaction leaves it: a place held, never filled.
			String held = log.append(this.topic, SseBackplaneEvent.held(Instant.now().plusSeconds(2)));
			String after = a.broadcaster().publish(this.topic, "after");
			assertNothingYet(stream);
			assertThat(next(stream)).isEqualTo(new SseEvent("message", "after", after));
			// Filled too late: not delivered.
			log.append(this.topic, new SseBackplaneEvent(null, null, "too late", null, null, null,
					Map.of()).filling(held));
			String later = a.broadcaster().publish(this.topic, "later");
			assertThat(next(stream)).isEqualTo(new SseEvent("message", "later", later));
		}
	}

	private SseTestClient.Stream open(Instance instance) {
		SseTestClient.Stream stream = instance.client().open("/topics/" + this.topic);
		await().atMost(PATIENCE).until(() -> instance.broadcaster().subscriberCount(this.topic) >= 1);
		return stream;
	}

	private static void assertNothingYet(SseTestClient.Stream stream) {
		assertThatExceptionOfType(InterruptedIOException.class).isThrownBy(() -> stream.nextWithin(NOT_YET));
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
