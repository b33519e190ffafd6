package io.github.ssestarter.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of a {@link SseObservationDocumentation#PUBLISH publication}. Its carrier is the
 * event's headers: what a tracer puts there when the observation starts travels with the event,
 * within this instance and through a backplane, to every instance that delivers it.
 */
public final class SsePublishObservationContext extends SenderContext<Map<String, String>> {

	private final String topic;

	private final String backplane;

	private final boolean addressed;

	private @Nullable String eventId;

	/**
	 * Creates the context of a publication, with an empty carrier.
	 * @param topic the topic
	 * @param backplane {@code memory}, or the backplane's name, such as {@code redis}
	 * @param addressed whether the event is addressed to some users only
	 */
	public SsePublishObservationContext(String topic, String backplane, boolean addressed) {
		super((carrier, name, value) -> {
			if (carrier != null) {
				carrier.put(name, value);
			}
		}, Kind.PRODUCER);
		setCarrier(new LinkedHashMap<>());
		this.topic = topic;
		this.backplane = backplane;
		this.addressed = addressed;
	}

	/**
	 * The topic published to.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * Where topics live.
	 * @return {@code memory}, or the backplane's name, such as {@code redis}
	 */
	public String getBackplane() {
		return this.backplane;
	}

	/**
	 * Whether the event is addressed to some users only.
	 * @return whether it is
	 */
	public boolean isAddressed() {
		return this.addressed;
	}

	/**
	 * The id the event was given.
	 * @return the id, or {@code null} until the publication returned it, or if it failed
	 */
	public @Nullable String getEventId() {
		return this.eventId;
	}

	/**
	 * Sets the id the event was given.
	 * @param eventId the id
	 */
	public void setEventId(@Nullable String eventId) {
		this.eventId = eventId;
	}

}
