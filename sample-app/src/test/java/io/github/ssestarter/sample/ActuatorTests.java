package io.github.ssestarter.sample;

import java.net.http.HttpResponse;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator's health, metrics and sse endpoints, open without credentials; closing a topic's
 * connections, after which clients resume where they were.
 */
class ActuatorTests extends AbstractSampleTests {

	@Test
	void healthIsUpWithoutCredentials() {
		HttpResponse<String> health = this.client.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(this.client.json(health).get("status").asString()).isEqualTo("UP");
	}

	@Test
	void metricsShowPublishedEventsByTopicWithoutCredentials() {
		placeOrder("Metered");
		HttpResponse<String> metric = this.client.get("/actuator/metrics/sse.events.published?tag=topic:orders");
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(this.client.json(metric).get("measurements").get(0).get("value").asDouble()).isPositive();
	}

	@Test
	void sseEndpointDescribesTheTopicsWithoutCredentials() {
		placeOrder("Described");
		HttpResponse<String> sse = this.client.get("/actuator/sse");
		assertThat(sse.statusCode()).isEqualTo(200);
		assertThat(this.client.json(sse).get("topics").has("orders")).isTrue();
	}

	@Test
	void onlyHealthMetricsAndSseAreExposed() {
		assertThat(this.client.get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(this.client.get("/actuator/beans").statusCode()).isEqualTo(404);
	}

	@Test
	void closingATopicEndsItsStreamsAndTheyResumeWithWhatWasPublishedMeanwhile() {
		String before = placeOrder("Before");
		try (EventStream stream = this.client.stream("/api/orders/stream", "Last-Event-ID", before)) {
			String seen = placeOrder("Seen");
			assertThat(stream.next().lastEventId()).isEqualTo(seen);

			HttpResponse<String> closed = this.client.delete("/actuator/sse/orders");
			assertThat(closed.statusCode()).isEqualTo(200);
			JsonNode answer = this.client.json(closed);
			assertThat(answer.get("topic").asString()).isEqualTo("orders");
			assertThat(answer.get("closedConnections").asInt()).isPositive();
			assertThat(stream.next()).as("the stream ends").isNull();
		}
		String meanwhile = placeOrder("Meanwhile");
		try (EventStream resumed = this.client.stream("/api/orders/stream", "Last-Event-ID", before)) {
			SseEvent first = resumed.next();
			assertThat(this.client.json(first).get("customer").asString()).isEqualTo("Seen");
			assertThat(resumed.next().lastEventId()).isEqualTo(meanwhile);
		}
	}

	private String placeOrder(String customer) {
		HttpResponse<String> placed = this.client.postJson("/api/orders",
				"{\"customer\": \"" + customer + "\", \"amount\": 1}");
		assertThat(placed.statusCode()).isEqualTo(202);
		return this.client.json(placed).get("id").asString();
	}

}
