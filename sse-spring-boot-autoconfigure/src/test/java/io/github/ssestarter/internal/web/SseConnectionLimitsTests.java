package io.github.ssestarter.internal.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SseConnectionLimits}.
 */
class SseConnectionLimitsTests {

	@Test
	void neverLetsOneUserHoldMoreThanTheLimitWhileOthersComeAndGo() throws Exception {
		SseConnectionLimits limits = new SseConnectionLimits(null, 1, Duration.ofSeconds(1));
		AtomicInteger held = new AtomicInteger();
		AtomicInteger mostHeld = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<Void>> runs = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				runs.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 200_000; i++) {
						try {
							limits.acquire("alice");
						}
						catch (SseRejectedException ex) {
							continue;
						}
						mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
						held.decrementAndGet();
						limits.release("alice");
					}
				}, threads));
			}
			CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.MINUTES);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(mostHeld).hasValue(1);
		// Everything given back: alice may open a stream again.
		limits.acquire("alice");
	}

}
