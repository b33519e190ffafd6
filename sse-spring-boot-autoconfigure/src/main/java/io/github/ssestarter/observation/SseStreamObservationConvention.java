package io.github.ssestarter.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observation of a stream's life and gives its key values; define a bean of this type to
 * replace {@link DefaultSseStreamObservationConvention}, or extend that class to add to it.
 */
public interface SseStreamObservationConvention extends ObservationConvention<SseStreamObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SseStreamObservationContext;
	}

}
