package io.github.ssestarter.internal.webmvc;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.github.ssestarter.LastEventId;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application whose controller returns every kind of stream the starter answers, with probes
 * the tests read to see what happened to each source.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(StreamingTestApplication.StreamingController.class)
class StreamingTestApplication {

	@Bean
	Probe probe() {
		return new Probe();
	}

	static final class Probe {

		/** Replaced for each test, so that sources left over from earlier tests cannot take its items. */
		volatile BlockingQueue<String> queue = new LinkedBlockingQueue<>();

		final AtomicBoolean streamClosed = new AtomicBoolean();

		final AtomicBoolean fluxCancelled = new AtomicBoolean();

		final AtomicReference<Thread> producerThread = new AtomicReference<>();

		/** Set while a slowly closing stream's onClose waits for {@link #closeMayFinish}. */
		final AtomicBoolean slowCloseStarted = new AtomicBoolean();

		volatile CountDownLatch closeMayFinish = new CountDownLatch(1);

		void reset() {
			this.queue = new LinkedBlockingQueue<>();
			this.streamClosed.set(false);
			this.fluxCancelled.set(false);
			this.producerThread.set(null);
			this.slowCloseStarted.set(false);
			this.closeMayFinish = new CountDownLatch(1);
		}

	}

	record Point(int x, int y, String pointName) {
	}

	/** Every method streams events, plain {@code Stream<String>} ones included, because the class says so. */
	@RestController
	@SseEndpoint
	static class StreamingController {

		private final Probe probe;

		StreamingController(Probe probe) {
			this.probe = probe;
		}

		@GetMapping("/items")
		Stream<SseItem<String>> items() {
			return Stream.of(SseItem.of("first line\nsecond line").withId("1"), SseItem.of("greeting", "hi").withId("2"));
		}

		@GetMapping("/points")
		Stream<Point> points() {
			return Stream.of(new Point(1, 2, "origin-ish"));
		}

		/** Blocks on the probe's queue for each element, as a live source does. */
		@GetMapping("/blocking")
		Stream<String> blocking() {
			BlockingQueue<String> queue = this.probe.queue;
			return Stream.generate(() -> {
				this.probe.producerThread.set(Thread.currentThread());
				try {
					return queue.take();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted", ex);
				}
			}).onClose(() -> this.probe.streamClosed.set(true));
		}

		@GetMapping("/quiet")
		@SseEndpoint(heartbeat = "1h")
		Stream<String> quiet() {
			return blocking();
		}

		@GetMapping("/heartbeats")
		@SseEndpoint(heartbeat = "200ms")
		Stream<String> heartbeats() {
			return blocking();
		}

		@GetMapping("/busy")
		@SseEndpoint(heartbeat = "1s")
		Flux<String> busy() {
			// Buffered: a loaded machine may take longer than a tick to ask for the next element.
			return Flux.interval(Duration.ofMillis(50)).onBackpressureBuffer().map(String::valueOf).take(30);
		}

		@GetMapping("/failing")
		Stream<String> failing() {
			return Stream.of("1", "2").map((value) -> {
				if (value.equals("2")) {
					throw new IllegalStateException("source broke on purpose");
				}
				return value;
			});
		}

		@GetMapping("/flux")
		Flux<String> flux() {
			return Flux.interval(Duration.ofMillis(100)).map(String::valueOf)
				.doOnCancel(() -> this.probe.fluxCancelled.set(true));
		}

		@GetMapping(path = "/flux-items", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<SseItem<Point>> fluxItems() {
			return Flux.just(SseItem.of("point", new Point(3, 4, "p")).withId("7"));
		}

		@GetMapping("/flux-plain")
		Flux<String> fluxPlain() {
			return Flux.just("a", "b", "c");
		}

		/**
		 * A hot source that drops what nobody asked for yet, as {@code Flux.interval().onBackpressureDrop()}
		 * does with its first tick: it emits only if asked while it hands over its subscription.
		 */
		@GetMapping("/flux-hot")
		Flux<String> fluxHot() {
			return Flux.from((subscriber) -> {
				AtomicLong requested = new AtomicLong();
				subscriber.onSubscribe(new Subscription() {

					@Override
					public void request(long n) {
						requested.addAndGet(n);
					}

					@Override
					public void cancel() {
					}

				});
				if (requested.get() > 0) {
					subscriber.onNext("at-once");
				}
				subscriber.onComplete();
			});
		}

		@GetMapping("/flux-quiet")
		@SseEndpoint(heartbeat = "1h")
		Flux<String> fluxQuiet() {
			return Flux.never();
		}

		@GetMapping("/flux-failing")
		Flux<String> fluxFailing() {
			return Flux.concat(Flux.just("1"), Flux.error(new IllegalStateException("flux broke on purpose")));
		}

		@GetMapping("/typed")
		@SseEndpoint(eventType = "tick")
		Stream<Object> typed() {
			return Stream.of("1", SseItem.of("other", "2"));
		}

		@GetMapping("/retry")
		@SseEndpoint(retry = "2s")
		Stream<String> retry() {
			return Stream.of("x");
		}

		@GetMapping("/timeout")
		@SseEndpoint(timeout = "300ms")
		Stream<String> timeout() {
			return blocking();
		}

		/** Times out at once, and its clean-up takes until the test lets it finish. */
		@GetMapping("/slow-close")
		@SseEndpoint(timeout = "100ms")
		Stream<String> slowClose() {
			CountDownLatch mayFinish = this.probe.closeMayFinish;
			return blocking().onClose(() -> {
				this.probe.slowCloseStarted.set(true);
				try {
					mayFinish.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

		@GetMapping("/last-event-id")
		Stream<String> lastEventId(@LastEventId String lastEventId) {
			return Stream.of(String.valueOf(lastEventId));
		}

	}

}
