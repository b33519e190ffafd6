package io.github.ssestarter.sample;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders over real HTTP: placing, the {@code order} events, replay and validation.
 */
class OrdersTests extends AbstractSampleTests {

	@Test
	void placedOrderIsStreamedToAnonymousClientsWithTheIdItWasGiven() {
		// Resuming after a known id, so that the stream is sure to hold every order placed after it.
		String marker = id(place("Marker", "1"));
		try (EventStream stream = this.client.stream("/api/orders/stream", "Last-Event-ID", marker)) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");

			HttpResponse<String> placed = place("Ada", "12.5");
			assertThat(placed.statusCode()).isEqualTo(202);
			JsonNode answer = this.client.json(placed);
			assertThat(answer.propertyNames()).containsExactlyInAnyOrder("id", "orderId");

			SseEvent event = stream.next();
			assertThat(event.eventType()).isEqualTo("order");
			assertThat(event.lastEventId()).isEqualTo(answer.get("id").asString());
			JsonNode order = this.client.json(event);
			assertThat(order.propertyNames()).containsExactlyInAnyOrder("orderId", "customer", "amount", "placedAt");
			assertThat(order.get("orderId").asString()).isEqualTo(answer.get("orderId").asString());
			assertThat(order.get("customer").asString()).isEqualTo("Ada");
			assertThat(order.get("amount").decimalValue()).isEqualByComparingTo(new BigDecimal("12.5"));
			assertThat(Instant.parse(order.get("placedAt").asString())).isBeforeOrEqualTo(Instant.now());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "header", "query" })
	void clientResumingAfterAnIdIsReplayedTheOrdersItMissedOnceThenLiveOnes(String via) {
		String seen = id(place("Seen", "1"));
		String missed1 = id(place("Missed one", "2"));
		String missed2 = id(place("Missed two", "3"));
		try (EventStream stream = resume(seen, via)) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.next().lastEventId()).isEqualTo(missed1);
			assertThat(stream.next().lastEventId()).isEqualTo(missed2);
			String live = id(place("Live", "4"));
			SseEvent next = stream.next();
			assertThat(next.lastEventId()).isEqualTo(live);
			assertThat(this.client.json(next).get("customer").asString()).isEqualTo("Live");
		}
	}

	@Test
	void clientResumingAfterAnIdOfAnotherEpochIsToldToReset() {
		try (EventStream stream = this.client.stream("/api/orders/stream", "Last-Event-ID", "zzzzzzzz-7")) {
			SseEvent reset = stream.next();
			assertThat(reset.eventType()).isEqualTo("reset");
			assertThat(reset.data()).isEqualTo("other-epoch");
		}
	}

	@Test
	void recentOrdersEndWithTheNewestAndItsEventId() {
		HttpResponse<String> placed = place("Grace", "240");
		JsonNode recent = this.client.json(this.client.get("/api/orders"));
		assertThat(recent.get("lastEventId").asString()).isEqualTo(id(placed));
		JsonNode orders = recent.get("orders");
		assertThat(orders.get(orders.size() - 1).get("orderId").asString())
			.isEqualTo(this.client.json(placed).get("orderId").asString());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"amount": 12.5}                      | customer
			{"customer": " ", "amount": 12.5}     | customer
			{"customer": "Ada"}                   | amount
			{"customer": "Ada", "amount": 0}      | amount
			{"customer": "Ada", "amount": -3}     | amount
			""")
	void invalidOrderIsRefusedNamingTheField(String body, String field) {
		HttpResponse<String> response = this.client.postJson("/api/orders", body);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.client.json(response).get("errors").propertyNames()).containsExactly(field);
	}

	@Test
	void unreadableOrderIsRefused() {
		assertThat(this.client.postJson("/api/orders", "{\"customer\": \"Ada\", \"amount\": \"lots\"}").statusCode())
			.isEqualTo(400);
		assertThat(this.client.postJson("/api/orders", "not json").statusCode()).isEqualTo(400);
	}

	private HttpResponse<String> place(String customer, String amount) {
		HttpResponse<String> response = this.client.postJson("/api/orders",
				"{\"customer\": \"" + customer + "\", \"amount\": " + amount + "}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return response;
	}

	private String id(HttpResponse<String> response) {
		return this.client.json(response).get("id").asString();
	}

	private EventStream resume(String lastEventId, String via) {
		if (via.equals("header")) {
			return this.client.stream("/api/orders/stream", "Last-Event-ID", lastEventId);
		}
		return this.client.stream("/api/orders/stream?lastEventId=" + URLEncoder.encode(lastEventId, StandardCharsets.UTF_8));
	}

}
