package io.github.ssestarter.internal.web;

import java.util.function.Consumer;

import io.github.ssestarter.SseStreamOutcome;
import io.github.ssestarter.observation.DefaultSseStreamObservationConvention;
import io.github.ssestarter.observation.SseObservationDocumentation;
import io.github.ssestarter.observation.SseStreamObservationContext;
import io.github.ssestarter.observation.SseStreamObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes each stream from its opening to its end, with how it ended; with no registry set, the
 * observations are no-ops.
 */
final class StreamObservations {

	private static final DefaultSseStreamObservationConvention DEFAULT_CONVENTION = new DefaultSseStreamObservationConvention();

	private volatile ObservationRegistry registry = ObservationRegistry.NOOP;

	private volatile @Nullable SseStreamObservationConvention convention;

	void setRegistry(ObservationRegistry registry) {
		this.registry = registry;
	}

	void setConvention(@Nullable SseStreamObservationConvention convention) {
		this.convention = convention;
	}

	/**
	 * Starts observing a stream that opened, as a child of the request's own observation: the given
	 * one, else the one current on this thread, if any.
	 * @param parent the request's observation where it is not current on this thread (on WebFlux)
	 * @return what stops the observation with the stream's outcome
	 */
	Consumer<SseStreamOutcome> start(String endpoint, @Nullable String topic, @Nullable Observation parent) {
		SseStreamObservationContext context = new SseStreamObservationContext(endpoint, topic);
		Observation observation = SseObservationDocumentation.STREAM
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry);
		if (parent != null) {
			observation.parentObservation(parent);
		}
		observation.start();
		return (outcome) -> {
			context.setOutcome(outcome.label());
			observation.stop();
		};
	}

}
