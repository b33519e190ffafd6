package io.github.ssestarter.internal.webmvc;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.ssestarter.LastEventId;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.TestUsers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with resumable endpoints, and probes that count how often each source was
 * started and cancelled; {@link TestUsers} signs requests in.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestUsers.class, ResumableTestApplication.ResumableController.class })
class ResumableTestApplication {

	@Bean
	Probe probe() {
		return new Probe();
	}

	static final class Probe {

		final AtomicInteger started = new AtomicInteger();

		/** Cancellations of number streams. */
		final AtomicInteger cancelled = new AtomicInteger();

		/** Names of the queued streams whose source was closed. */
		final Set<String> closed = ConcurrentHashMap.newKeySet();

		/** What each queued stream gives next, by name; replaced for each test. */
		volatile Map<String, BlockingQueue<String>> queues = new ConcurrentHashMap<>();

		volatile @Nullable String lastEventIdSeen;

		BlockingQueue<String> queue(String name) {
			return this.queues.computeIfAbsent(name, (key) -> new LinkedBlockingQueue<>());
		}

		void reset() {
			this.started.set(0);
			this.cancelled.set(0);
			this.closed.clear();
			this.queues = new ConcurrentHashMap<>();
			this.lastEventIdSeen = null;
		}

	}

	@RestController
	static class ResumableController {

		private final Probe probe;

		ResumableController(Probe probe) {
			this.probe = probe;
		}

		/** {@code count} numbers, one every 20 ms. */
		@GetMapping("/numbers")
		@SseEndpoint(resumeWindow = "2s", eventType = "number")
		Flux<SseItem<Long>> numbers(@RequestParam int count, @LastEventId @Nullable String lastEventId) {
			this.probe.started.incrementAndGet();
			this.probe.lastEventIdSeen = lastEventId;
			return Flux.interval(Duration.ofMillis(20))
				.take(count)
				.map(SseItem::of)
				.doOnCancel(this.probe.cancelled::incrementAndGet);
		}

		/** Gives what the probe's queue gives, until it gives "end". */
		@GetMapping("/queued/{name}")
		@SseEndpoint(resumeWindow = "2s")
		Stream<SseItem<String>> queued(@PathVariable String name) {
			this.probe.started.incrementAndGet();
			BlockingQueue<String> queue = this.probe.queue(name);
			return Stream.generate(() -> take(queue))
				.takeWhile((value) -> !value.equals("end"))
				.map(SseItem::of)
				.onClose(() -> this.probe.closed.add(name));
		}

		private static String take(BlockingQueue<String> queue) {
			try {
				return queue.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
		}

	}

}
