package io.github.ssestarter.internal.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.TestUsers;
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
 * An application with resumable endpoints whose sources each instance counts, to be run as several
 * instances on Redis; {@link TestUsers} signs requests in.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestUsers.class, ResumableRedisTestApplication.Endpoints.class })
class ResumableRedisTestApplication {

	@Bean
	Sources sources() {
		return new Sources();
	}

	/** The sources this instance started, and what its queued sources give next. */
	static final class Sources {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger cancelled = new AtomicInteger();

		private final Map<String, BlockingQueue<String>> queues = new ConcurrentHashMap<>();

		BlockingQueue<String> queue(String name) {
			return this.queues.computeIfAbsent(name, (key) -> new LinkedBlockingQueue<>());
		}

	}

	@RestController
	static class Endpoints {

		private final Sources sources;

		Endpoints(Sources sources) {
			this.sources = sources;
		}

		/** {@code count} numbers, one every {@code every} milliseconds. */
		@GetMapping("/numbers")
		@SseEndpoint(resumeWindow = "2s")
		Flux<SseItem<Integer>> numbers(@RequestParam int count, @RequestParam(defaultValue = "20") long every) {
			this.sources.started.incrementAndGet();
			// Unlike an interval, this waits while the stream holds it back.
			return Flux.range(0, count)
				.delayElements(Duration.ofMillis(every))
				.map(SseItem::of)
				.doOnCancel(this.sources.cancelled::incrementAndGet);
		}

		/** Gives what this instance's queue of that name gives, until it gives "end". */
		@GetMapping("/queued/{name}")
		@SseEndpoint(resumeWindow = "2s")
		Stream<SseItem<String>> queued(@PathVariable String name) {
			this.sources.started.incrementAndGet();
			BlockingQueue<String> queue = this.sources.queue(name);
			return Stream.generate(() -> take(queue)).takeWhile((value) -> !value.equals("end")).map(SseItem::of);
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
