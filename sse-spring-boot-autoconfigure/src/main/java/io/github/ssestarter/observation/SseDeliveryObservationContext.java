package io.github.ssestarter.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The context of a {@link SseObservationDocumentation#DELIVERY delivery}: one instance handing one
 * event to its subscribers of the topic. Its carrier is the headers the event was published with,
 * from which a tracer continues the publication's trace.
 */
public final class SseDeliveryObservationContext extends ReceiverContext<Map<String, String>> {

	private final String topic;

	private final String eventId;

	private final String backplane;

	private final boolean addressed;

	private final int subscribers;

	/**
	 * Creates the context of a delivery.
	 * @param topic the topic
	 * @param eventId the event's id
	 * @param headers the headers the event was published with, empty if none
	 * @param backplane {@code memory}, or the backplane's name, such as {@code redis}
	 * @param addressed whether the event is addressed to some users only
	 * @param subscribers how many subscribers of the topic this instance has
	 */
	public SseDeliveryObservationContext(String topic, String eventId, Map<String, String> headers, String backplane,
			boolean addressed, int subscribers) {
		super((carrier, name) -> (carrier != null) ? carrier.get(name) : null, Kind.CONSUMER);
		setCarrier(headers);
		this.topic = topic;
		this.eventId = eventId;
		this.backplane = backplane;
		this.addressed = addressed;
		this.subscribers = subscribers;
	}

	/**
	 * The topic of the event.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * The event's id.
	 * @return the id
	 */
	public String getEventId() {
		return this.eventId;
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
	 * How many subscribers of the topic this instance had when the event reached it; those the
	 * event is not addressed to, or whose filter leaves it out, are counted too.
	 * @return the count
	 */
	public int getSubscribers() {
		return this.subscribers;
	}

}
