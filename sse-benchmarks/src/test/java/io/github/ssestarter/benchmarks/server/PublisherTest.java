package io.github.ssestarter.benchmarks.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ssestarter.benchmarks.protocol.EventPayload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PublisherTest {

	@Test
	void burstKeepsAtMostAThousandInFlightAndEndsWhenTheLastCompletes() throws Exception {
		PendingTopic topic = new PendingTopic();
		Publisher publisher = new Publisher(topic);
		assertThat(publisher.start(1_500, 0, 16)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> topic.pending.size() == Publisher.MAX_IN_FLIGHT);
		// and no more while none completes
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
			.until(() -> topic.pending.size() == Publisher.MAX_IN_FLIGHT);
		assertThat(topic.syncCalls.get()).isZero();
		assertThat(publisher.isRunning()).isTrue();
		assertThat(publisher.published()).isZero();

		// complete the first thousand backwards, refusing sequence numbers 10 and 20
		List<Pending> first = new ArrayList<>(topic.pending);
		for (int i = first.size() - 1; i >= 0; i--) {
			first.get(i).finish();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> topic.pending.size() == 1_500);
		assertThat(publisher.published()).isEqualTo(998);
		assertThat(publisher.failures()).isEqualTo(2);
		assertThat(publisher.lastSequence()).isEqualTo(1_000);
		assertThat(publisher.isRunning()).isTrue();

		// the last 500: the highest one completes first, and the run is not over before all have
		List<Pending> rest = new ArrayList<>(topic.pending.subList(1_000, 1_500));
		rest.get(499).finish();
		assertThat(publisher.lastSequence()).isEqualTo(1_500);
		for (int i = 0; i < 498; i++) {
			rest.get(i).finish();
		}
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(publisher::isRunning);
		assertThat(publisher.lastRunSeconds()).isNaN();
		rest.get(498).finish();
		await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isRunning());
		assertThat(publisher.published()).isEqualTo(1_498);
		assertThat(publisher.failures()).isEqualTo(2);
		assertThat(publisher.lastSequence()).isEqualTo(1_500);
		assertThat(publisher.lastRunSeconds()).isGreaterThanOrEqualTo(0.2);
	}

	@Test
	void highestAcceptedSequenceStaysWhenTheLastEventIsRefused() throws Exception {
		PendingTopic topic = new PendingTopic();
		topic.refused = 3;
		Publisher publisher = new Publisher(topic);
		publisher.start(3, 0, 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> topic.pending.size() == 3);
		topic.pending.forEach(Pending::finish);
		await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isRunning());
		assertThat(publisher.published()).isEqualTo(2);
		assertThat(publisher.failures()).isEqualTo(1);
		assertThat(publisher.lastSequence()).isEqualTo(2);
	}

	@Test
	void burstOnASynchronousTopicUsesItsPublishThroughTheDefaultMethod() throws Exception {
		SyncTopic topic = new SyncTopic(5);
		Publisher publisher = new Publisher(topic);
		publisher.start(2_500, 0, 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isRunning());
		assertThat(topic.calls.get()).isEqualTo(2_500);
		assertThat(publisher.published()).isEqualTo(2_499);
		assertThat(publisher.failures()).isEqualTo(1);
		assertThat(publisher.lastSequence()).isEqualTo(2_500);
		assertThat(publisher.lastRunSeconds()).isNotNaN();
	}

	@Test
	void aPublishAsyncThatThrowsCountsAsRefused() throws Exception {
		BenchmarkTopic topic = new SyncTopic(-1) {
			@Override
			public CompletableFuture<String> publishAsync(String data) {
				throw new IllegalStateException("full");
			}
		};
		Publisher publisher = new Publisher(topic);
		publisher.start(1_200, 0, 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isRunning());
		assertThat(publisher.published()).isZero();
		assertThat(publisher.failures()).isEqualTo(1_200);
		assertThat(publisher.lastSequence()).isZero();
	}

	@Test
	void fixedRateStaysSynchronous() throws Exception {
		PendingTopic topic = new PendingTopic();
		Publisher publisher = new Publisher(topic);
		publisher.start(5, 1_000, 16);
		await().atMost(Duration.ofSeconds(10)).until(() -> !publisher.isRunning());
		assertThat(topic.pending).isEmpty();
		assertThat(topic.syncCalls.get()).isEqualTo(5);
		assertThat(publisher.published()).isEqualTo(5);
		assertThat(publisher.lastSequence()).isEqualTo(5);
	}


	private record Pending(long sequence, CompletableFuture<String> future, boolean refuse) {

		void finish() {
			if (this.refuse) {
				this.future.completeExceptionally(new IllegalStateException("refused " + this.sequence));
			}
			else {
				this.future.complete("id-" + this.sequence);
			}
		}

	}

	/** Answers {@code publishAsync} with futures the test completes; refuses 10 and 20 by default. */
	private static class PendingTopic implements BenchmarkTopic {

		final List<Pending> pending = new CopyOnWriteArrayList<>();

		final AtomicInteger syncCalls = new AtomicInteger();

		volatile long refused = -1;

		@Override
		public String publish(String data) {
			this.syncCalls.incrementAndGet();
			return "id";
		}

		@Override
		public CompletableFuture<String> publishAsync(String data) {
			long sequence = EventPayload.sequence(data);
			boolean refuse = (this.refused > 0) ? sequence == this.refused : (sequence == 10 || sequence == 20);
			CompletableFuture<String> future = new CompletableFuture<>();
			this.pending.add(new Pending(sequence, future, refuse));
			return future;
		}

		@Override
		public int subscriberCount() {
			return 0;
		}

	}

	/** Publishes synchronously and keeps the default {@code publishAsync}; refuses one sequence number. */
	private static class SyncTopic implements BenchmarkTopic {

		final AtomicInteger calls = new AtomicInteger();

		private final long refused;

		SyncTopic(long refused) {
			this.refused = refused;
		}

		@Override
		public String publish(String data) {
			this.calls.incrementAndGet();
			if (EventPayload.sequence(data) == this.refused) {
				throw new IllegalStateException("refused");
			}
			return "id";
		}

		@Override
		public int subscriberCount() {
			return 0;
		}

	}

}
