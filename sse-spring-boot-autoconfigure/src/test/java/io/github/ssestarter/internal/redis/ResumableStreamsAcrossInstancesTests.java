package io.github.ssestarter.internal.redis;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.stream.IntStream;

import io.github.ssestarter.TestUserFilter;
import io.github.ssestarter.internal.redis.RedisInstances.Instance;
import io.github.ssestarter.internal.redis.ResumableRedisTestApplication.Sources;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static io.github.ssestarter.internal.redis.RedisInstances.PATIENCE;
import static io.github.ssestarter.internal.redis.RedisInstances.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Resumable streams over Redis, with two instances over real HTTP: a client that reconnects to the
 * instance that did not start its stream resumes there, while the source runs where it started.
 */
class ResumableStreamsAcrossInstancesTests {

	private final RedisInstances instances = new RedisInstances();

	@AfterEach
	void stop() {
		this.instances.close();
	}

	@Test
	void resumesOnAnotherInstanceWhileTheSourceRunsWhereItStarted() {
		Instance a = start();
		Instance b = start();
		String lastId;
		try (SseTestClient.Stream stream = a.client().open("/queued/answer")) {
			queue(a, "answer").add("first");
			queue(a, "answer").add("second");
			assertThat(next(stream).data()).isEqualTo("first");
			assertThat(next(stream).data()).isEqualTo("second");
			lastId = stream.lastEventId();
		}
		queue(a, "answer").add("while away");
		try (SseTestClient.Stream stream = b.client().open("/queued/answer", "Last-Event-ID", lastId)) {
			assertThat(stream.status()).isEqualTo(200);
			SseEvent missed = next(stream);
			assertThat(missed.data()).isEqualTo("while away");
			assertThat(missed.lastEventId()).isEqualTo(keyOf(lastId) + "3");
			queue(a, "answer").add("live");
			assertThat(next(stream).data()).isEqualTo("live");
			queue(a, "answer").add("end");
			assertThat(stream.readAll(PATIENCE)).isEmpty();
			lastId = stream.lastEventId();
		}
		assertThat(sources(a).started).hasValue(1);
		assertThat(sources(b).started).hasValue(0);
		// The client has everything: either instance tells it so.
		assertThat(status(b, "/queued/answer", lastId)).isEqualTo(204);
		assertThat(status(a, "/queued/answer", lastId)).isEqualTo(204);
	}

	@Test
	void resumesOnAnotherInstanceFromTheIdOfAStreamThatHasNoEventYet() {
		Instance a = start();
		Instance b = start();
		String firstId;
		try (SseTestClient.Stream stream = a.client().open("/queued/slow")) {
			await().atMost(PATIENCE).until(() -> sources(a).started.get() == 1);
			firstId = assertTimeoutPreemptively(PATIENCE, () -> {
				// The id-only first event sets the id without being an event.
				while (stream.lastEventId() == null || stream.lastEventId().isEmpty()) {
					try {
						stream.nextWithin(Duration.ofMillis(100));
					}
					catch (InterruptedIOException ex) {
						// Nothing yet.
					}
				}
				return stream.lastEventId();
			});
		}
		assertThat(firstId).endsWith("-0");
		try (SseTestClient.Stream stream = b.client().open("/queued/slow", "Last-Event-ID", firstId)) {
			queue(a, "slow").add("at last");
			assertThat(next(stream).data()).isEqualTo("at last");
		}
		assertThat(sources(b).started).hasValue(0);
	}

	@Test
	void keepsTheSourceGoingAndUnheldWhileItsOnlyClientIsOnAnotherInstance() {
		// Forty events kept: the source may run twenty ahead of its client, wherever that client is.
		Instance a = start("--sse.resume.capacity=40");
		Instance b = start("--sse.resume.capacity=40");
		String lastId;
		try (SseTestClient.Stream stream = a.client().open("/numbers?count=300")) {
			lastId = next(stream).lastEventId();
		}
		List<String> data = new ArrayList<>();
		data.add("0");
		// 300 events take six seconds or more, three times the window: without the reports of the
		// client on B, the source on A would be cancelled, or held twenty events ahead of a client it
		// cannot see.
		try (SseTestClient.Stream stream = b.client().open("/numbers?count=300", "Last-Event-ID", lastId)) {
			stream.readAll(PATIENCE).forEach((event) -> data.add(event.data()));
		}
		assertThat(data).containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(Integer::toString).toList());
		assertThat(sources(a).cancelled).hasValue(0);
		assertThat(sources(b).started).hasValue(0);
	}

	@Test
	void aStreamThatEndedStaysResumableOnEveryInstanceUntilItsWindowEnds() {
		Instance a = start();
		Instance b = start();
		String lastId;
		String beforeLast;
		try (SseTestClient.Stream stream = a.client().open("/numbers?count=3")) {
			List<SseEvent> events = stream.readAll(PATIENCE);
			beforeLast = events.get(1).lastEventId();
			lastId = events.get(2).lastEventId();
		}
		assertThat(status(b, "/numbers?count=3", lastId)).isEqualTo(204);
		try (SseTestClient.Stream stream = b.client().open("/numbers?count=3", "Last-Event-ID", beforeLast)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("2");
		}
		assertThat(sources(b).started).hasValue(0);
		String key = lastId.substring(0, lastId.lastIndexOf('-'));
		StringRedisTemplate redis = a.context().getBean(StringRedisTemplate.class);
		// Window (two seconds) over: the stream and its log are gone, and the method runs again.
		await().atMost(PATIENCE).until(() -> !Boolean.TRUE.equals(redis.hasKey("sse:stream:" + key)));
		try (SseTestClient.Stream stream = b.client().open("/numbers?count=3", "Last-Event-ID", lastId)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("0", "1", "2");
		}
		assertThat(sources(b).started).hasValue(1);
	}

	@Test
	void endsTheStreamOnOtherInstancesWhenTheInstanceRunningItsSourceStops() {
		Instance a = start();
		Instance b = start();
		String lastId;
		try (SseTestClient.Stream stream = a.client().open("/queued/stopping")) {
			queue(a, "stopping").add("before");
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream stream = b.client().open("/queued/stopping", "Last-Event-ID", lastId)) {
			queue(a, "stopping").add("on b");
			assertThat(next(stream).data()).isEqualTo("on b");
			lastId = stream.lastEventId();
			a.context().close();
			// The source is gone: the client's connection ends, and it starts afresh.
			assertThat(stream.readAll(PATIENCE)).isEmpty();
		}
		try (SseTestClient.Stream stream = b.client().open("/queued/stopping", "Last-Event-ID", lastId)) {
			await().atMost(PATIENCE).until(() -> sources(b).started.get() == 1);
			queue(b, "stopping").add("anew");
			assertThat(next(stream).data()).isEqualTo("anew");
		}
	}

	@Test
	void neverResumesAnotherUsersStreamOnAnotherInstance() {
		Instance a = start();
		Instance b = start();
		String alicesId;
		try (SseTestClient.Stream stream = a.client().open("/queued/secret", TestUserFilter.HEADER, "alice")) {
			queue(a, "secret").add("for alice");
			alicesId = next(stream).lastEventId();
		}
		queue(a, "secret").add("also for alice");
		try (SseTestClient.Stream stream = b.client().open("/queued/secret", TestUserFilter.HEADER, "bob",
				"Last-Event-ID", alicesId)) {
			// Bob gets a stream of his own, started on B, which gives nothing of alice's.
			await().atMost(PATIENCE).until(() -> sources(b).started.get() == 1);
			queue(b, "secret").add("for bob");
			SseEvent event = next(stream);
			assertThat(event.data()).isEqualTo("for bob");
			assertThat(keyOf(event.lastEventId())).isNotEqualTo(keyOf(alicesId));
		}
		try (SseTestClient.Stream stream = b.client().open("/queued/secret", TestUserFilter.HEADER, "alice",
				"Last-Event-ID", alicesId)) {
			assertThat(next(stream).data()).isEqualTo("also for alice");
		}
	}

	@Test
	void resumesOnlyOnTheSamePathAndParameters() {
		Instance a = start();
		Instance b = start();
		String lastId;
		try (SseTestClient.Stream stream = a.client().open("/numbers?count=2&every=500")) {
			lastId = next(stream).lastEventId();
		}
		try (SseTestClient.Stream stream = b.client().open("/numbers?count=2&every=400", "Last-Event-ID", lastId)) {
			assertThat(stream.readAll(PATIENCE)).extracting(SseEvent::data).containsExactly("0", "1");
		}
		assertThat(sources(b).started).hasValue(1);
	}

	private Instance start(String... more) {
		return this.instances.start(ResumableRedisTestApplication.class, 6379, more);
	}

	private static Sources sources(Instance instance) {
		return instance.context().getBean(Sources.class);
	}

	private static BlockingQueue<String> queue(Instance instance, String name) {
		return sources(instance).queue(name);
	}

	private static int status(Instance instance, String path, String lastEventId) {
		try (SseTestClient.Stream stream = instance.client().open(path, "Last-Event-ID", lastEventId)) {
			return stream.status();
		}
	}

	private static String keyOf(String id) {
		return id.substring(0, id.lastIndexOf('-') + 1);
	}


}
