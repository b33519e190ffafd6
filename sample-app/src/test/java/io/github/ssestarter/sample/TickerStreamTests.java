package io.github.ssestarter.sample;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.wire.SseEvent;
import io.github.ssestarter.wire.SseEventReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The sample's ticker, read over real HTTP with the starter's own event stream reader.
 */
class TickerStreamTests extends AbstractSampleTests {

	@Test
	void streamsQuoteEventsForSuccessiveSymbols() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/api/ticker/stream");
		HttpRequest request = HttpRequest.newBuilder(uri)
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
		try (SseEventReader reader = new SseEventReader(response.body())) {
			List<SseEvent> events = assertTimeoutPreemptively(Duration.ofSeconds(10),
					() -> List.of(reader.next(), reader.next()));
			assertThat(events).extracting(SseEvent::eventType).containsExactly("quote", "quote");
			List<Quote> quotes = new ArrayList<>();
			for (SseEvent event : events) {
				quotes.add(this.jsonMapper.readValue(event.data(), Quote.class));
			}
			assertThat(quotes).extracting(Quote::symbol)
				.containsExactlyElementsOf(TickerController.SYMBOLS.subList(0, 2));
			assertThat(quotes).allSatisfy((quote) -> {
				assertThat(quote.price()).isGreaterThan(BigDecimal.ZERO);
				assertThat(quote.at()).isNotNull();
			});
		}
	}

}
