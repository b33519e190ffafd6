package io.github.ssestarter.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.ssestarter.SseItem;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams made-up quotes: a {@code quote} event for the next of a few symbols about once a second.
 */
@RestController
class TickerController {

	static final List<String> SYMBOLS = List.of("ACME", "GLOBEX", "INITECH");

	private static final Duration PERIOD = Duration.ofSeconds(1);

	@GetMapping("/api/ticker/stream")
	Flux<SseItem<Quote>> stream() {
		return Flux.interval(Duration.ZERO, PERIOD)
			// A client that falls behind gets the latest quotes rather than stale ones.
			.onBackpressureDrop()
			.map((tick) -> SseItem.of("quote", quote(SYMBOLS.get((int) (tick % SYMBOLS.size())))));
	}

	private static Quote quote(String symbol) {
		double base = 100 + 25 * SYMBOLS.indexOf(symbol);
		double price = base * (1 + ThreadLocalRandom.current().nextDouble(-0.02, 0.02));
		return new Quote(symbol, BigDecimal.valueOf(price).setScale(2, RoundingMode.HALF_UP), Instant.now());
	}

}
