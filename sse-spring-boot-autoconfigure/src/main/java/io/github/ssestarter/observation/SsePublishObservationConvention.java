package io.github.ssestarter.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observation of a publication and gives its key values; define a bean of this type to
 * replace {@link DefaultSsePublishObservationConvention}, or extend that class to add to it.
 */
public interface SsePublishObservationConvention extends ObservationConvention<SsePublishObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SsePublishObservationContext;
	}

}
