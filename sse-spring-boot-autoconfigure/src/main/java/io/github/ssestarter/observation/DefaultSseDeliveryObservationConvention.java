package io.github.ssestarter.observation;

import io.github.ssestarter.observation.SseObservationDocumentation.DeliveryHighCardinalityKeyNames;
import io.github.ssestarter.observation.SseObservationDocumentation.DeliveryLowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default names and key values of a {@link SseObservationDocumentation#DELIVERY delivery}:
 * observation {@code sse.delivery}, contextual name {@code sse delivery}.
 */
public class DefaultSseDeliveryObservationConvention implements SseDeliveryObservationConvention {

	/** The observation's name. */
	public static final String NAME = "sse.delivery";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(SseDeliveryObservationContext context) {
		return "sse delivery";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SseDeliveryObservationContext context) {
		return KeyValues.of(DeliveryLowCardinalityKeyNames.BACKPLANE.withValue(context.getBackplane()),
				DeliveryLowCardinalityKeyNames.ADDRESSED.withValue(Boolean.toString(context.isAddressed())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SseDeliveryObservationContext context) {
		return KeyValues.of(DeliveryHighCardinalityKeyNames.TOPIC.withValue(context.getTopic()),
				DeliveryHighCardinalityKeyNames.EVENT_ID.withValue(context.getEventId()),
				DeliveryHighCardinalityKeyNames.SUBSCRIBERS.withValue(Integer.toString(context.getSubscribers())));
	}

}
