package io.github.ssestarter.observation;

import io.github.ssestarter.observation.SseObservationDocumentation.PublishHighCardinalityKeyNames;
import io.github.ssestarter.observation.SseObservationDocumentation.PublishLowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default names and key values of a {@link SseObservationDocumentation#PUBLISH publication}:
 * observation {@code sse.publish}, contextual name {@code sse publish}.
 */
public class DefaultSsePublishObservationConvention implements SsePublishObservationConvention {

	/** The observation's name. */
	public static final String NAME = "sse.publish";

	private static final KeyValue EXCEPTION_NONE = PublishLowCardinalityKeyNames.EXCEPTION.withValue("none");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(SsePublishObservationContext context) {
		return "sse publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SsePublishObservationContext context) {
		Throwable error = context.getError();
		return KeyValues.of(PublishLowCardinalityKeyNames.BACKPLANE.withValue(context.getBackplane()),
				PublishLowCardinalityKeyNames.ADDRESSED.withValue(Boolean.toString(context.isAddressed())),
				(error != null) ? PublishLowCardinalityKeyNames.EXCEPTION.withValue(error.getClass().getSimpleName())
						: EXCEPTION_NONE);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SsePublishObservationContext context) {
		KeyValues values = KeyValues.of(PublishHighCardinalityKeyNames.TOPIC.withValue(context.getTopic()));
		String id = context.getEventId();
		return (id != null) ? values.and(PublishHighCardinalityKeyNames.EVENT_ID.withValue(id)) : values;
	}

}
