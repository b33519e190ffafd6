package io.github.ssestarter.internal.actuate;

import io.github.ssestarter.SseStreamOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-streams gauge of a topic lives as long as the topic or its streams, whichever ends
 * last, whatever order their ends are reported in.
 */
class SseMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SseMetrics metrics = new SseMetrics(this.registry);

	@Test
	void countsStreamsOpenOnATopic() {
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.connectionEnded("/topics/{name}", "news", SseStreamOutcome.CLIENT_CLOSED);
		assertThat(activeGauge("news")).isNotNull().extracting(Gauge::value).isEqualTo(1.0);
	}

	@Test
	void removesTheGaugeWhenTheTopicRetiresAfterItsLastStreamEnded() {
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.connectionEnded("/topics/{name}", "news", SseStreamOutcome.CLIENT_CLOSED);
		assertThat(activeGauge("news")).isNotNull();
		this.metrics.topicRetired("news");
		assertThat(activeGauge("news")).isNull();
	}

	@Test
	void removesTheGaugeWhenTheLastStreamEndIsReportedAfterTheTopicRetired() {
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.topicRetired("news");
		assertThat(activeGauge("news")).isNotNull().extracting(Gauge::value).isEqualTo(1.0);
		this.metrics.connectionEnded("/topics/{name}", "news", SseStreamOutcome.CLIENT_CLOSED);
		assertThat(activeGauge("news")).isNull();
	}

	@Test
	void keepsTheGaugeOfATopicUsedAgainBeforeTheOldStreamEnded() {
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.topicRetired("news");
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.connectionEnded("/topics/{name}", "news", SseStreamOutcome.CLIENT_CLOSED);
		assertThat(activeGauge("news")).isNotNull().extracting(Gauge::value).isEqualTo(1.0);
	}

	@Test
	void aRejectedStreamLeavesTheCountAlone() {
		this.metrics.connectionOpened("/topics/{name}", "news");
		this.metrics.connectionEnded("/topics/{name}", "news", SseStreamOutcome.REJECTED);
		assertThat(activeGauge("news")).isNotNull().extracting(Gauge::value).isEqualTo(1.0);
	}

	private @Nullable Gauge activeGauge(String topic) {
		return this.registry.find("sse.connections.active").tag("topic", topic).gauge();
	}

}
