package io.github.ssestarter.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of a {@link SseObservationDocumentation#STREAM stream}'s observation, which starts
 * when the stream opens and stops when it ends.
 */
public final class SseStreamObservationContext extends Observation.Context {

	private final String endpoint;

	private final @Nullable String topic;

	private @Nullable String outcome;

	/**
	 * Creates the context of a stream that opens.
	 * @param endpoint the route template of the request, such as {@code /topics/{topic}}
	 * @param topic the broadcaster topic the stream delivers, or {@code null} for a {@code Stream}
	 * or {@code Flux}
	 */
	public SseStreamObservationContext(String endpoint, @Nullable String topic) {
		this.endpoint = endpoint;
		this.topic = topic;
	}

	/**
	 * The route template of the request that opened the stream.
	 * @return the route template, {@code unknown} if the request was not mapped by one
	 */
	public String getEndpoint() {
		return this.endpoint;
	}

	/**
	 * The broadcaster topic the stream delivers.
	 * @return the topic, or {@code null} for a {@code Stream} or {@code Flux}
	 */
	public @Nullable String getTopic() {
		return this.topic;
	}

	/**
	 * How the stream ended.
	 * @return {@code completed}, {@code client-closed}, {@code timeout}, {@code error} or
	 * {@code overflow}; {@code null} while it is open
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the stream ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

}
