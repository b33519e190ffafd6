package io.github.ssestarter.observation;

import io.github.ssestarter.observation.SseObservationDocumentation.StreamHighCardinalityKeyNames;
import io.github.ssestarter.observation.SseObservationDocumentation.StreamLowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default names and key values of a {@link SseObservationDocumentation#STREAM stream}:
 * observation {@code sse.stream}, contextual name {@code sse stream} and the route template.
 */
public class DefaultSseStreamObservationConvention implements SseStreamObservationConvention {

	/** The observation's name. */
	public static final String NAME = "sse.stream";

	/** The outcome while the stream is open: only seen by handlers that look at the start. */
	private static final KeyValue OUTCOME_OPEN = StreamLowCardinalityKeyNames.OUTCOME.withValue("open");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(SseStreamObservationContext context) {
		return "sse stream " + context.getEndpoint();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SseStreamObservationContext context) {
		String outcome = context.getOutcome();
		return KeyValues.of(StreamLowCardinalityKeyNames.ENDPOINT.withValue(context.getEndpoint()),
				(outcome != null) ? StreamLowCardinalityKeyNames.OUTCOME.withValue(outcome) : OUTCOME_OPEN);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SseStreamObservationContext context) {
		String topic = context.getTopic();
		return (topic != null) ? KeyValues.of(StreamHighCardinalityKeyNames.TOPIC.withValue(topic)) : KeyValues.empty();
	}

}
