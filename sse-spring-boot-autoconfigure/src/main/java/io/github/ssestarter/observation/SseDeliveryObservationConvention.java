package io.github.ssestarter.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observation of a delivery of an event by one instance and gives its key values; define a bean of this type to
 * replace {@link DefaultSseDeliveryObservationConvention}, or extend that class to add to it.
 */
public interface SseDeliveryObservationConvention extends ObservationConvention<SseDeliveryObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SseDeliveryObservationContext;
	}

}
